#ifndef KIOSK_CNCURSESW_SHIM_H
#define KIOSK_CNCURSESW_SHIM_H

// SwiftPM does not pass -D_XOPEN_SOURCE from pkg-config: ask for the wide
// character API here, or get_wch and cchar_t vanish.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// Not visible through Glibc's Swift overlay.
int wcwidth(wchar_t c);

// Macros and globals, as functions Swift can call.
static inline WINDOW *kiosk_stdscr(void) { return stdscr; }
static inline int kiosk_lines(void) { return LINES; }
static inline int kiosk_cols(void) { return COLS; }
static inline int kiosk_colors(void) { return COLORS; }
static inline int kiosk_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline attr_t kiosk_a_bold(void) { return A_BOLD; }
static inline attr_t kiosk_a_reverse(void) { return A_REVERSE; }
static inline attr_t kiosk_a_underline(void) { return A_UNDERLINE; }
static inline attr_t kiosk_a_dim(void) { return A_DIM; }
static inline attr_t kiosk_a_normal(void) { return A_NORMAL; }
static inline int kiosk_key_f(int n) { return KEY_F(n); }
static inline int kiosk_getmaxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int kiosk_getmaxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }
static inline int kiosk_getcury(WINDOW *w) { int y, x; getyx(w, y, x); (void)x; return y; }
static inline int kiosk_getcurx(WINDOW *w) { int y, x; getyx(w, y, x); (void)y; return x; }

// The window's background (what erase() clears to): a colour pair.
static inline void kiosk_set_background(short pair) {
    wbkgd(stdscr, (chtype)COLOR_PAIR(pair) | (chtype)' ');
}

// Draws one cell: a base character and up to four combining marks.
static inline int kiosk_put_cell(int y, int x, const wchar_t *chars, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, chars, attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

// Reads back the characters of one cell (for the adapter's own test).
static inline int kiosk_cell_chars(int y, int x, wchar_t *out, int size, attr_t *attrs) {
    cchar_t cell;
    short pair;
    if (mvin_wch(y, x, &cell) != OK) return ERR;
    wchar_t buffer[CCHARW_MAX + 1];
    if (getcchar(&cell, buffer, attrs, &pair, NULL) == ERR) return ERR;
    int n = 0;
    while (n < size - 1 && n < CCHARW_MAX && buffer[n] != 0) { out[n] = buffer[n]; n++; }
    out[n] = 0;
    return n;
}

/* Whether what was printed to standard output could all be written
   (stdout is a C global Swift 6 does not let code touch). */
static inline int kiosk_stdout_failed(void) {
    return fflush(stdout) != 0 || ferror(stdout) != 0;
}

#endif
