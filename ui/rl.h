/* rl.h — the command line: GNU readline in callback mode inside curses. */
#ifndef NETLAB_UI_RL_H
#define NETLAB_UI_RL_H
#include <stddef.h>

struct console;

void rl_setup(struct console *c);
void rl_feed(struct console *c, const unsigned char *buf, size_t len);
void rl_finish(struct console *c);
/* Puts text on the command line, the cursor at its end (prefix , : "rename "). */
void rl_set_line(const char *text);
/* The command line as drawn: prompt + line, cursor column. */
const char *rl_prompt_text(void);
const char *rl_line_text(void);
int rl_cursor_col(void);

#endif
