/* common.h - the experiment side's basics in one include: errors, checked allocation, atomic
 * output files, whole-file reading, number text, RNG streams, timing, BLAS controls. Each has
 * its own header; code that needs only some of them (the report tools) includes those. */
#ifndef BN_COMMON_H
#define BN_COMMON_H

#include "alloc.h"
#include "blas.h"
#include "error.h"
#include "number.h"
#include "outfile.h"
#include "readfile.h"
#include "rng.h"
#include "timing.h"

#endif
