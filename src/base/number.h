/* number.h - numbers as data files spell them: one formatter for writing, one strict parser for
 * reading (the TSV reader, the template engine and the aggregation all use it). */
#ifndef BN_NUMBER_H
#define BN_NUMBER_H

#include <stddef.h>

/* Format a double for data files: shortest "%.17g"-exact text; non-finite as nan/inf/-inf. */
void bn_fmt(char *buf, size_t n, double v);

/* A whole string as a decimal number: optional sign, digits with an optional point and exponent,
 * or nan/inf/infinity (any case). No blanks, no hexadecimal, nothing after it. Returns 1 and sets
 * *v if it is one, 0 otherwise (*v untouched). */
int bn_parse_num(const char *s, double *v);

#endif
