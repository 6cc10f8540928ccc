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
# BLAS inside each process is single-threaded; parallelism comes from -j JOBS worker processes.
export OPENBLAS_NUM_THREADS := 1

LIB_SRC := src/common.c src/layers.c src/net.c src/gradcheck.c src/optim.c src/solver.c \
           src/data.c src/runner.c src/exp_checks.c src/exp_training.c src/tsv.c src/aggregate.c
LIB_OBJ := $(LIB_SRC:src/%.c=build/obj/%.o)
LIB_HDR := $(wildcard src/*.h)
TESTS   := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))

DEPS_OK := build/.deps-ok

.PHONY: all test unit unit-asan info clean run checks train bench deps
all: build/bnlab

# Install (as root) or name (otherwise) the missing Debian packages, once.
$(DEPS_OK): scripts/deps.sh
	@scripts/deps.sh all
	@mkdir -p build && touch $@
deps: $(DEPS_OK)

build/obj/%.o: src/%.c $(LIB_HDR) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

build/bnlab: build/obj/main_bnlab.o $(LIB_OBJ)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# --- unit tests: plain, then under AddressSanitizer + UndefinedBehaviorSanitizer ---
build/asan/%.o: src/%.c $(LIB_HDR) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O1 $(SANFLAGS) -c $< -o $@

build/tests/%: tests/%.c tests/testutil.h $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $< $(LIB_OBJ) -o $@ -lcmocka $(LDLIBS)

build/tests-asan/%: tests/%.c tests/testutil.h $(LIB_SRC:src/%.c=build/asan/%.o)
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
	@echo "linked BLAS/GSL libraries:"; ldd build/bnlab | grep -E 'gsl|blas|lapack' | sed 's/^/  /'

# --- experiments into the run folder $(RUN) ---
# Each target is the file an experiment writes last, so an interrupted run is redone.
CHECK_FILES := $(RUN)/exp1_forward_train.tsv $(RUN)/exp2_forward_test.tsv \
               $(RUN)/exp3_bn_gradcheck.tsv $(RUN)/exp4_net_gradcheck.tsv
TRAIN_FILES := $(RUN)/exp5_deepnet.tsv $(RUN)/exp6_sweep.tsv

$(RUN)/exp1_forward_train.tsv: build/bnlab ; build/bnlab $(BNFLAGS) --seed $(SEED) --out $(RUN) forward-train
$(RUN)/exp2_forward_test.tsv:  build/bnlab ; build/bnlab $(BNFLAGS) --seed $(SEED) --out $(RUN) forward-test
$(RUN)/exp3_bn_gradcheck.tsv:  build/bnlab ; build/bnlab $(BNFLAGS) --seed $(SEED) --out $(RUN) bn-gradcheck
$(RUN)/exp4_net_gradcheck.tsv: build/bnlab ; build/bnlab $(BNFLAGS) --seed $(SEED) --out $(RUN) net-gradcheck
$(RUN)/exp5_deepnet.tsv: build/bnlab
	build/bnlab $(BNFLAGS) $$(scripts/dataset.sh) -j $(JOBS) --seed $(SEED) --out $(RUN) deepnet
$(RUN)/exp6_sweep.tsv: build/bnlab
	build/bnlab $(BNFLAGS) $$(scripts/dataset.sh) -j $(JOBS) --seed $(SEED) --out $(RUN) sweep

checks: $(CHECK_FILES)
train: $(TRAIN_FILES)
run: checks train

data:
	scripts/fetch-cifar10.sh

bench: build/bnlab build/bnbench
	build/bnbench $$(scripts/dataset.sh) -j $(JOBS)

clean:
	rm -rf build

.PHONY: data
.DELETE_ON_ERROR:
.SECONDARY:

# The report (figures, HTML) and the robustness suite have their own rules.
-include report/report.mk
-include tests/tests.mk

build/bnbench: build/obj/main_bnbench.o $(LIB_OBJ)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

build/bnagg: build/obj/main_bnagg.o $(LIB_OBJ)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)
