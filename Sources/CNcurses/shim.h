#ifndef PARAMCOUNT_CNCURSES_SHIM_H
#define PARAMCOUNT_CNCURSES_SHIM_H
// SwiftPM drops the -D flags from ncursesw's pkg-config file; wide-character entry points
// (wget_wch, cchar_t, setcchar) are only declared with this set.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#endif
