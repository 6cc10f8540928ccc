/* fuzz_cifar.c - libFuzzer target for the CIFAR-10 reader: the fuzzer's bytes are a whole batch
 * file. A successful parse must describe exactly the bytes given (whole records, labels 0-9);
 * a failure must come with a one-line reason. Built and run by `make fuzz` (tests/tests.mk). */
#include "common.h"
#include "data.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bn_records r;
    char err[512] = "";
    if (bn_cifar_parse(&r, data, size, err, sizeof err) == 0) {
        /* the reader's promises, checked on every accepted input */
        if (r.dim != BN_CIFAR_DIM || (size_t)r.n * BN_CIFAR_RECORD != size) abort();
        for (long i = 0; i < r.n; i++) {
            if (r.labels[i] > 9 || r.labels[i] != data[(size_t)i * BN_CIFAR_RECORD]) abort();
            if (memcmp(r.px + (size_t)i * BN_CIFAR_DIM, data + (size_t)i * BN_CIFAR_RECORD + 1, BN_CIFAR_DIM)) abort();
        }
    } else if (!err[0] || strchr(err, '\n')) {
        abort();
    }
    bn_records_free(&r);
    return 0;
}
