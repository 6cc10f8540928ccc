# tests/tests.mk - make test and its suites; included by the Makefile.
#   unit, unit-asan  the cmocka unit tests, plain and under AddressSanitizer + UBSan
#   e2e-report     make report, figures, seeds, compare and verify end to end (every page number
#                  recomputed from the data files)
#   reuse          experiments reused by content, not by time
#   buildvars      CFLAGS="-O3 -march=native" and CC=clang give the default build's bytes; no FMA
#   realdata       a run on the real CIFAR-10 when a folder is found (skipped, saying so, if not)
#   deps-noroot    a build with no dpkg or apt, GSL from a user's prefix (CPATH, LIBRARY_PATH)
#   slurm-vars     the Slurm engine's make variables are checked before anything runs
#   test-slurm, test-parallel  the engines on a real single-node Slurm (root) and GNU Parallel
#   cores, kernels one machine's cores are not oversubscribed; other GEMM kernels give the same bytes
#   portability    the same bytes as an emulated AVX2 CPU (qemu-x86_64 -cpu Haswell)
#   badinput       every bad option, variable, dataset, output fault and interruption
#   harden-values  no value from a file, the environment or the command line reaches a shell
#   harden-inputs  merges check their parts; inputs checked before work; one configuration a run folder
#   sanitize       a reduced run and the bad-input suite against the ASan + UBSan build of bnlab
#   cli-tools      the command lines of bnagg and bnreport
#   docs           the README and docs/ against the code: every make target, variable, option
#                  and data file named, every link resolves, the README at most 200 lines
#   browser-test   the three pages in headless Chromium at 1280 and 390 px and in print
# Not part of make test:
#   make test-offline  make test in a copy of the tree with no dataset and no network reachable
#   make valgrind   one reduced end-to-end run and the unit tests under valgrind (tests/valgrind.sh)
#   make fuzz       libFuzzer targets for the CIFAR-10 reader, the IDX reader and the report
#                   renderer, FUZZ_TIME seconds each (default 60), each on a copy of its seed
#                   corpus in tests/fuzz/corpus/; logs and any crashing input in build/fuzz/
# The suites of `make test`, in the order they run, come from tests/suites.sh (its list ALL, which
# runs each and ends with the counts: "suites: N passed, N failed, N skipped"); `make NAME` runs
# one; `make check` the everyday few (unit tests, a quick end-to-end report: under a minute);
# `make unit BN_TEST='*staged*'` the unit-test cases whose names match. Each suite's script says
# at its top what it checks. None needs the real dataset or a network: realdata runs on a real
# CIFAR-10 folder when one is found and is skipped, saying so, when none is.
SUITES := $(shell tests/suites.sh --list)
SUITE_BUILD := build/bnlab build/bnagg build/bnreport build/experiments.mk
.PHONY: test check test-offline $(SUITES) valgrind fuzz

test: $(SUITE_BUILD) $(TESTS:%=build/tests/%) $(TESTS:%=build/tests-asan/%) build/bnlab-asan | $(DEPS_TEST)
	@BN_UNIT_TESTS='$(TESTS)' tests/suites.sh all
check: build/bnlab build/bnagg build/bnreport $(TESTS:%=build/tests/%) | $(DEPS_OK) $(DEPS_TEST)
	@BN_UNIT_TESTS='$(TESTS)' tests/suites.sh check
unit: $(TESTS:%=build/tests/%)
unit-asan: $(TESTS:%=build/tests-asan/%)
sanitize: build/bnlab-asan
$(SUITES): $(SUITE_BUILD) | $(DEPS_TEST)
	@BN_UNIT_TESTS='$(TESTS)' tests/suites.sh $@

# make test as on a machine with no dataset and no network: in a copy of the tree with no
# ../shared beside it, an empty dataset cache, CIFAR10_DIR unset, the download pointed at an
# address that refuses, and (as root, where unshare works) no network at all (tests/offline.sh)
test-offline: | $(DEPS_OK) $(DEPS_TEST)
	@tests/offline.sh

# --- AddressSanitizer + UndefinedBehaviorSanitizer build of the program (objects: Makefile's build/asan rule)
build/bnlab-asan: $(BNLAB_OBJ:build/obj/%=build/asan/%) $(CORE_SRC:src/%.c=build/asan/%.o) build/link.args
	$(LINK) -O1 $(SANFLAGS) $(filter %.o,$^) -o $@ $(BNLAB_LIBS) $(LDLIBS)

valgrind: build/bnlab $(TESTS:%=build/tests/%) | $(DEPS_TEST)
	@tests/valgrind.sh build/bnlab $(TESTS:%=build/tests/%)

# --- libFuzzer: clang, instrumented, built straight from the library sources they exercise
FUZZ_CC     ?= clang
FUZZ_TIME   ?= 60
$(call bn_check_int,FUZZ_TIME,a number of seconds,1,86400)
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=undefined -Wall -Wextra
FUZZ_TARGETS := cifar idx render

build/fuzz/fuzz_cifar: tests/fuzz/fuzz_cifar.c src/study/data.c $(BASE_SRC) src/study/data.h src/base/common.h | $(DEPS_OK) $(DEPS_TEST)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BN_CPPFLAGS) $(CPPFLAGS) $(FUZZ_CFLAGS) $(LDFLAGS) $(filter %.c,$^) -o $@ $(BNLAB_LIBS) $(LDLIBS)
build/fuzz/fuzz_idx: tests/fuzz/fuzz_idx.c src/study/data.c $(BASE_SRC) src/study/data.h src/base/common.h | $(DEPS_OK) $(DEPS_TEST)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BN_CPPFLAGS) $(CPPFLAGS) $(FUZZ_CFLAGS) $(LDFLAGS) $(filter %.c,$^) -o $@ $(BNLAB_LIBS) $(LDLIBS)
build/fuzz/fuzz_render: tests/fuzz/fuzz_render.c src/report/render.c src/report/tsv.c $(BASE_SRC) src/report/render.h src/report/tsv.h | $(DEPS_OK) $(DEPS_TEST)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BN_CPPFLAGS) $(CPPFLAGS) $(FUZZ_CFLAGS) $(LDFLAGS) $(filter %.c,$^) -o $@ $(BNLAB_LIBS) $(LDLIBS)

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_TARGETS)
