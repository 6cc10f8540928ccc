# bnlab - reproducible Batch Normalization study.  `make report` and `make test` do everything;
# `make help` lists the targets and variables.
# Every recipe and $(shell) runs with descriptors 0-2 open (scripts/recipe-shell.sh).
SHELL := scripts/recipe-shell.sh
.DEFAULT_GOAL := all

# --- build variables, as GNU Make users expect: CC, CFLAGS, CPPFLAGS, LDFLAGS and LDLIBS may be
# set on the command line or in the environment. What decides a result byte is not among them:
# BN_CFLAGS comes after CFLAGS on every compile line, so no CFLAGS can undo it (-std=c11 for the
# language, no contraction of a*b+c into FMA, no fast-math reassociation; -fno-math-errno only
# lets sqrt inline). The warnings (BN_WARNINGS) are the project's too.
ifeq ($(origin CC),default)
CC := gcc
endif
CFLAGS   ?= -O2 -g $(if $(findstring clang,$(CC)),,-ftree-vectorize -fvect-cost-model=dynamic)
CPPFLAGS ?=
LDFLAGS  ?=
LDLIBS   ?=
BN_CFLAGS := -std=c11 -fno-fast-math -ffp-contract=off -fno-math-errno
BN_WARNINGS := -Wall -Wextra -Werror=implicit-function-declaration
# Libraries from pkg-config where Debian ships a .pc file, with the plain names as fallback.
# GSL on OpenBLAS's CBLAS, never libgslcblas (gsl.pc names it).
PKG_CONFIG ?= pkg-config
pc = $(shell $(PKG_CONFIG) $(1) $(2) 2>/dev/null)
GSL_CFLAGS  := $(call pc,--cflags,gsl)
GSL_LIBS    := $(filter-out -lgslcblas,$(or $(call pc,--libs,gsl),-lgsl -lm))
BLAS_LIBS   := $(or $(call pc,--libs,openblas),-lopenblas)
# LIBXSMM (static only in Debian) before OpenBLAS: it calls BLAS for what it does not compile.
XSMM_LIBS   := $(or $(call pc,--libs,libxsmm),-lxsmm -lpthread -lrt -ldl -lm)
Z_LIBS      := $(or $(call pc,--libs,zlib),-lz)
CMARK_LIBS  := $(or $(call pc,--libs,libcmark-gfm),-lcmark-gfm -lcmark-gfm-extensions)
CMOCKA_LIBS := $(or $(call pc,--libs,cmocka),-lcmocka)
BN_CPPFLAGS = -Isrc $(addprefix -I,$(SRC_DIRS)) $(GSL_CFLAGS)
# What each program links: the experiments need GSL, LIBXSMM, OpenBLAS and zlib; the report tools link
# neither OpenBLAS nor (bnreport) GSL: they use only BASE_SRC and their own side.
BNLAB_LIBS  := $(GSL_LIBS) $(XSMM_LIBS) $(BLAS_LIBS) $(Z_LIBS) -lm
REPORT_LIBS := -lm
COMPILE = $(CC) $(BN_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) $(BN_CFLAGS) $(BN_WARNINGS)
LINK    = $(CC) $(CFLAGS) $(BN_CFLAGS) $(BN_WARNINGS) $(LDFLAGS)
SANFLAGS:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# A value given on the command line or in the environment is text, never make syntax: one
# holding $ is kept literally (`make 'RUN=$$(shell ...)'` runs nothing), and then judged by the
# checks below like any other.
bn_literal = $(if $(filter command line environment,$(origin $(1))),$(if $(findstring $$,$(value $(1))),$(eval override $(1) := $$(value $(1)))))
$(foreach v,SEED SEEDS JOBS RUN BNFLAGS DTYPE QUIET A B CIFAR10_DIR TMPDIR RUNS_ROOT COMPARE_ROOT COMPARE_SEEDS REPORT_SRC \
            ENGINE SPLIT SLURM_FLAGS SLURM_POLL TRAIN_LOCK DETACH SEEDS_PER_TASK SLURM_MAX_RUNNING SLURM_RETRIES \
            SLURM_PARTITION SLURM_ACCOUNT SLURM_MEM SLURM_TIME_TRAIN SLURM_TIME_PAGE SLURM_CPUS_PAGE,$(call bn_literal,$(v)))

