# tests/lint.mk - included by the Makefile.
#   make lint   cppcheck and clang-tidy over the implementation and every program;
#               any finding fails. Ends with "lint: no findings" or "lint: N findings".
#
# What is checked:
#   tests/lint.c      the implementation: dconn.h with DCONN_IMPLEMENTATION and the
#                     CSV and PostgreSQL drivers with theirs. clang-tidy's analyzer
#                     takes every function of the headers as a starting point, at full
#                     depth. cppcheck checks the default configuration (the
#                     configuration macros of dconn.h undefined); it does not define
#                     __GNUC__, so it reads the portable branches (pthread-mutex
#                     atomics, ...) while clang-tidy reads the GCC/Clang ones.
#   LINT_PROGRAMS     the examples, the CLI and the test programs, for their own code
#                     (findings inside dconn.h and the drivers are tests/lint.c's job,
#                     so they are reported once). tests/test_main.c #includes the
#                     test_*.c files, so its analysis covers all of them.
# Configuration: .clang-tidy (the checks, each group with its reason) and
# tests/cppcheck.supp (the few cppcheck suppressions, each with its reason).
# Output goes to build/lint/; the jobs run in parallel (LINT_JOBS, default: the
# number of cores).
#
# Needs cppcheck (2.10 or later), clang-tidy (14 or later), and the headers the
# code includes: on Debian 12,
#   apt-get install cppcheck clang-tidy libsqlite3-dev libpq-dev libmariadb-dev

CPPCHECK   ?= cppcheck
CLANG_TIDY ?= clang-tidy
LINT_JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
LINT_DIR   := $(B)/lint

