# tests/tests.mk - the robustness suite of issue 6; included by the Makefile.
#   make badinput   every bad option, make variable, dataset and output fault, numerical fault and
#                   interruption, run against build/bnlab and the Makefile (tests/badinput.sh);
#                   part of `make test`
#   make sanitize   one reduced end-to-end run, then the bad-input suite, against an
#                   AddressSanitizer + UndefinedBehaviorSanitizer build (build/bnlab-asan);
#                   part of `make test`
#   make cli-tools  the command lines of bnagg and bnreport (tests/cli_tools.sh); part of `make test`
#   make valgrind   one reduced end-to-end run and the unit tests under valgrind (tests/valgrind.sh)
#   make fuzz       libFuzzer targets for the CIFAR-10 reader, the IDX reader and the report
#                   renderer, FUZZ_TIME seconds each (default 60), each on a copy of its seed
#                   corpus in tests/fuzz/corpus/; logs and any crashing input in build/fuzz/
#   make reuse      experiments reused by content, not by time (tests/reuse.sh); part of `make test`
#   make buildvars  CFLAGS="-O3 -march=native" and CC=clang builds give the default build's bytes,
#                   and no FMA in layers.o (tests/buildvars.sh); part of `make test`
#   make browser-test  the seed, several-seed and compare pages, built with small settings in a copy
#                   of the tree, in headless Chromium at 1280 and 390 px (tests/browser_test.py);
#                   part of `make test`
#   make test-slurm, test-parallel  the engines on a real single-node Slurm (root; skips saying
#                   why elsewhere) and GNU Parallel; part of `make test`
.PHONY: cores kernels badinput sanitize valgrind fuzz reuse buildvars cli-tools test-slurm test-parallel browser-test

test: reuse buildvars test-slurm test-parallel cores kernels
# runs name their GEMM kernels; pages and make verify say when kernels differ (tests/kernels.sh)
kernels: build/bnlab build/bnagg build/bnreport
	@tests/kernels.sh
# make -j never runs more than JOBS busy trainers (tests/cores.sh)
cores: build/bnlab build/bnagg
	@tests/cores.sh
reuse: build/bnlab build/experiments.mk
	@tests/reuse.sh
buildvars: build/bnlab | $(DEPS_TEST)
	@tests/buildvars.sh
test-slurm test-parallel: build/bnlab build/bnagg build/bnreport
	@tests/$(@:test-%=%).sh

# the sanitizer build of bnlab is part of the tests too (about 50 s)
test: badinput sanitize cli-tools

badinput: build/bnlab
	@tests/badinput.sh

cli-tools: build/bnagg build/bnreport
	@tests/cli_tools.sh

test: browser-test
browser-test: build/bnlab build/bnagg build/bnreport | $(DEPS_TEST)
	@tests/browser_test.py

# --- AddressSanitizer + UndefinedBehaviorSanitizer build of the program (objects: Makefile's build/asan rule)
build/bnlab-asan: $(BNLAB_OBJ:build/obj/%=build/asan/%) $(LIB_SRC:src/%.c=build/asan/%.o)
	$(LINK) -O1 $(SANFLAGS) $^ -o $@ $(BNLAB_LIBS) $(LDLIBS)

sanitize: build/bnlab-asan
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 tests/valgrind.sh --asan build/bnlab-asan
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 BNLAB=build/bnlab-asan tests/badinput.sh

valgrind: build/bnlab $(TESTS:%=build/tests/%) | $(DEPS_TEST)
	@tests/valgrind.sh build/bnlab $(TESTS:%=build/tests/%)

# --- libFuzzer: clang, instrumented, built straight from the library sources they exercise
FUZZ_CC     ?= clang
FUZZ_TIME   ?= 60
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=undefined -Wall -Wextra
FUZZ_TARGETS := cifar idx render

build/fuzz/fuzz_cifar: tests/fuzz/fuzz_cifar.c src/data.c $(BASE_SRC) src/data.h src/common.h | $(DEPS_OK) $(DEPS_TEST)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BN_CPPFLAGS) $(CPPFLAGS) $(FUZZ_CFLAGS) $(LDFLAGS) $(filter %.c,$^) -o $@ $(BNLAB_LIBS) $(LDLIBS)
build/fuzz/fuzz_idx: tests/fuzz/fuzz_idx.c src/data.c $(BASE_SRC) src/data.h src/common.h | $(DEPS_OK) $(DEPS_TEST)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BN_CPPFLAGS) $(CPPFLAGS) $(FUZZ_CFLAGS) $(LDFLAGS) $(filter %.c,$^) -o $@ $(BNLAB_LIBS) $(LDLIBS)
build/fuzz/fuzz_render: tests/fuzz/fuzz_render.c src/render.c src/tsv.c $(BASE_SRC) src/render.h src/tsv.h | $(DEPS_OK) $(DEPS_TEST)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BN_CPPFLAGS) $(CPPFLAGS) $(FUZZ_CFLAGS) $(LDFLAGS) $(filter %.c,$^) -o $@ $(BNLAB_LIBS) $(LDLIBS)

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_TARGETS)