SEED    ?= 0
# ENGINE=slurm on the submitting host (the top make, a goal the engine runs): the goals train,
# seeds, report and run are the engine's, whose recipe submits and follows the jobs
# (scripts/engines.mk); their local rules are named local-train, ... there and never made.
BN_SUBMIT := $(if $(and $(filter slurm,$(ENGINE)),$(filter 0,$(MAKELEVEL)),$(filter train seeds report run,$(MAKECMDGOALS))),y)
BN_G      := $(if $(BN_SUBMIT),local-)
JOBS    ?= $(shell nproc 2>/dev/null || echo 1)
RUN     ?= data/runs/seed-$(SEED)
BNFLAGS ?=
# The trainings' dtype (experiments 5, 6, 7b): float32 (bnlab's default) or float64.
DTYPE   ?=
BNFLAGS_ALL = $(BNFLAGS) $(if $(DTYPE),--dtype $(DTYPE))
# Recipes never paste the options into a command line: they reach bnlab through the environment,
# split into words at blanks with globbing off (set -f; ... $$BN_FLAGS), so no character in them
# is read by a shell. bnlab judges each word.
export BN_FLAGS = $(BNFLAGS_ALL)
# QUIET=1 silences bnlab's progress lines (0 or empty: shown) (it is not part of a run's configuration).
BNQ     := $(if $(filter 1,$(QUIET)),-q)
# BLAS inside each process is single-threaded; parallelism comes from -j JOBS worker processes.
export OPENBLAS_NUM_THREADS := 1

# Make variables are checked before anything runs, so a bad value writes nothing.
# --- every variable that becomes a path is checked before use: not empty,
# one word (make counts tabs, CR, LF, VT, FF as blanks), no quote, backslash or other control
# character, so no recipe can be broken by it or write outside the folder it names.
bn_ctl := $(shell printf '\001 \002 \003 \004 \005 \006 \007 \010 \016 \017 \020 \021 \022 \023 \024 \025 \026 \027 \030 \031 \032 \033 \034 \035 \036 \037 \177')
# characters a shell or make would read in a recipe ($ ; & | < > ( ) * ? [ ] { } ~ # ! % :)
bn_lp := (
bn_rp := )
bn_special := $$ ; & | < > $(bn_lp) $(bn_rp) * ? [ ] { } ~ \# ! % :
bn_path_why = $(if $(1),$(if $(filter-out 1,$(words $(1))),has a space or a control character,$(if $(or $(findstring ',$(1)),$(findstring ",$(1)),$(findstring `,$(1)),$(findstring \,$(1))),has a quote or a backslash,$(if $(strip $(foreach c,$(bn_ctl),$(findstring $(c),$(1)))),has a control character,$(if $(strip $(foreach c,$(bn_special),$(findstring $(c),$(1)))),has one of the characters $$ ; & | < > $(bn_lp) $(bn_rp) * ? [ ] { } ~ \# ! % :,$(if $(filter -%,$(1)),starts with a dash))))),is empty)
# a value as a message shows it: blanks as one space, other control characters as ?
bn_subst_all = $(if $(1),$(call bn_subst_all,$(wordlist 2,99,$(1)),$(subst $(firstword $(1)),?,$(2))),$(2))
bn_show = $(call bn_subst_all,$(bn_ctl),$(strip $(1)))
# $(call bn_check_path,VAR,WHAT): stop with "VAR='value' is not WHAT: it REASON (accepted: ...)"
bn_check_path = $(if $(call bn_path_why,$($(1))),$(error $(1)='$(call bn_show,$($(1)))' is not $(2): it $(call bn_path_why,$($(1))) (accepted: one folder name, not empty, not starting with a dash, without spaces, quotes, control characters or shell characters)))
# --- One validator per kind of value, each stopping make with one line that names the variable,
# shows its value and says what is accepted: integers (bn_check_int), seed lists (bn_check_seeds),
# choices (bn_check_enum), paths (bn_check_path). Numbers are decimal without a sign or a leading
# zero: the shell reads 010 as octal, and seed-010 would not be seed 10's folder.
bn_comma := ,
bn_sp := $(subst x, ,x)
bn_digits := 0 1 2 3 4 5 6 7 8 9
bn_drop_all = $(if $(1),$(call bn_drop_all,$(wordlist 2,99,$(1)),$(subst $(firstword $(1)),,$(2))),$(2))
# the words of LIST that are not such numbers
bn_not_dec = $(strip $(foreach v,$(1),$(if $(or $(call bn_drop_all,$(bn_digits),$(v)),$(filter-out 0,$(filter 0%,$(v)))),$(v))))
# the first word of LIST (all digits: safe in a command) below MIN or above MAX, by one shell
bn_out_of = $(if $(1),$(shell for v in $(1); do [ "$$v" -ge $(2) ] 2>/dev/null && [ "$$v" -le $(3) ] 2>/dev/null || { echo "$$v"; exit; }; done))
is_uint = $(if $(and $(filter 1,$(words $(1))),$(if $(call bn_not_dec,$(1)),,y)),$(if $(call bn_out_of,$(1),0,4294967295),,y))
# $(call bn_check_int,VAR,WHAT,MIN,MAX): VAR is one integer from MIN to MAX
bn_check_int = $(if $(or $(filter-out 1,$(words $($(1)))),$(call bn_not_dec,$($(1))),$(call bn_out_of,$($(1)),$(3),$(4))),$(error $(1)='$(call bn_show,$($(1)))' is not $(2) (accepted: an integer from $(3) to $(4), in decimal without a sign or leading zero)))
# $(call bn_check_seeds,VAR): a count N (seeds 0 to N-1, N from 1 to 10000) or a list of at most
# 10000 different seeds
bn_seeds_why = $(if $(call bn_not_dec,$(1)),has '$(firstword $(call bn_not_dec,$(1)))'$(bn_comma) not a number in decimal without a sign or leading zero,$(if $(word 2,$(1)),$(if $(word 10001,$(1)),lists more than 10000 seeds,$(if $(call bn_out_of,$(1),0,4294967295),has '$(call bn_out_of,$(1),0,4294967295)'$(bn_comma) out of range for a seed (0 to 4294967295),$(if $(filter-out $(words $(1)),$(words $(sort $(1)))),lists a seed more than once))),$(if $(call bn_out_of,$(1),1,10000),is out of range as a count of seeds)))
bn_check_seeds = $(if $(call bn_seeds_why,$($(1))),$(error $(1)='$(call bn_show,$($(1)))' $(call bn_seeds_why,$($(1))) (accepted: a count of seeds from 1 to 10000 like $(1)=5$(bn_comma) or a list of at most 10000 different seeds like $(1)="0 1 2")))
# $(call bn_check_enum,VAR,WHAT,ACCEPTED[,EMPTY]): VAR is one word of ACCEPTED, or (when EMPTY
# says what that means) empty
bn_check_enum = $(if $(if $(strip $($(1))),$(and $(filter 1,$(words $($(1)))),$(filter $(3),$($(1)))),$(4)),,$(error $(1)='$(call bn_show,$($(1)))' is not $(2) (accepted: $(subst $(bn_sp),$(bn_comma)$(bn_sp),$(strip $(3)))$(if $(4),$(bn_comma) or empty: $(4)))))
$(call bn_check_int,SEED,a seed,0,4294967295)
$(call bn_check_int,JOBS,a number of jobs,1,256)
$(if $(SEEDS),$(call bn_check_seeds,SEEDS))
$(call bn_check_enum,DTYPE,a dtype,float32 float64,float32)
$(call bn_check_enum,QUIET,a QUIET setting,0 1,progress shown)
$(call bn_check_path,RUN,a run folder)
$(if $(filter undefined,$(origin TMPDIR)),,$(if $(TMPDIR),$(call bn_check_path,TMPDIR,a temporary folder)))
$(if $(filter undefined,$(origin CIFAR10_DIR)),,$(if $(CIFAR10_DIR),$(call bn_check_path,CIFAR10_DIR,a dataset folder)))
$(if $(TRAIN_LOCK),$(call bn_check_path,TRAIN_LOCK,a lock file))
# --- end of the checks
# SEEDS=5 means seeds 0..4; SEEDS="3 7" means those seeds.
SEED_LIST := $(if $(word 2,$(SEEDS)),$(SEEDS),$(if $(SEEDS),$(shell seq 0 $$(($(SEEDS) - 1)))))

# The sources, by layer (src/<layer>/*.c, found by pattern; each program's main is at the top
# of src/): base (errors, allocation, files, numbers; what every program shares, no GSL or BLAS),
# compute (matrix products, RNG streams, BLAS), nn (layers, net, update rules, solver, gradient
# checks), study (the experiments, their table and options, the dataset, the verdicts),
# report (templates, data files, code excerpts) and aggregation (across seeds and runs).
# bnlab links base, compute, nn and study; the report tools base, the verdicts and their side.
# Editing the report side never reruns an experiment.
SRC_DIRS := src/base src/compute src/nn src/study src/report src/aggregation
BASE_SRC := $(filter-out src/base/version.c,$(wildcard src/base/*.c)) src/study/verdict.c
CORE_SRC := $(BASE_SRC) $(wildcard src/compute/*.c src/nn/*.c) \
            $(filter-out src/study/registry.c src/study/verdict.c,$(wildcard src/study/*.c))
REP_SRC  := $(wildcard src/report/*.c src/aggregation/*.c)
BASE_OBJ := $(BASE_SRC:src/%.c=build/obj/%.o)
# the experiment table: data only, linked by bnlab and bnagg, in no content stamp
LIB_SRC  := $(CORE_SRC) $(REP_SRC) src/study/registry.c
CORE_OBJ := $(CORE_SRC:src/%.c=build/obj/%.o)
REP_OBJ  := $(REP_SRC:src/%.c=build/obj/%.o)
LIB_OBJ  := $(LIB_SRC:src/%.c=build/obj/%.o)
# bnlab's own: the command line, the experiment table, the version; none computes a result
BNLAB_OBJ := build/obj/main_bnlab.o build/obj/study/registry.o build/obj/base/version.o
TESTS   := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))

DEPS_OK   := build/.deps-ok
DEPS_TEST := build/.deps-test

.PHONY: all info clean run checks train bench bench-numpy bench-torch deps help
all: build/bnlab build/bnagg

# Install (as root) or name (otherwise) the missing Debian packages, once: what building and the
# report need for every target, and what the tests need (cmocka, valgrind, clang) for the tests.
$(DEPS_OK): scripts/deps.sh
	@scripts/deps.sh report
	@mkdir -p build && touch $@
$(DEPS_TEST): scripts/deps.sh | $(DEPS_OK)
	@scripts/deps.sh test
	@mkdir -p build && touch $@
deps: $(DEPS_OK) $(DEPS_TEST)

# The compile line and the link line, each rewritten only when it changes: new compile flags
# rebuild the objects, new link flags relink the programs (and neither reruns an experiment: they
# cannot change its result). Kept apart because on a bare machine the libraries' link flags come
# from pkg-config only once the first make has installed it: that relinks, and compiles nothing again.
build/compile.args: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(subst ','',$(COMPILE))' > $@.tmp.$$$$ && \
	  if cmp -s $@.tmp.$$$$ $@; then rm -f $@.tmp.$$$$; else mv $@.tmp.$$$$ $@; fi
build/link.args: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(subst ','',$(LINK) | $(BNLAB_LIBS) | $(GSL_LIBS) | $(CMARK_LIBS) | $(CMOCKA_LIBS) | $(LDLIBS))' > $@.tmp.$$$$ && \
	  if cmp -s $@.tmp.$$$$ $@; then rm -f $@.tmp.$$$$; else mv $@.tmp.$$$$ $@; fi

# -MMD: each object depends on exactly the headers it includes (the content stamps read these too).
build/obj/%.o: src/%.c build/compile.args | $(DEPS_OK)
	@mkdir -p $(@D)
	$(COMPILE) -MMD -MP -c $< -o $@

# The version and the commit go into version.o alone, recompiled when either changes (their
# record, build/version.args, is rewritten only then): a commit rebuilds no other object.
BN_VERSION := 1.0
BN_COMMIT   = $(or $(shell git rev-parse --short=12 HEAD 2>/dev/null),unknown)$(if $(shell git status --porcelain 2>/dev/null | head -n 1),-dirty)
build/version.args: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '-DBN_VERSION="$(BN_VERSION)"' '-DBN_COMMIT="$(BN_COMMIT)"' > $@.tmp.$$$$ && \
	  if cmp -s $@.tmp.$$$$ $@; then rm -f $@.tmp.$$$$; else mv $@.tmp.$$$$ $@; fi
build/obj/base/version.o: src/base/version.c build/version.args build/compile.args | $(DEPS_OK)
	@mkdir -p $(@D)
	$(COMPILE) -DBN_VERSION='"$(BN_VERSION)"' -DBN_COMMIT='"$(BN_COMMIT)"' -MMD -MP -c $< -o $@

build/bnlab: $(BNLAB_OBJ) $(CORE_OBJ) build/link.args
	$(LINK) $(filter %.o,$^) -o $@ $(BNLAB_LIBS) $(LDLIBS)

# The experiment table as make variables (src/study/registry.c, through `bnlab list-files --make`):
# every per-experiment rule and list below derives from it. Goals that need no experiment do
# not build bnlab for it.
BN_MK := build/experiments.mk
NO_MK_GOALS := clean help deps status
ifneq ($(filter-out $(NO_MK_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(BN_MK)
endif
$(BN_MK): build/bnlab
	@build/bnlab list-files --make > $@.tmp.$$$$ && mv $@.tmp.$$$$ $@

# --- unit tests: plain, then under AddressSanitizer + UndefinedBehaviorSanitizer ---
build/asan/%.o: src/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(COMPILE) -O1 $(SANFLAGS) -MMD -MP -c $< -o $@

build/tests/%: tests/%.c tests/testutil.h $(LIB_OBJ) build/link.args | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(COMPILE) -Itests $(LDFLAGS) $< $(LIB_OBJ) -o $@ $(CMOCKA_LIBS) $(CMARK_LIBS) $(BNLAB_LIBS) $(LDLIBS)

build/tests-asan/%: tests/%.c tests/testutil.h $(LIB_SRC:src/%.c=build/asan/%.o) build/link.args | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(COMPILE) -Itests -O1 $(SANFLAGS) $(LDFLAGS) $< $(LIB_SRC:src/%.c=build/asan/%.o) -o $@ $(CMOCKA_LIBS) $(CMARK_LIBS) $(BNLAB_LIBS) $(LDLIBS)

info: build/bnlab
	@build/bnlab info
	@echo "linked BLAS/GSL libraries:"; ldd build/bnlab | grep -E 'gsl|blas|lapack' | sed 's/^[[:space:]]*/  /'
	@echo "GSL's cblas_dgemm binds to (Debian's libgsl also loads libgslcblas, which comes later in"
	@echo "the lookup order and is never called):"
	@LD_BIND_NOW=1 LD_DEBUG=bindings build/bnlab info 2>&1 >/dev/null | grep "symbol \`cblas_dgemm'" | \
	  sed 's/.*binding file \([^ ]*\) .* to \([^ ]*\) .*/  \1 -> \2/'

# --- experiments into the run folder $(RUN) ---
# Each experiment's target is its completion file (the file it writes last, so an interrupted
# run is redone).
done_files = $(foreach x,$(1),$(RUN)/$(BN_EXP_DONE_$(x)))
CHECK_FILES := $(call done_files,$(BN_CHECKS))
TRAIN_FILES := $(call done_files,$(BN_TRAININGS))
RESULT_FILES := $(sort $(BN_RESULT_FILES))
BNLAB = build/bnlab $(BNQ) $$$$BN_FLAGS --seed $(SEED) --out $(RUN)
# $(call bn_regular,FILE): stop, naming FILE, when it is there but not a regular file (cmp or
# a reader would wait forever on a FIFO)
bn_regular = { [ ! -e $(1) ] || [ -f $(1) ] || { echo "bnlab: $(1): not a regular file (remove it)" >&2; exit 1; }; }
# $(call sh_q,TEXT): TEXT as one shell word, whatever it holds (for $$(shell), which sees no exported variable)
sh_q = '$(subst ','\'',$(1))'
# the dataset's bnlab options as two words, read from $(RUN)/dataset.args ("--data DIR": the
# option, a space, the folder, whatever characters it has), never split further by a shell
BN_DS_READ = $(call bn_regular,$(RUN)/dataset.args) && IFS= read -r ds < $(RUN)/dataset.args &&

# The run's configuration: the options that decide the results, as bnlab spells them (so
# --epochs=2 and --epochs 2, or -q and -j, make no difference), rewritten only when it changes.
# bnlab checks every option first, so a bad one stops here with nothing written; a run folder
# holds one configuration, so bnlab removes the results of another before recording this one.
$(RUN)/config.info.tsv: FORCE | build/bnlab
	@$(call bn_regular,$@)
	@set -f; build/bnlab $$BN_FLAGS -j $(JOBS) --seed $(SEED) --out $(RUN) configure

# Which dataset the training experiments read (scripts/dataset.sh: CIFAR10_DIR, data/, the shared
# copy, a download, else Fashion-MNIST), rewritten only when it changes.
$(RUN)/dataset.args: FORCE | $(RUN)/config.info.tsv
	@$(call bn_regular,$@)
	@scripts/dataset.sh > $@.tmp.$$$$ || { rm -f $@.tmp.$$$$; exit 1; }; \
	  if cmp -s $@.tmp.$$$$ $@; then rm -f $@.tmp.$$$$; else mv $@.tmp.$$$$ $@; fi

# Reuse by content: an experiment reruns when what decides its result changes, and only then.
# scripts/stamp.sh writes $(RUN)/.stamps/X.want, newer than X's completion file exactly when the
# content stamp (sha256 of the C files that compute X and the headers they include, BN_CFLAGS,
# the run's configuration and, for a training, the dataset's content) differs from the one
# recorded in $(RUN)/.stamps/X when X last completed. bnlab itself is order-only: relinking it
# (a new usage text, a new commit, `touch`) reruns nothing; copied run folders carry their stamps.
# Each experiment's stamp covers its row's .sources and the library every experiment shares: every
# library file but the experiments' own (src/exp_*.c, which each row names for itself). So what
# one row names changes no other row's stamp. (progress.c writes only to stderr and machine.c only
# machine.info.tsv: neither decides a result byte, so an edit of either reruns nothing.)
BN_UNSTAMPED := src/base/progress.c src/compute/machine.c
BN_SHARED_SRC := $(filter-out src/study/exp_%.c $(BN_UNSTAMPED),$(CORE_SRC))
STAMP = BN_STAMP_FLAGS='$(BN_CFLAGS)' scripts/stamp.sh
# One machine's cores: a training forks JOBS workers, so trainings run one after
# another, whatever make -j (checks, figures and pages still run beside them): each holds
# TRAIN_LOCK, a lock file of this tree and this host (build/.train-HOST.lock: two hosts sharing the
# tree over NFS do not wait for each other), shared by sub-makes (one per seed) and by other makes
# in the tree. The engines' tasks, which have cores of their own, set it empty.
ifeq ($(origin TRAIN_LOCK),undefined)
TRAIN_LOCK := build/.train-$(shell uname -n 2>/dev/null | tr -c 'A-Za-z0-9._\n-' _).lock
endif
$(if $(TRAIN_LOCK),$(call bn_check_path,TRAIN_LOCK,a lock file))
TRAIN_LOCKED = $(if $(TRAIN_LOCK),$(if $(shell command -v flock),flock $(TRAIN_LOCK) ))
# $(call experiment_rules,X,DONE,TRAINING(y or empty),SOURCES)
define experiment_rules
$(RUN)/$(2): $(RUN)/.stamps/$(1).want | build/bnlab
	@rm -f $(RUN)/.stamps/$(1)
	set -f; $(if $(3),$(BN_DS_READ) $(TRAIN_LOCKED))$(BNLAB) $(if $(3),"$$$${ds%% *}" "$$$${ds#* }" -j $(JOBS)) $(1)
	@cp $(RUN)/.stamps/$(1).want $(RUN)/.stamps/$(1).tmp && mv $(RUN)/.stamps/$(1).tmp $(RUN)/.stamps/$(1) && \
	  touch -r $(RUN)/$(2) $(RUN)/.stamps/$(1).want
$(RUN)/.stamps/$(1).want: FORCE | build/bnlab $(RUN)/config.info.tsv $(if $(3),$(RUN)/dataset.args)
	@$(STAMP) $(RUN) $(1) $(2) $(if $(3),--dataset) $(4) $(BN_SHARED_SRC)
endef
$(foreach x,$(BN_CHECKS),$(eval $(call experiment_rules,$(x),$(BN_EXP_DONE_$(x)),,$(BN_EXP_SOURCES_$(x)))))
$(foreach x,$(BN_TRAININGS),$(eval $(call experiment_rules,$(x),$(BN_EXP_DONE_$(x)),y,$(BN_EXP_SOURCES_$(x)))))

# --- several seeds: SEEDS=3 or SEEDS="0 1 2" ---
# Each seed's training experiments go in its own run folder (made by a sub-make, which reuses
# what is up to date); bnagg then writes the across-seed statistics into $(SEEDS_RUN).
empty :=
space := $(empty) $(empty)
# bounded whatever the number of seeds (seeds-0-999-n1000); the full list is in runs.info.tsv
SEEDS_RUN  := data/runs/seeds-$(if $(SEED_LIST),$(shell scripts/seeds-name.sh $(SEED_LIST)))
SEED_RUNS  := $(foreach s,$(SEED_LIST),data/runs/seed-$(s))
SEEDS_DATA := $(SEEDS_RUN)/runs.info.tsv
# the files of one seed's trainings, for run folder $(1) (a pattern with % or a folder)
train_files = $(foreach f,$(TRAIN_FILES),$(1)/$(notdir $(f)))

$(call train_files,data/runs/seed-%): build/bnlab FORCE
	@$(MAKE) --no-print-directory train SEED=$* RUN=data/runs/seed-$*
	@$(if $(filter 1,$(QUIET)),:,scripts/seeds-progress.sh $(words $(filter-out $(RUN),$(SEED_RUNS))) $*)

$(SEEDS_DATA): build/bnagg $(foreach r,$(SEED_RUNS),$(call train_files,$(r)))
	build/bnagg seeds $(BNQ) --out $(SEEDS_RUN) $(SEED_RUNS)

$(BN_G)seeds: $(if $(SEED_LIST),$(SEEDS_DATA),seeds-unset)
seeds-unset:
	@echo 'bnlab: make seeds needs SEEDS, e.g. SEEDS=3 or SEEDS="0 1 2"' >&2; exit 2

# Every result file with its sha256 (the registry's list); `make verify` checks a run against it.
$(RUN)/manifest.tsv: $(CHECK_FILES) $(TRAIN_FILES) scripts/manifest.sh
	scripts/manifest.sh $(RUN) $(RESULT_FILES)

checks: $(CHECK_FILES)
$(BN_G)train: $(TRAIN_FILES)
$(BN_G)run: checks $(BN_G)train $(RUN)/manifest.tsv

# Rerun seed SEED from scratch in a temporary folder; compare file by file with its manifest.
verify: build/bnlab
	@JOBS=$(JOBS) scripts/verify.sh $(RUN) $(RESULT_FILES)

data:
	scripts/fetch-cifar10.sh

# make bench: the trainings against the GEMM bound (bnbench), the several-seed aggregation
# (bench-agg.sh), and the whole report's time budget by experiment and phase (bench-report.sh,
# make -j2 report from nothing, timed alone and profiled by perf; perf comes from the deps.sh
# bench group)
bench: build/bnlab build/bnbench build/bnagg build/bnreport
	@scripts/deps.sh bench
	ds=$$(scripts/dataset.sh) && build/bnbench "$${ds%% *}" "$${ds#* }" -j $(JOBS)
	scripts/bench-agg.sh 1000
	scripts/bench-report.sh 2

# Experiments 5 and 6 again in NumPy (JOBS worker processes, single-threaded BLAS), timed to set
# beside bnbench's figures; NumPy comes from the deps.sh bench group.
bench-numpy:
	@scripts/deps.sh bench
	ds=$$(scripts/dataset.sh) && scripts/numpy-study.py --dtype float32 -j $(JOBS) "$${ds%% *}" "$${ds#* }"
	ds=$$(scripts/dataset.sh) && scripts/numpy-study.py --dtype float64 -j $(JOBS) "$${ds%% *}" "$${ds#* }"

# The same in PyTorch (scripts/torch-study.py: nn.Linear, nn.BatchNorm1d, autograd, torch.optim.Adam;
# one thread per process), from the deps.sh bench-torch group (python3-torch).
bench-torch:
	@scripts/deps.sh bench-torch
	ds=$$(scripts/dataset.sh) && scripts/torch-study.py --dtype float32 -j $(JOBS) "$${ds%% *}" "$${ds#* }"
	ds=$$(scripts/dataset.sh) && scripts/torch-study.py --dtype float64 -j $(JOBS) "$${ds%% *}" "$${ds#* }"

clean:
	rm -rf build

.PHONY: data verify seeds seeds-unset FORCE
FORCE:
.DELETE_ON_ERROR:

# The report (figures, HTML) and the robustness suite have their own rules.
-include $(wildcard build/obj/*.d build/obj/*/*.d build/asan/*.d build/asan/*/*.d)
-include report/report.mk
-include tests/tests.mk
include scripts/engines.mk   # ENGINE=slurm, SPLIT=points, make merge

build/bnbench: build/obj/main_bnbench.o $(CORE_OBJ) build/link.args
	$(LINK) $(filter %.o,$^) -o $@ $(BNLAB_LIBS) $(LDLIBS)

# bnagg uses GSL for its statistics (no matrix products), not OpenBLAS; it walks the experiment table.
# bnagg links the report side but the page assembly (src/report/page.c, on cmark-gfm): bnreport's alone
build/bnagg: build/obj/main_bnagg.o build/obj/base/version.o build/obj/study/registry.o $(BASE_OBJ) $(filter-out build/obj/report/page.o,$(REP_OBJ)) build/link.args
	$(LINK) $(filter %.o,$^) -o $@ $(GSL_LIBS) $(REPORT_LIBS) $(LDLIBS)

# --- make help: the targets and the variables
help:
	@echo 'targets:'
	@echo '  make report      run what is out of date, draw the figures, render $$(RUN)/report/index.html'
	@echo '  make run         every experiment into $$(RUN) and its manifest (checks + train)'
	@echo '  make checks      the check experiments (no dataset);  make train: the trainings'
	@echo '  make figures     redraw the figures from the data on disk (never runs an experiment)'
	@echo '  make seeds       the several-seed statistics (needs SEEDS)'
	@echo '  make compare A=.. B=..  a page comparing two runs (each a seed number or a run folder)'
	@echo '  make verify      rerun $$(RUN) in a temporary folder and compare with its manifest'
	@echo '  make check       the unit tests and a quick end-to-end report, under a minute'
	@echo '                   (make unit BN_TEST=PATTERN: only the unit-test cases whose names match)'
	@echo '  make test        every suite in order, then their counts (tests/suites.sh lists them; make SUITE runs one):'
	@echo '                   unit tests (plain and ASan+UBSan), end-to-end, reuse, build flags, real data (when found),'
	@echo '                   Slurm and Parallel, cores, kernels, bad input, CLI tools, the pages in headless Chromium'
	@echo '  make test-offline  make test in a copy of the tree with no dataset and no network reachable'
	@echo '  make bench       speed against the machine'\''s GEMM bound;  make bench-numpy / bench-torch: the same trainings in NumPy / PyTorch'
	@echo '  make info        build and library configuration'
	@echo '  make data        download CIFAR-10;  make deps: install the Debian packages;  make clean'
	@echo 'variables (make VAR=value):'
	@echo '  SEED=0           the run'\''s seed;  RUN=data/runs/seed-$$(SEED) its folder'
	@echo '  SEEDS=5 | "0 3"  several seeds (report, seeds);  A=, B= for compare'
	@echo '  BNFLAGS=         bnlab options that decide results, e.g. "--epochs 2 --points 4" (words split at blanks)'
	@echo '  JOBS=$(JOBS)           training worker processes;  QUIET=1 silences progress'
	@echo '  DTYPE=float32|float64  the trainings'\'' dtype (default float32; float64 reproduces older runs)'
	@echo '  ENGINE=local|slurm, SPLIT=points, SLURM_FLAGS="...", SLURM_POLL=N  where the trainings run'
	@echo '  SEEDS_PER_TASK, SLURM_MAX_RUNNING, SLURM_RETRIES, SLURM_PARTITION, SLURM_ACCOUNT, SLURM_MEM,'
	@echo '  SLURM_TIME_TRAIN, SLURM_TIME_PAGE, SLURM_CPUS_PAGE, DETACH=1  the Slurm engine (docs/engines.md); make status'
	@echo '                   (make merge [SEEDS=..]: join sweep parts and aggregate; make plan: what would rerun)'
	@echo '  TRAIN_LOCK=      the lock that runs trainings one after another under make -j (empty: none)'
	@echo '  CIFAR10_DIR=     the CIFAR-10 binary folder (else data/, the shared copy, a download)'
	@echo '  CC, CFLAGS, CPPFLAGS, LDFLAGS, LDLIBS  the build, from the command line or environment;'
	@echo '                   they cannot change a result: BN_CFLAGS ($(BN_CFLAGS)) comes last'
	@echo '  REPORT_SRC=report, RUNS_ROOT=data/runs, COMPARE_ROOT=data/compare  where pages come from and go'
	@echo '  COMPARE_SEEDS=10 seeds of A'"'"'s options whose spread is make compare'"'"'s noise (made if missing; 0: none)'
