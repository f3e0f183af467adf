#define _GNU_SOURCE
#include <locale.h>
#include <wchar.h>
#include "display_width.h"

int pc_scalar_width(unsigned int scalar) {
    /* Created once; a data race here only creates the same locale twice. */
    static locale_t utf8 = (locale_t)0;
    if (utf8 == (locale_t)0) utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (utf8 == (locale_t)0) return -2;
    locale_t previous = uselocale(utf8);
    int w = wcwidth((wchar_t)scalar);
    uselocale(previous);
    return w;
}
