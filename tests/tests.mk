# tests/tests.mk - the robustness suite of issue 6; included by the Makefile.
#   make badinput   every bad option, make variable, dataset and output fault, numerical fault and
#                   interruption, run against build/bnlab and the Makefile (tests/badinput.sh);
#                   part of `make test`
#   make sanitize   one reduced end-to-end run, then the bad-input suite, against an
#                   AddressSanitizer + UndefinedBehaviorSanitizer build (build/bnlab-asan);
#                   part of `make test`
#   make valgrind   one reduced end-to-end run and the unit tests under valgrind (tests/valgrind.sh)
#   make fuzz       libFuzzer targets for the CIFAR-10 reader, the IDX reader and the report
#                   renderer, FUZZ_TIME seconds each (default 60), each on a copy of its seed
#                   corpus in tests/fuzz/corpus/; logs and any crashing input in build/fuzz/
.PHONY: badinput sanitize valgrind fuzz

# the sanitizer build of bnlab is part of the tests too (about 50 s)
test: badinput sanitize

badinput: build/bnlab
	@tests/badinput.sh

# --- AddressSanitizer + UndefinedBehaviorSanitizer build of the program (objects: Makefile's build/asan rule)
build/bnlab-asan: build/asan/main_bnlab.o $(LIB_SRC:src/%.c=build/asan/%.o)
	$(CC) $(CFLAGS) -O1 $(SANFLAGS) $^ -o $@ $(LDLIBS)

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

build/fuzz/fuzz_cifar: tests/fuzz/fuzz_cifar.c src/data.c src/common.c src/guard.c src/data.h src/common.h src/guard.h | $(DEPS_OK) $(DEPS_TEST)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@ $(LDLIBS)
build/fuzz/fuzz_idx: tests/fuzz/fuzz_idx.c src/data.c src/common.c src/guard.c src/data.h src/common.h src/guard.h | $(DEPS_OK) $(DEPS_TEST)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@ $(LDLIBS)
build/fuzz/fuzz_render: tests/fuzz/fuzz_render.c src/render.c src/tsv.c src/common.c src/guard.c src/render.h src/tsv.h src/common.h | $(DEPS_OK) $(DEPS_TEST)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@ $(LDLIBS)

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_TARGETS)
