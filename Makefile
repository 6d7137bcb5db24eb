# dconn - build, test and benchmark. Everything lands in build/.
#   make            the examples, the CLI and the tools
#   make demo       the pets example (examples/02_pets.c)
#   make test       every test; ends with "N passed, N failed, N skipped"
#   make toml-test  the TOML 1.0 compliance suite (../shared/toml-test)
#   make asan | tsan | valgrind | test-tcc | test-musl | test-windows | test-cross | bench | install PREFIX=/usr/local

CC      ?= cc
CXX     ?= c++
CLANG   ?= clang
CLANGXX ?= clang++
PREFIX  ?= /usr/local
B       := build
TOML_TEST_DIR ?= ../shared/toml-test

# SQLite: the system library through pkg-config, or an amalgamation given as
#   make test SQLITE_AMALGAMATION=path/to/sqlite3.c   (sqlite3.h beside it)
# which is compiled once and linked into everything, built in a folder of
# its own under build/ so that two amalgamations never share objects.
ifdef SQLITE_AMALGAMATION
SQLITE_DIR := $(patsubst %/,%,$(dir $(abspath $(SQLITE_AMALGAMATION))))
B := build/amalgamation/$(subst /,_,$(SQLITE_DIR))
SQLITE_OK := $(shell test -f $(SQLITE_AMALGAMATION) && test -f $(SQLITE_DIR)/sqlite3.h && echo yes)
SQLITE_CFLAGS := -isystem $(SQLITE_DIR)
SQLITE_OBJ := $(B)/sqlite3.o
SQLITE_LIBS := $(SQLITE_OBJ) -ldl
else
SQLITE_OK := $(shell pkg-config --exists sqlite3 2>/dev/null && echo yes)
SQLITE_CFLAGS := $(shell pkg-config --cflags sqlite3 2>/dev/null)
SQLITE_LIBS := $(shell pkg-config --libs sqlite3 2>/dev/null)
SQLITE_OBJ :=
endif

WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror
CWARN   := -std=c99 $(WARN) -Wstrict-prototypes -Wmissing-prototypes
CXXWARN := -Wall -Wextra -pedantic -Wshadow -Wconversion -Werror
CFLAGS_TEST := $(CWARN) -g -O1 $(SQLITE_CFLAGS)
LIBS    := $(SQLITE_LIBS) -pthread -lm

HEADER  := dconn.h
TEST_SRC := tests/test_main.c $(wildcard tests/test_*.c) tests/dtest.h tests/test_alloc.h tests/test_util.h tests/test_driver.h examples/drivers/dconn_csv.h

.PHONY: test-tcc test-musl test-cross test-windows test-postgres bench-postgres test-mysql bench-mysql all test demo toml-test toml-diff toml-decoder bench-ir asan tsan valgrind bench install clean check-sqlite check-tools check-tools-demo

# The numbered examples, in the order a newcomer reads them, and the CLI.
EXAMPLES := $(B)/01_hello_sqlite $(B)/02_pets $(B)/03_secrets_global_and_local $(B)/04_env_switch \
            $(B)/05_cache_and_ttl $(B)/06_sessions $(B)/07_threads $(B)/08_your_own_driver \
            $(B)/09_connect_args $(B)/10_paging $(B)/dconn

all: check-tools-demo check-sqlite $(EXAMPLES) $(B)/toml-decoder

# The programs `make demo` and `make test` run, each with the Debian/Ubuntu
# package that has it: a missing one is named with its package before
# anything is built (tests/need_tools.sh).
# (CLANG=clang-15 is in package clang-15, CLANGXX=clang++-15 too.)
clang_pkg = $(firstword $(patsubst clang++%,clang%,$(filter clang%,$(notdir $(firstword $(1))))) clang)
TOOLS_DEMO := $(firstword $(CC))=build-essential pkg-config=pkg-config
TOOLS_TEST := $(TOOLS_DEMO) gcc=build-essential g++=build-essential \
              $(firstword $(CLANG))=$(call clang_pkg,$(CLANG)) $(firstword $(CLANGXX))=$(call clang_pkg,$(CLANGXX))
check-tools-demo:
	@sh tests/need_tools.sh "make demo" $(TOOLS_DEMO)
