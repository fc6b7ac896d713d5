/* words.h — how near two short words are (words.c). */
#ifndef NETLAB_WORDS_H
#define NETLAB_WORDS_H

/* The edit distance of a and b (insertions, deletions, substitutions and
 * transpositions each count one); 99 when either is longer than 31. */
int word_distance(const char *a, const char *b);

#endif
