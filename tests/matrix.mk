# tests/matrix.mk - included by the Makefile.
#   make compile-matrix   gcc and clang x C99/C11/C++11/C++20 x the configuration
#                         macros, each built with -Werror, linked and run (tests/compile_matrix.sh)
#   make footprint        object size, compile time and context memory ("bench: NAME N UNIT")
#   make nothreads-suite  the test suite under DCONN_NO_THREADS, test by test
.PHONY: compile-matrix footprint

compile-matrix: check-sqlite
	@sh tests/compile_matrix.sh

footprint: check-sqlite
	@sh tests/matrix/footprint.sh

# The test suite built with -DDCONN_NO_THREADS and without -pthread (the
# tests that start threads left out: TEST_THREADS in tests/test_alloc.h),
# run once. The hygiene tests run the CLI, build/dconn.
.PHONY: nothreads-suite
nothreads-suite: check-sqlite $(B)/dconn
	@sh tests/matrix/nothreads_suite.sh