check-tools:
	@sh tests/need_tools.sh "make test" $(TOOLS_TEST)

check-sqlite:
ifneq ($(SQLITE_OK),yes)
ifdef SQLITE_AMALGAMATION
	@echo "SQLITE_AMALGAMATION=$(SQLITE_AMALGAMATION): need that sqlite3.c and a sqlite3.h beside it" >&2; exit 1
else
	@echo "dconn needs SQLite's development files, found through pkg-config: install libsqlite3-dev (Debian/Ubuntu), sqlite-devel (Fedora) or sqlite3 (Homebrew), and pkg-config." >&2; exit 1
endif
endif

ifdef SQLITE_AMALGAMATION
$(SQLITE_OBJ): $(SQLITE_AMALGAMATION) | $(B)
	$(CC) -O1 -w -DHAVE_USLEEP=1 -c -o $@ $(SQLITE_AMALGAMATION)
endif

$(B):
	@mkdir -p $(B)

# everything that links SQLite is rebuilt when the SQLite it links changes
ALL_DEPS := $(HEADER) $(SQLITE_OBJ)

# --- tests -------------------------------------------------------------------
$(B)/test-gcc: $(TEST_SRC) $(ALL_DEPS) | $(B)
	gcc $(CFLAGS_TEST) -o $@ tests/test_main.c $(LIBS)

$(B)/test-clang: $(TEST_SRC) $(ALL_DEPS) | $(B)
	$(CLANG) $(CFLAGS_TEST) -o $@ tests/test_main.c $(LIBS)

$(B)/test-cpp11: tests/test_cpp.cc tests/dtest.h $(ALL_DEPS) | $(B)
	g++ -std=c++11 $(CXXWARN) -g $(SQLITE_CFLAGS) -o $@ tests/test_cpp.cc $(LIBS)

$(B)/test-cpp20: tests/test_cpp.cc tests/dtest.h $(ALL_DEPS) | $(B)
	$(CLANGXX) -std=c++20 $(CXXWARN) -g $(SQLITE_CFLAGS) -o $@ tests/test_cpp.cc $(LIBS)

TEST_BINS := $(B)/test-gcc $(B)/test-clang $(B)/test-cpp11 $(B)/test-cpp20

test: check-tools check-sqlite $(TEST_BINS) $(EXAMPLES)
	@sh tests/run_all.sh $(TEST_BINS) "B=$(B) sh tests/examples.sh" "sh tests/check_choke_point.sh" "B=$(B) SQLITE_CFLAGS='$(SQLITE_CFLAGS)' sh tests/check_sqlite_public.sh" \
	  "B=$(B) sh tests/check_missing_tools.sh" "B=$(B) CC='$(CC)' sh tests/install_check.sh" "B=$(B) sh tests/check_apt_sources.sh"

# --- examples and the CLI ----------------------------------------------------
$(B)/%: examples/%.c $(ALL_DEPS) | $(B)
	$(CC) $(CWARN) -g $(SQLITE_CFLAGS) -o $@ $< $(LIBS)

# the CLI is a tool people export tables with: optimized. It carries every
# shipped driver whose client library is installed, and says which it left out.
CLI_PQ := $(shell pkg-config --exists libpq 2>/dev/null && echo yes)
CLI_MY := $(shell pkg-config --exists libmariadb 2>/dev/null && echo yes)
CLI_FLAGS := $(if $(CLI_PQ),-DDCONN_CLI_POSTGRES $(shell pkg-config --cflags libpq)) $(if $(CLI_MY),-DDCONN_CLI_MYSQL $(shell pkg-config --cflags libmariadb))
CLI_LIBS := $(if $(CLI_PQ),$(shell pkg-config --libs libpq)) $(if $(CLI_MY),$(shell pkg-config --libs libmariadb))
$(B)/dconn: examples/dconn.c examples/drivers/dconn_csv.h examples/drivers/dconn_postgres.h examples/drivers/dconn_mysql.h $(ALL_DEPS) | $(B)
	@$(if $(CLI_PQ),,echo "dconn CLI: built without PostgreSQL (libpq's headers not found: apt-get install libpq-dev)";) \
	 $(if $(CLI_MY),,echo "dconn CLI: built without MySQL/MariaDB (Connector/C not found: apt-get install libmariadb-dev)";) true
	$(CC) $(CWARN) -O2 -g $(SQLITE_CFLAGS) $(CLI_FLAGS) -o $@ $< $(CLI_LIBS) $(LIBS)

