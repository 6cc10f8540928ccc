/* fuzz_render.c - libFuzzer target for the report's TSV parser and template renderer
 * (src/report/render.h). The fuzzer's bytes are "TSV \0 TEMPLATE": the part before the first NUL
 * byte is parsed as the data file f.tsv, the rest is the template; without a NUL byte the
 * whole input is the template. Two fixed tables (s.tsv, with non-finite cells, and d.tsv, a
 * key/value file like the run's *.info.tsv) and two named values are always available, so
 * mutations reach the queries, selectors, aggregates and formats. A failure must come with a
 * one-line reason. Built and run by `make fuzz` (tests/tests.mk). */
#include "render.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sweep[] =
    "point\tweight_scale\tbatchnorm_best_val\tbaseline_best_val\tbaseline_nonfinite\n"
    "0\t0.0001\t0.31\t0.12\t0\n"
    "1\t0.01\t0.35\tnan\t3\n"
    "2\t1\tinf\t-inf\t0\n"
    "3\t1e-300\t-0\t0.5\t1\n";
static const char info[] = "key\tvalue\ndataset\tcifar-10\nseed\t0\ntrain_records\t49000\n";

static void check_err(const char *err)
{
    if (!err[0] || strchr(err, '\n')) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bn_tsv tabs[3];
    int ntab = 0;
    char err[1024] = "";
    memset(tabs, 0, sizeof tabs);
    if (bn_tsv_parse(&tabs[ntab], "s.tsv", sweep, sizeof sweep - 1, err, sizeof err) != 0) abort();
    ntab++;
    if (bn_tsv_parse(&tabs[ntab], "d.tsv", info, sizeof info - 1, err, sizeof err) != 0) abort();
    ntab++;

    const char *tmpl = (const char *)data;
    size_t tlen = size;
    const uint8_t *nul = memchr(data, 0, size);
    if (nul) {
        size_t k = (size_t)(nul - data);
        err[0] = '\0';
        if (bn_tsv_parse(&tabs[ntab], "f.tsv", (const char *)data, k, err, sizeof err) == 0) {
            if (tabs[ntab].ncols < 1 || tabs[ntab].nrows < 0) abort();
            ntab++;
        } else {
            check_err(err);
        }
        tmpl = (const char *)nul + 1;
        tlen = size - k - 1;
    }

    static const char *const names[] = {"seed", "runs"};
    static const char *const values[] = {"7", "nan"};
    bn_tsv_set set = {tabs, ntab};
    bn_lookup lk = {bn_tsv_set_find, &set, names, values, 2, (int)(size & 1)};
    bn_buf out = {0};
    err[0] = '\0';
    if (bn_render(tmpl, tlen, &lk, &out, err, sizeof err) != 0) check_err(err);
    else if (out.len && out.s[out.len] != '\0') abort();   /* the text stays NUL-terminated */
    bn_buf_free(&out);
    for (int i = 0; i < ntab; i++) bn_tsv_free(&tabs[i]);
    return 0;
}