LINT_IMPL     := tests/lint.c
LINT_PROGRAMS := $(sort $(wildcard examples/*.c)) examples/03_secrets_global_and_local/main.c \
                 tests/test_main.c tests/test_postgres.c tests/test_mysql.c tests/toml_decoder.c tests/bench.c

# Include paths of SQLite and libpq as system headers: their own code is not ours
# to lint (cppcheck gets none: its --library files describe those APIs instead).
LINT_SYS_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags sqlite3 libpq libmariadb 2>/dev/null))

# --- clang-tidy ----------------------------------------------------------------
LINT_TIDY_FLAGS := --quiet --warnings-as-errors='*'
LINT_TIDY_CFLAGS := -std=c99 $(LINT_SYS_CFLAGS)
# The analyzer starts only from functions of the main file unless told to
# take the headers' functions too: all of dconn.h is in a header.
LINT_TIDY_HEADERS := --extra-arg=-Xclang --extra-arg=-analyzer-opt-analyze-headers
# Programs: shallow analysis (less inlining into dconn.h, whose own paths
# tests/lint.c explores in full), and findings in the program's own files only:
# tests/*.c, tests/*.h and examples/*.c, not ../dconn.h or the drivers.
LINT_TIDY_SHALLOW := --extra-arg=-Xclang --extra-arg=-analyzer-config --extra-arg=-Xclang --extra-arg=mode=shallow
LINT_TIDY_OWN := --header-filter='(tests|examples)/[^/]*\.(c|h)$$'

# --- cppcheck --------------------------------------------------------------------
LINT_CPPCHECK_FLAGS := --enable=warning,style,performance,portability --inline-suppr --error-exitcode=1 \
    --std=c99 --language=c --library=posix --library=sqlite3 --quiet \
    --suppressions-list=tests/cppcheck.supp \
    --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
    -DDCONN_IMPLEMENTATION -DDCONN_CSV_IMPLEMENTATION -DDCONN_POSTGRES_IMPLEMENTATION -DDCONN_MYSQL_IMPLEMENTATION
LINT_CPPCHECK_OWN := --suppress='*:*dconn.h' --suppress='*:*dconn_csv.h' --suppress='*:*dconn_postgres.h' --suppress='*:*dconn_mysql.h'

# One output file per job; the slowest (the full analysis of tests/lint.c) first.
LINT_OUT := $(LINT_DIR)/tests/lint.c.tidy \
            $(LINT_DIR)/tests/lint.c.cppcheck \
            $(patsubst %,$(LINT_DIR)/%.tidy,$(LINT_PROGRAMS)) \
            $(patsubst %,$(LINT_DIR)/%.cppcheck,$(LINT_PROGRAMS))

.PHONY: lint lint-tools lint-run FORCE

lint: lint-tools
	@rm -rf $(LINT_DIR); mkdir -p $(LINT_DIR); start=$$(date +%s); \
	$(MAKE) --no-print-directory -k -j$(LINT_JOBS) lint-run; rc=$$?; \
	n=$$(find $(LINT_DIR) -name '*.count' -exec cat {} + | awk '{ n += $$1 } END { print n + 0 }'); \
	secs=$$(( $$(date +%s) - start )); \
	if [ $$rc -eq 0 ] && [ $$n -eq 0 ]; then echo "lint: no findings ($$secs s)"; \
	else echo "lint: $$n findings ($$secs s; logs in $(LINT_DIR))"; exit 1; fi

lint-tools:
	@for t in $(CPPCHECK) $(CLANG_TIDY); do command -v $$t >/dev/null || { \
	  echo "make lint needs $$t: apt-get install cppcheck clang-tidy (Debian/Ubuntu)" >&2; exit 1; }; done
	@pkg-config --exists sqlite3 libpq libmariadb || { \
	  echo "make lint needs SQLite's, libpq's and MariaDB Connector/C's headers: apt-get install libsqlite3-dev libpq-dev libmariadb-dev" >&2; exit 1; }

lint-run: $(LINT_OUT)

# A job writes its tool's output to NAME.log and the number of findings to
# NAME.count, and prints the findings; it fails when there is any.
LINT_REPORT = n=$$(grep -cE '^[^ ].*:[0-9]+:[0-9]+: (warning|error|style|performance|portability)' $@.log); \
	echo $$n > $@.count; \
	if [ $$rc -ne 0 ] || [ $$n -ne 0 ]; then echo "== $(1) $<: $$n findings"; cat $@.log; \
	  [ $$n -ne 0 ] || echo 1 > $@.count; exit 1; fi; touch $@

$(LINT_DIR)/tests/lint.c.tidy: tests/lint.c FORCE
	@mkdir -p $(dir $@); $(CLANG_TIDY) $(LINT_TIDY_FLAGS) $(LINT_TIDY_HEADERS) $< -- $(LINT_TIDY_CFLAGS) > $@.log 2>&1; rc=$$?; \
	$(call LINT_REPORT,clang-tidy)

$(LINT_DIR)/tests/lint.c.cppcheck: tests/lint.c FORCE
	@mkdir -p $(dir $@); $(CPPCHECK) $(LINT_CPPCHECK_FLAGS) $< > $@.log 2>&1; rc=$$?; \
	$(call LINT_REPORT,cppcheck)

# tests/test_main.c holds no test itself: they are in the test_*.c files it
# #includes, which the analyzer reaches only when told to analyze headers.
$(LINT_DIR)/%.c.tidy: %.c FORCE
	@mkdir -p $(dir $@); $(CLANG_TIDY) $(LINT_TIDY_FLAGS) $(LINT_TIDY_SHALLOW) $(LINT_TIDY_OWN) \
	  $(if $(filter tests/test_main.c,$<),$(LINT_TIDY_HEADERS)) $< -- $(LINT_TIDY_CFLAGS) > $@.log 2>&1; rc=$$?; \
	$(call LINT_REPORT,clang-tidy)

$(LINT_DIR)/%.c.cppcheck: %.c FORCE
	@mkdir -p $(dir $@); $(CPPCHECK) $(LINT_CPPCHECK_FLAGS) $(LINT_CPPCHECK_OWN) $< > $@.log 2>&1; rc=$$?; \
	$(call LINT_REPORT,cppcheck)

FORCE:
