#ifndef PARAMCOUNT_CNCURSES_SHIM_H
#define PARAMCOUNT_CNCURSES_SHIM_H
// SwiftPM drops the -D flags from ncursesw's pkg-config file; the wide-character entry points
// (wget_wch, cchar_t, setcchar) are only declared with these set.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// Function-like macros do not import into Swift; these re-export what the adapter needs.
static inline int pc_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline attr_t pc_a_normal(void) { return A_NORMAL; }
static inline attr_t pc_a_bold(void) { return A_BOLD; }
static inline attr_t pc_a_reverse(void) { return A_REVERSE; }
static inline attr_t pc_a_dim(void) { return A_DIM; }
static inline attr_t pc_a_underline(void) { return A_UNDERLINE; }
static inline mmask_t pc_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED; }
static inline mmask_t pc_button4_pressed(void) { return BUTTON4_PRESSED; }
#if NCURSES_MOUSE_VERSION > 1
static inline mmask_t pc_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t pc_button5_pressed(void) { return 0; }
#endif
static inline WINDOW *pc_stdscr(void) { return stdscr; }
static inline SCREEN *pc_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline const char *pc_codeset(void) { return nl_langinfo(CODESET); }
#endif
