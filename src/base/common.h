/* common.h - the basics most library files use, in one include: errors, checked allocation,
 * atomic output files, whole-file reading, number text. RNG streams (rng.h), timing (timing.h)
 * and the BLAS controls (blas.h) are included by the files that use them. */
#ifndef BN_COMMON_H
#define BN_COMMON_H

#include "alloc.h"
#include "error.h"
#include "number.h"
#include "outfile.h"
#include "readfile.h"

#endif