$(B)/03_secrets_global_and_local: examples/03_secrets_global_and_local/main.c $(ALL_DEPS) | $(B)
	$(CC) $(CWARN) -g $(SQLITE_CFLAGS) -o $@ $< $(LIBS)

# --- other C compilers and C libraries ------------------------------------------
# The suite built by whatever CC and CWARN a sub-make passes (test-tcc, test-musl).
$(B)/test-cc: $(TEST_SRC) $(ALL_DEPS) | $(B)
	$(CC) $(CWARN) -g -O1 $(SQLITE_CFLAGS) -o $@ tests/test_main.c $(LIBS)

# tcc, the Tiny C Compiler (teaching machines have it): the suite, every
# example and the CLI built with it, then run as make test runs them
TCC ?= tcc
test-tcc: check-sqlite
	@command -v $(TCC) >/dev/null 2>&1 || { echo "make test-tcc needs tcc (Debian: apt-get install tcc)" >&2; exit 1; }
	@$(MAKE) --no-print-directory B=$(B)/tcc CC=$(TCC) CWARN="-std=c99 -Wall -Werror" $(patsubst $(B)/%,$(B)/tcc/%,$(EXAMPLES)) $(B)/tcc/test-cc
	@sh tests/run_all.sh $(B)/tcc/test-cc "B=$(B)/tcc sh tests/examples.sh"

# musl (Alpine's C library), static: the same, with SQLite from Debian 12's
# amalgamation built by musl-gcc too, and the CLI without the server drivers
# (their client libraries are glibc's)
MUSL_CC ?= musl-gcc
test-musl:
	@command -v $(MUSL_CC) >/dev/null 2>&1 || { echo "make test-musl needs musl-gcc (Debian: apt-get install musl-tools)" >&2; exit 1; }
	@am=$$(sh tests/sqlite_amalgamation.sh bookworm | tail -n 1) && test -n "$$am" && \
	 $(MAKE) --no-print-directory B=$(B)/musl CC="$(MUSL_CC) -static" SQLITE_AMALGAMATION="$$am" CLI_PQ= CLI_MY= \
	   $(patsubst $(B)/%,$(B)/musl/%,$(EXAMPLES)) $(B)/musl/test-cc
	@sh tests/run_all.sh $(B)/musl/test-cc "B=$(B)/musl sh tests/examples.sh"

# Other architectures: 32-bit x86, 32- and 64-bit ARM, big-endian s390x,
# each cross-built (static, SQLite from the same amalgamation built by the
# same compiler) and run under qemu-user; i686 runs natively.
#   make test-cross ARCH=i686|armhf|aarch64|s390x     (or ARCH="i686 s390x")
ARCH ?= i686 armhf aarch64 s390x
cross_cc_i686 := i686-linux-gnu-gcc
cross_cc_armhf := arm-linux-gnueabihf-gcc
cross_cc_aarch64 := aarch64-linux-gnu-gcc
cross_cc_s390x := s390x-linux-gnu-gcc
cross_run_armhf := qemu-arm
cross_run_aarch64 := qemu-aarch64
cross_run_s390x := qemu-s390x
cross_pkg = $(patsubst %-gcc,gcc-%,$(cross_cc_$(1)))
test-cross:
	@for a in $(ARCH); do case $$a in i686|armhf|aarch64|s390x) ;; *) echo "make test-cross: ARCH=$$a: not one of i686 armhf aarch64 s390x" >&2; exit 1;; esac; done
	@sh tests/need_tools.sh "make test-cross" $(foreach a,$(ARCH),$(cross_cc_$(a))=$(call cross_pkg,$(a)) $(if $(cross_run_$(a)),$(cross_run_$(a))=qemu-user))
	@am=$$(sh tests/sqlite_amalgamation.sh bookworm | tail -n 1) && test -n "$$am" && status=0 && \
	 for a in $(ARCH); do \
	   case $$a in i686) cc=$(cross_cc_i686) run=;; armhf) cc=$(cross_cc_armhf) run=$(cross_run_armhf);; \
	     aarch64) cc=$(cross_cc_aarch64) run=$(cross_run_aarch64);; s390x) cc=$(cross_cc_s390x) run=$(cross_run_s390x);; esac; \
	   echo "--- $$a: $$cc -static$${run:+, run by $$run}"; start=$$(date +%s); \
	   $(MAKE) --no-print-directory B=$(B)/cross-$$a CC="$$cc -static" CWARN="$(CWARN) -Wcast-align=strict" SQLITE_AMALGAMATION="$$am" CLI_PQ= CLI_MY= \
	     $(patsubst $(B)/%,$(B)/cross-$$a/%,$(EXAMPLES)) $(B)/cross-$$a/test-cc || exit 1; \
	   sh tests/run_all.sh "DCONN_TEST_EMULATOR=$$run $$run $(B)/cross-$$a/test-cc" "RUN=$$run B=$(B)/cross-$$a sh tests/examples.sh" || status=1; \
	   echo "--- $$a: $$(( $$(date +%s) - start )) s"; \
	 done; exit $$status

# Windows: the suite and the examples cross-built with MinGW-w64 (static,
# with SQLite's amalgamation built by the same compiler) and run under
# Wine. The library uses Win32 itself; the tests use MinGW's winpthreads
# for their own threads. -Wno-float-conversion: MinGW's isnan/isinf
# macros convert to float inside the tests' uses of them.
WIN_CC ?= x86_64-w64-mingw32-gcc
WINE ?= wine
test-windows:
	@sh tests/need_tools.sh "make test-windows" $(WIN_CC)=gcc-mingw-w64-x86-64 $(WINE)=wine wineserver=wine
	@am=$$(sh tests/sqlite_amalgamation.sh bookworm | tail -n 1) && test -n "$$am" && \
	 $(MAKE) --no-print-directory B=$(B)/windows CC="$(WIN_CC) -static -D__USE_MINGW_ANSI_STDIO=1" SQLITE_AMALGAMATION="$$am" \
	   SQLITE_LIBS='$$(SQLITE_OBJ)' CWARN="$(CWARN) -Wno-float-conversion -Wformat=2" CLI_PQ= CLI_MY= \
	   $(B)/windows/test-cc.exe $(patsubst $(B)/%,$(B)/windows/%.exe,$(EXAMPLES))
	@# the examples' checks run them by the names make gives them
	@for e in $(patsubst $(B)/%,$(B)/windows/%,$(EXAMPLES)); do ln -f $$e.exe $$e; done
	@mkdir -p $(B)/windows/wine
	@# one Wine server for the whole run, started apart from the pipes the tests read
	@export WINEPREFIX=$(abspath $(B)/windows/wine) WINEDEBUG=-all WINE=$(WINE); wineserver -p 60 && \
	 sh tests/run_all.sh "B=$(B) WIN_CC=$(WIN_CC) SQLITE_DIR=$$(dirname $$(sh tests/sqlite_amalgamation.sh bookworm | tail -n 1)) sh tests/windows_compile.sh" \
	   "$(WINE) $(B)/windows/test-cc.exe" \
	   "RUN='sh $(abspath tests/wine_run.sh)' SEP='\\' WINE_SETS_HOME=1 B=$(B)/windows sh tests/examples.sh"; \
	 status=$$?; wineserver -k; exit $$status

# Windows programs: the same sources, named .exe
$(B)/test-cc.exe: $(TEST_SRC) $(ALL_DEPS) | $(B)
	$(CC) $(CWARN) -g -O1 $(SQLITE_CFLAGS) -o $@ tests/test_main.c $(LIBS)
$(B)/%.exe: examples/%.c $(ALL_DEPS) | $(B)
	$(CC) $(CWARN) -g $(SQLITE_CFLAGS) -o $@ $< $(LIBS)
$(B)/03_secrets_global_and_local.exe: examples/03_secrets_global_and_local/main.c $(ALL_DEPS) | $(B)
	$(CC) $(CWARN) -g $(SQLITE_CFLAGS) -o $@ $< $(LIBS)
