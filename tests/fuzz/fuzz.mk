# libFuzzer targets (included by the Makefile). Everything lands in build/fuzz/.
#   make fuzz                    build, then run every target FUZZ_SECONDS (60) seconds, one at a time
#   make fuzz FUZZ_SECONDS=10    shorter
#   make fuzz FUZZ_TARGETS=toml  only some targets
#   make fuzz FUZZ_SEED=1         the same inputs in the same order each run (CI); unset: a new seed each run
#   make fuzz-regressions        run every target once over tests/fuzz/regressions/ and the seed corpus (no fuzzing)
# Needs clang with the fuzzer runtime (Debian: libclang-rt-14-dev).
# A crash, a leak, a timeout or an out-of-memory makes the command fail;
# the input that did it is saved as build/fuzz/artifacts/<target>/crash-* (or leak-, timeout-, oom-).

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= toml url ttl csv secrets sql
FUZZ_ALL     := toml url ttl csv secrets sql
FUZZ_B       := $(B)/fuzz
FUZZ_CC      ?= $(CLANG)
FUZZ_CFLAGS  := -std=c99 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer -Wall -Wextra -Werror
FUZZ_DEPS    := $(HEADER) tests/fuzz/fuzz_common.h
FUZZ_BINS    := $(addprefix $(FUZZ_B)/fuzz_,$(FUZZ_ALL))

.PHONY: fuzz fuzz-build fuzz-regressions

fuzz-build: $(FUZZ_BINS)

$(FUZZ_B):
	@mkdir -p $(FUZZ_B)

# a clear message when clang's fuzzer runtime is missing (checked once)
$(FUZZ_B)/.runtime-ok: | $(FUZZ_B)
	@printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' > $(FUZZ_B)/runtime-check.c
	@$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $(FUZZ_B)/runtime-check $(FUZZ_B)/runtime-check.c 2>/dev/null || { \
	  echo "make fuzz needs clang with its fuzzer and sanitizer runtimes ($(FUZZ_CC) -fsanitize=fuzzer failed to link): on Debian 12, apt-get install clang libclang-rt-14-dev" >&2; exit 1; }
	@touch $@

# toml, url, ttl and sql need no SQLite
$(FUZZ_B)/fuzz_toml $(FUZZ_B)/fuzz_url $(FUZZ_B)/fuzz_ttl $(FUZZ_B)/fuzz_sql: $(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS) | $(FUZZ_B)/.runtime-ok
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< -pthread -lm

$(FUZZ_B)/fuzz_csv $(FUZZ_B)/fuzz_secrets: $(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS) examples/drivers/dconn_csv.h | $(FUZZ_B)/.runtime-ok
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(SQLITE_CFLAGS) -o $@ $< $(LIBS)

fuzz: $(addprefix $(FUZZ_B)/fuzz_,$(FUZZ_TARGETS))
	@FUZZ_SEED="$(FUZZ_SEED)" sh tests/fuzz/run.sh fuzz "$(FUZZ_B)" "$(FUZZ_SECONDS)" $(FUZZ_TARGETS)

fuzz-regressions: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh regressions "$(FUZZ_B)" 0 $(FUZZ_ALL)
