/* words.h — how near two short words are (words.c). */
#ifndef NETLAB_WORDS_H
#define NETLAB_WORDS_H
#include <stdbool.h>

/* The edit distance of a and b (insertions, deletions, substitutions and
 * transpositions each count one); 99 when either is longer than 31. */
int word_distance(const char *a, const char *b);
/* cand is near enough to what the user typed to suggest it ("did you mean"):
 * one edit away, two for a word of more than 4 letters. */
bool word_near(const char *typed, const char *cand);

#endif