$(B)/dconn.exe: examples/dconn.c examples/drivers/dconn_csv.h $(ALL_DEPS) | $(B)
	$(CC) $(CWARN) -O2 -g $(SQLITE_CFLAGS) -o $@ $< $(LIBS) -lshell32

# --- sanitizers ----------------------------------------------------------------
$(B)/test-asan: $(TEST_SRC) $(ALL_DEPS) | $(B)
	$(CLANG) $(CWARN) -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer $(SQLITE_CFLAGS) -o $@ tests/test_main.c $(LIBS)

asan: check-sqlite $(B)/test-asan $(B)/dconn
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 sh tests/run_all.sh $(B)/test-asan

$(B)/test-tsan: $(TEST_SRC) $(ALL_DEPS) | $(B)
	$(CLANG) $(CWARN) -g -O1 -fsanitize=thread $(SQLITE_CFLAGS) -o $@ tests/test_main.c $(LIBS)

tsan: check-sqlite $(B)/test-tsan $(B)/dconn
	@TSAN_OPTIONS=halt_on_error=1 sh tests/run_all.sh $(B)/test-tsan

valgrind: check-sqlite $(B)/test-gcc $(B)/dconn
	@sh tests/run_all.sh "valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all $(B)/test-gcc"

# --- PostgreSQL (starts its own throwaway server) ----------------------------
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null)
PQ_LIBS := $(shell pkg-config --libs libpq 2>/dev/null || echo -lpq)
$(B)/test-postgres: tests/test_postgres.c examples/drivers/dconn_postgres.h tests/dtest.h tests/test_util.h $(ALL_DEPS) | $(B)
	$(CC) $(CFLAGS_TEST) $(PQ_CFLAGS) -o $@ tests/test_postgres.c $(PQ_LIBS) $(LIBS)

test-postgres: check-sqlite $(B)/test-postgres $(B)/dconn
	@DCONN_CLI=$(abspath $(B)/dconn) sh tests/run_all.sh "sh tests/postgres.sh $(B)/test-postgres"

# the PostgreSQL figures, against the same kind of throwaway server
$(B)/bench-postgres: tests/bench_postgres.c tests/bench_client.h tests/bench_common.h examples/drivers/dconn_postgres.h $(ALL_DEPS) | $(B)
	$(CC) -std=c99 $(WARN) -O2 $(PQ_CFLAGS) -o $@ tests/bench_postgres.c $(PQ_LIBS) $(LIBS)

bench-postgres: check-sqlite $(B)/bench-postgres
	@sh tests/postgres.sh $(B)/bench-postgres

# --- MySQL / MariaDB: the driver against a throwaway MariaDB server ----------
MY_CFLAGS := $(shell pkg-config --cflags libmariadb 2>/dev/null || mariadb_config --cflags 2>/dev/null)
MY_LIBS := $(shell pkg-config --libs libmariadb 2>/dev/null || mariadb_config --libs 2>/dev/null || echo -lmariadb)
$(B)/test-mysql: tests/test_mysql.c examples/drivers/dconn_mysql.h tests/dtest.h tests/test_util.h $(ALL_DEPS) | $(B)
	$(CC) $(CFLAGS_TEST) $(MY_CFLAGS) -o $@ tests/test_mysql.c $(MY_LIBS) $(LIBS)

$(B)/11_mysql_env_switch: examples/11_mysql_env_switch.c examples/drivers/dconn_mysql.h $(ALL_DEPS) | $(B)
	$(CC) $(CWARN) -g $(SQLITE_CFLAGS) $(MY_CFLAGS) -o $@ $< $(MY_LIBS) $(LIBS)

# the MySQL figures, against the same kind of throwaway server
$(B)/bench-mysql: tests/bench_mysql.c tests/bench_client.h tests/bench_common.h examples/drivers/dconn_mysql.h $(ALL_DEPS) | $(B)
	$(CC) -std=c99 $(WARN) -O2 $(MY_CFLAGS) -o $@ tests/bench_mysql.c $(MY_LIBS) $(LIBS)

bench-mysql: check-sqlite $(B)/bench-mysql
	@sh tests/mysql.sh $(B)/bench-mysql

