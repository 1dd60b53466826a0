#ifndef KDK_CLIBEDIT_SHIM_H
#define KDK_CLIBEDIT_SHIM_H
#include <stdio.h>
#include <stdlib.h>
#include <editline/readline.h>

// Swift 6 will not assign libedit's global variables directly, so they are
// set through these setters (see ARCHITECTURE.md's libedit notes).
static inline void kdk_set_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void kdk_set_append_character(int c) { rl_completion_append_character = c; }
static inline void kdk_set_word_breaks(const char *s) { rl_completer_word_break_characters = (char *)s; rl_basic_word_break_characters = s; }
static inline void kdk_set_readline_name(const char *s) { rl_readline_name = s; }
static inline void kdk_set_catch_signals(int v) { rl_catch_signals = v; }
static inline const char *kdk_line_buffer(void) { return rl_line_buffer ? rl_line_buffer : ""; }
static inline int kdk_history_length(void) { return history_length; }
#endif
