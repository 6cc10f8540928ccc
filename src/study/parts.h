/* parts.h - experiment 6 as units of work: one sweep point per process (any machine), joined
 * into the files a whole sweep writes, byte for byte. */
#ifndef BN_PARTS_H
#define BN_PARTS_H

#include <stddef.h>
#include "experiments.h"

/* The folder of sweep point `point` of run folder `run`: RUN/parts/STEM-K, STEM the completion
 * file of `files` (the split experiment's registry row's .files) less .tsv, exp6_sweep. A part is a
 * small run folder of its own (params.info.tsv, dataset.info.tsv, the sweep's files for that
 * point), so parts running at once on several machines never write the same folder. */
void bn_part_dir(char *buf, size_t n, const char *run, const char *files, int point);

/* Join the o->points parts of run folder o->out into the result files `files` of experiment
 * COMMAND (the split experiment's row's .files: exp6_sweep*.tsv; the completion file last), copy
 * the parts' params.info.tsv and dataset.info.tsv beside them, then remove the parts. Fatal error naming every missing part, or the part made with other options. */
void bn_sweep_merge(const bn_opts *o, const char *command, const char *files);

#endif