# the tests, then the guide's local/staging example both ways, against one throwaway server
test-mysql: check-sqlite $(B)/test-mysql $(B)/11_mysql_env_switch
	@sh tests/run_all.sh "B=$(B) sh tests/mysql.sh sh tests/mysql_suite.sh"

# --- TOML compliance -------------------------------------------------------
toml-decoder: $(B)/toml-decoder
$(B)/toml-decoder: tests/toml_decoder.c $(HEADER) | $(B)
	$(CC) $(CWARN) -O2 -DDCONN_NO_SQLITE -o $@ tests/toml_decoder.c -pthread -lm

toml-test: $(B)/toml-decoder
	@test -f $(TOML_TEST_DIR)/run.py || { echo "toml-test suite not found at $(TOML_TEST_DIR) (set TOML_TEST_DIR)" >&2; exit 1; }
	python3 $(TOML_TEST_DIR)/run.py --decoder $(B)/toml-decoder

# dconn's parser against Python's tomllib on generated and mutated documents
TOML_DIFF_COUNT ?= 100000
toml-diff: $(B)/toml-decoder
	python3 tests/toml_diff.py $(B)/toml-decoder $(TOML_DIFF_COUNT) 1

# --- demo and bench ------------------------------------------------------------
demo: check-tools-demo check-sqlite $(B)/02_pets
	@rm -rf $(B)/demo && mkdir -p $(B)/demo && cp -R examples/02_pets/.streamlit $(B)/demo/ && chmod 600 $(B)/demo/.streamlit/secrets.toml
	@echo "== build/demo/.streamlit/secrets.toml:" && cat $(B)/demo/.streamlit/secrets.toml && echo "== build/02_pets (run in build/demo):"
	@cd $(B)/demo && ../02_pets

$(B)/bench: tests/bench.c tests/bench_common.h $(ALL_DEPS) | $(B)
	$(CC) -std=c99 $(WARN) -O2 $(SQLITE_CFLAGS) -o $@ tests/bench.c $(LIBS)

# the speed figures, then the footprint ones (object size, compile time, context memory)
bench: check-sqlite $(B)/bench $(B)/dconn
	@$(B)/bench
	@python3 tests/bench_cli.py $(B)
	@sh tests/matrix/footprint.sh

# the same figures in instructions, under callgrind (slow; not in CI)
bench-ir: check-sqlite
	@test -f /usr/include/valgrind/callgrind.h || { echo "make bench-ir needs valgrind (Debian: apt-get install valgrind)" >&2; exit 1; }
	@mkdir -p $(B)
	$(CC) -std=c99 $(WARN) -O2 -DBENCH_IR $(SQLITE_CFLAGS) -o $(B)/bench-ir tests/bench.c $(LIBS)
	@rm -rf $(B)/callgrind && mkdir -p $(B)/callgrind
	valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=$(B)/callgrind/callgrind.out $(B)/bench-ir > /dev/null 2> $(B)/callgrind/valgrind.log
	@python3 tests/bench_ir.py $(B)/callgrind

# --- more checks, each in its own file under tests/ --------------------------------
-include tests/fuzz/fuzz.mk tests/lint.mk tests/matrix.mk tests/stress.mk

# --- install -------------------------------------------------------------------
# dconn.pc: the implementation is compiled into the user's program, so a
# program links what it calls (SQLite, libm, threads) with a plain
# `cc app.c $(pkg-config --cflags --libs dconn)`: sqlite3 is in Requires,
# not Requires.private, which only a static link reads.
install:
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 dconn.h $(DESTDIR)$(PREFIX)/include/dconn.h
	printf 'prefix=%s\nincludedir=$${prefix}/include\n\nName: dconn\nDescription: named data connections, secrets and a query cache (header-only)\nVersion: %s\nRequires: sqlite3\nCflags: -I$${includedir}\nLibs: -pthread -lm\n' \
	  "$(PREFIX)" "$$(sed -n 's/^#define DCONN_VERSION_STRING "\(.*\)"/\1/p' dconn.h)" > $(DESTDIR)$(PREFIX)/lib/pkgconfig/dconn.pc

clean:
	rm -rf $(B)
