# bnlab - reproducible Batch Normalization study.  `make report` and `make test` do everything.
SHELL := /bin/sh
.DEFAULT_GOAL := all

CC      := gcc
CFLAGS  := -std=c11 -O2 -fno-math-errno -ftree-vectorize -fvect-cost-model=dynamic -g -Wall -Wextra -Werror=implicit-function-declaration
CPPFLAGS:= -Isrc
# GSL on OpenBLAS's CBLAS, never libgslcblas.
LDLIBS  := -lgsl -lopenblas -lz -lm
SANFLAGS:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SEED    ?= 0
JOBS    ?= $(shell nproc 2>/dev/null || echo 1)
RUN     ?= data/runs/seed-$(SEED)
BNFLAGS ?=
# QUIET=1 silences bnlab's progress lines (it is not part of a run's configuration).
BNQ     := $(if $(QUIET),-q)
# BLAS inside each process is single-threaded; parallelism comes from -j JOBS worker processes.
export OPENBLAS_NUM_THREADS := 1

# Make variables are checked before anything runs, so a bad value writes nothing.
is_uint = $(shell printf '%s' '$(subst ','',$(1))' | grep -Eqx '[0-9]{1,10}' && echo y)
$(if $(call is_uint,$(SEED)),,$(error SEED='$(SEED)' is not a seed (accepted: an integer from 0 to 4294967295)))
$(if $(call is_uint,$(JOBS)),,$(error JOBS='$(JOBS)' is not a number of jobs (accepted: an integer from 1 to 256)))
$(if $(filter-out 0,$(JOBS)),,$(error JOBS='$(JOBS)' is not a number of jobs (accepted: an integer from 1 to 256)))
# --- issue 12 (harden): every variable that becomes a path is checked before use: not empty,
# one word (make counts tabs, CR, LF, VT, FF as blanks), no quote, backslash or other control
# character, so no recipe can be broken by it or write outside the folder it names.
bn_ctl := $(shell printf '\001 \002 \003 \004 \005 \006 \007 \010 \016 \017 \020 \021 \022 \023 \024 \025 \026 \027 \030 \031 \032 \033 \034 \035 \036 \037 \177')
bn_path_why = $(if $(1),$(if $(filter-out 1,$(words $(1))),has a space or a control character,$(if $(or $(findstring ',$(1)),$(findstring ",$(1)),$(findstring `,$(1)),$(findstring \,$(1))),has a quote or a backslash,$(if $(strip $(foreach c,$(bn_ctl),$(findstring $(c),$(1)))),has a control character))),is empty)
# a value as a message shows it: blanks as one space, other control characters as ?
bn_subst_all = $(if $(1),$(call bn_subst_all,$(wordlist 2,99,$(1)),$(subst $(firstword $(1)),?,$(2))),$(2))
bn_show = $(call bn_subst_all,$(bn_ctl),$(strip $(1)))
# $(call bn_check_path,VAR,WHAT): stop with "VAR='value' is not WHAT: it REASON (accepted: ...)"
bn_check_path = $(if $(call bn_path_why,$($(1))),$(error $(1)='$(call bn_show,$($(1)))' is not $(2): it $(call bn_path_why,$($(1))) (accepted: one folder name, not empty, without spaces, quotes or control characters)))
$(call bn_check_path,RUN,a run folder)
$(if $(filter undefined,$(origin TMPDIR)),,$(if $(TMPDIR),$(call bn_check_path,TMPDIR,a temporary folder)))
$(if $(filter undefined,$(origin CIFAR10_DIR)),,$(if $(CIFAR10_DIR),$(call bn_check_path,CIFAR10_DIR,a dataset folder)))
$(foreach s,$(SEEDS),$(if $(call is_uint,$(s)),,$(error SEEDS='$(call bn_show,$(SEEDS))': '$(s)' is not a seed (accepted: a count like SEEDS=5, or a list of integers like SEEDS="0 1 2"))))
# a count is bounded before seq expands it (SEEDS=4294967295 would list 4.3 billion seeds)
$(if $(SEEDS),$(if $(shell test $(words $(SEEDS)) -gt 1 -o $(firstword $(SEEDS)) -ge 1 -a $(firstword $(SEEDS)) -le 10000 && test $(words $(SEEDS)) -le 10000 && echo y),,$(error SEEDS='$(SEEDS)' is out of range (accepted: a count of seeds from 1 to 10000, or a list of at most 10000 seeds like SEEDS="0 1 2"))))
# --- end of issue 12's checks
# SEEDS=5 means seeds 0..4; SEEDS="3 7" means those seeds.
SEED_LIST := $(if $(word 2,$(SEEDS)),$(SEEDS),$(if $(SEEDS),$(shell seq 0 $$(($(SEEDS) - 1)))))

# The experiments' library (what bnlab links), and the report side's (TSV reading, templates,
# across-seed statistics). Editing the report side never reruns an experiment.
CORE_SRC := src/common.c src/layers.c src/net.c src/gradcheck.c src/optim.c src/solver.c \
            src/data.c src/runner.c src/exp_checks.c src/exp_training.c src/guard.c src/blas_guard.c
REP_SRC  := src/tsv.c src/render.c src/aggregate.c
LIB_SRC  := $(CORE_SRC) $(REP_SRC)
CORE_OBJ := $(CORE_SRC:src/%.c=build/obj/%.o)
REP_OBJ  := $(REP_SRC:src/%.c=build/obj/%.o)
LIB_OBJ  := $(LIB_SRC:src/%.c=build/obj/%.o)
TESTS   := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))

DEPS_OK   := build/.deps-ok
DEPS_TEST := build/.deps-test

.PHONY: all test unit unit-asan info clean run checks train bench deps
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

# -MMD: each object depends on exactly the headers it includes.
build/obj/%.o: src/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

build/bnlab: build/obj/main_bnlab.o $(CORE_OBJ)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# --- unit tests: plain, then under AddressSanitizer + UndefinedBehaviorSanitizer ---
build/asan/%.o: src/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O1 $(SANFLAGS) -MMD -MP -c $< -o $@

build/tests/%: tests/%.c tests/testutil.h $(LIB_OBJ) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $< $(LIB_OBJ) -o $@ -lcmocka $(LDLIBS)

build/tests-asan/%: tests/%.c tests/testutil.h $(LIB_SRC:src/%.c=build/asan/%.o) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -O1 $(SANFLAGS) $< $(LIB_SRC:src/%.c=build/asan/%.o) -o $@ -lcmocka $(LDLIBS)

unit: $(TESTS:%=build/tests/%) build/bnlab
	@BNLAB=build/bnlab tests/run-unit.sh plain $(TESTS:%=build/tests/%)

unit-asan: $(TESTS:%=build/tests-asan/%) build/bnlab
	@BNLAB=build/bnlab ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  tests/run-unit.sh asan+ubsan $(TESTS:%=build/tests-asan/%)

test: unit unit-asan

info: build/bnlab
	@build/bnlab info
	@echo "linked BLAS/GSL libraries:"; ldd build/bnlab | grep -E 'gsl|blas|lapack' | sed 's/^[[:space:]]*/  /'
	@echo "GSL's cblas_dgemm binds to (Debian's libgsl also loads libgslcblas, which comes later in"
	@echo "the lookup order and is never called):"
	@LD_BIND_NOW=1 LD_DEBUG=bindings build/bnlab info 2>&1 >/dev/null | grep "symbol \`cblas_dgemm'" | \
	  sed 's/.*binding file \([^ ]*\) .* to \([^ ]*\) .*/  \1 -> \2/'

# --- experiments into the run folder $(RUN) ---
# Each target is the file an experiment writes last, so an interrupted run is redone.
CHECK_FILES := $(RUN)/exp1_forward_train.tsv $(RUN)/exp2_forward_test.tsv \
               $(RUN)/exp3_bn_gradcheck.tsv $(RUN)/exp4_net_gradcheck.tsv \
               $(RUN)/exp7_net_gradcheck_norms.tsv
TRAIN_FILES := $(RUN)/exp5_deepnet.tsv $(RUN)/exp6_sweep.tsv $(RUN)/exp7_batchsize.tsv
BNLAB = build/bnlab $(BNQ) $(BNFLAGS) --seed $(SEED) --out $(RUN)

# The run's configuration: the options that decide the results, as bnlab spells them (so
# --epochs=2 and --epochs 2, or -q and -j, make no difference), rewritten only when it changes:
# a new option reruns the experiments, an unchanged one leaves them alone. bnlab checks every
# option first, so a bad one stops here with nothing written.
$(RUN)/config.info.tsv: build/bnlab FORCE
	@build/bnlab $(BNFLAGS) -j $(JOBS) --seed $(SEED) --out $(RUN) config >/dev/null
	@mkdir -p $(@D)
	@build/bnlab $(BNFLAGS) --seed $(SEED) config > $@.tmp.$$$$ && \
	  if cmp -s $@.tmp.$$$$ $@; then rm -f $@.tmp.$$$$; else mv $@.tmp.$$$$ $@; fi

$(RUN)/exp1_forward_train.tsv: build/bnlab $(RUN)/config.info.tsv ; $(BNLAB) forward-train
$(RUN)/exp2_forward_test.tsv:  build/bnlab $(RUN)/config.info.tsv ; $(BNLAB) forward-test
$(RUN)/exp3_bn_gradcheck.tsv:  build/bnlab $(RUN)/config.info.tsv ; $(BNLAB) bn-gradcheck
$(RUN)/exp4_net_gradcheck.tsv: build/bnlab $(RUN)/config.info.tsv ; $(BNLAB) net-gradcheck
$(RUN)/exp7_net_gradcheck_norms.tsv: build/bnlab $(RUN)/config.info.tsv ; $(BNLAB) layernorm-checks

# Which dataset the training experiments read (scripts/dataset.sh: CIFAR10_DIR, data/, the shared
# copy, a download, else Fashion-MNIST), rewritten only when it changes: a dataset that appears
# later (a download that now works) reruns the trainings made on the fallback.
$(RUN)/dataset.args: FORCE | $(RUN)/config.info.tsv
	@scripts/dataset.sh > $@.tmp.$$$$ || { rm -f $@.tmp.$$$$; exit 1; }; \
	  if cmp -s $@.tmp.$$$$ $@; then rm -f $@.tmp.$$$$; else mv $@.tmp.$$$$ $@; fi
TRAIN_DEPS := build/bnlab $(RUN)/config.info.tsv $(RUN)/dataset.args
$(RUN)/exp5_deepnet.tsv: $(TRAIN_DEPS)
	$(BNLAB) $$(cat $(RUN)/dataset.args) -j $(JOBS) deepnet
$(RUN)/exp6_sweep.tsv: $(TRAIN_DEPS)
	$(BNLAB) $$(cat $(RUN)/dataset.args) -j $(JOBS) sweep
$(RUN)/exp7_batchsize.tsv: $(TRAIN_DEPS)
	$(BNLAB) $$(cat $(RUN)/dataset.args) -j $(JOBS) batchsize

# --- several seeds: SEEDS=3 or SEEDS="0 1 2" ---
# Each seed's training experiments go in its own run folder (made by a sub-make, which reuses
# what is up to date); bnagg then writes the across-seed statistics into $(SEEDS_RUN).
empty :=
space := $(empty) $(empty)
SEEDS_RUN  := data/runs/seeds-$(subst $(space),-,$(strip $(SEED_LIST)))
SEED_RUNS  := $(foreach s,$(SEED_LIST),data/runs/seed-$(s))
SEEDS_DATA := $(SEEDS_RUN)/runs.info.tsv

data/runs/seed-%/exp5_deepnet.tsv data/runs/seed-%/exp6_sweep.tsv data/runs/seed-%/exp7_batchsize.tsv: build/bnlab FORCE
	@$(MAKE) --no-print-directory train SEED=$* RUN=data/runs/seed-$*

$(SEEDS_DATA): build/bnagg $(foreach r,$(SEED_RUNS),$(r)/exp5_deepnet.tsv $(r)/exp6_sweep.tsv $(r)/exp7_batchsize.tsv)
	build/bnagg seeds $(BNQ) --out $(SEEDS_RUN) $(SEED_RUNS)

seeds: $(if $(SEED_LIST),$(SEEDS_DATA),seeds-unset)
seeds-unset:
	@echo 'bnlab: make seeds needs SEEDS, e.g. SEEDS=3 or SEEDS="0 1 2"' >&2; exit 2

# Every result file with its sha256; `make verify` checks a run against it.
$(RUN)/manifest.tsv: $(CHECK_FILES) $(TRAIN_FILES) scripts/manifest.sh
	scripts/manifest.sh $(RUN)

checks: $(CHECK_FILES)
train: $(TRAIN_FILES)
run: checks train $(RUN)/manifest.tsv

# Rerun seed SEED from scratch in a temporary folder; compare file by file with its manifest.
verify: build/bnlab
	@scripts/verify.sh $(RUN)

data:
	scripts/fetch-cifar10.sh

bench: build/bnlab build/bnbench
	build/bnbench $$(scripts/dataset.sh) -j $(JOBS)

clean:
	rm -rf build

.PHONY: data verify seeds seeds-unset FORCE
FORCE:
.DELETE_ON_ERROR:

# The report (figures, HTML) and the robustness suite have their own rules.
-include $(wildcard build/obj/*.d build/asan/*.d)
-include report/report.mk
-include tests/tests.mk

build/bnbench: build/obj/main_bnbench.o $(CORE_OBJ)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

build/bnagg: build/obj/main_bnagg.o build/obj/common.o build/obj/guard.o $(REP_OBJ)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)
