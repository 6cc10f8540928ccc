/* guard.h - process hygiene every bnlab program needs before it does anything: standard
 * descriptors that are surely open, memory checked before it is asked for, control characters
 * escaped in what a message echoes, inputs that must be regular files of a sane size. */
#ifndef BN_GUARD_H
#define BN_GUARD_H

#include <stddef.h>

/* Open /dev/null on any of descriptors 0, 1, 2 that is closed, so that no file opened later
 * can take one of them (a result file on descriptor 2 would receive the progress lines).
 * Called first thing in every program's main. Exits with status 1 if it cannot. */
void bn_guard_stdfds(void);

/* Whether `bytes` more can be allocated: 0 if so, else -1 with the reason in why ("the
 * address-space limit (ulimit -v) leaves 12 MB" or "the machine has 80 MB available"). Checks
 * the headroom under RLIMIT_AS (limit minus what the process has mapped) and, when
 * `physical`, the machine's MemAvailable. */
int bn_mem_room(size_t bytes, int physical, char *why, size_t n);
/* Fatal one-line "out of memory: WHAT needs N MB, but REASON" unless bn_mem_room allows it. */
void bn_mem_check(size_t bytes, const char *what);
/* The same for an allocation of bn_malloc/bn_calloc, named by the caller's file and line. */
void bn_mem_check_at(size_t bytes, const char *file, int line);
/* Allocations at least this large are checked against the machine before they are made. */
#define BN_MEM_CHECK_MIN ((size_t)64 << 20)

/* Remove dir/name, a completion file, before the files it vouches for are rewritten (a run
 * that fails half-way then leaves none); fatal if it exists and cannot be removed. */
void bn_remove_done(const char *dir, const char *name);

/* The name of a signal without "SIG" ("KILL", "TERM"), for messages about ended processes. */
const char *bn_signame(int sig);

/* 0 if path is a regular file of at most max_bytes (what: what it should be, for the message,
 * e.g. "a data file"); else -1 with "<path>: not a regular file" or "<path>: N bytes, too
 * large for WHAT (at most M)" or the stat error in err. Never opens the file, so a FIFO
 * cannot block the caller. */
int bn_check_regular(const char *path, unsigned long long max_bytes, const char *what, char *err, size_t errlen);

#endif
