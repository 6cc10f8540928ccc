/* number.c - see number.h. */
#include "number.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void bn_fmt(char *buf, size_t n, double v)
{
    if (isnan(v)) { snprintf(buf, n, "nan"); return; }
    if (isinf(v)) { snprintf(buf, n, v > 0 ? "inf" : "-inf"); return; }
    if (v == floor(v) && fabs(v) < 1e15) { snprintf(buf, n, "%.0f", v); return; }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}

static int digits(const char **p)
{
    const char *s = *p;
    while (**p >= '0' && **p <= '9') (*p)++;
    return (int)(*p - s);
}

int bn_parse_num(const char *s, double *v)
{
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    if (!strcasecmp(p, "nan") || !strcasecmp(p, "inf") || !strcasecmp(p, "infinity")) {
        *v = strtod(s, NULL);
        return 1;
    }
    /* the grammar is checked here, so strtod's extras (blanks, hex, nan(...)) never get through */
    int nd = digits(&p);
    if (*p == '.') {
        p++;
        nd += digits(&p);
    }
    if (!nd) return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!digits(&p)) return 0;
    }
    if (*p) return 0;
    *v = strtod(s, NULL);
    return 1;
}
