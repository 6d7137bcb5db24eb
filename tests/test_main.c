/* The test suite: one translation unit that compiles the implementation
   with the counting allocator and every test_*.c file. `build/test [FILTER]`
   runs the tests whose name contains FILTER. */
#include "test_alloc.h"
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include "dtest.h"

#include "test_toml.c"

int main(int argc, char **argv) {
    static const dtest_case *const groups[] = { toml_tests };
    static const size_t counts[] = { sizeof toml_tests / sizeof toml_tests[0] };
    return dtest_run(groups, counts, sizeof counts / sizeof counts[0], argc, argv);
}
