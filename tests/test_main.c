/* The test suite: one translation unit that compiles the implementation
   with the counting allocator and every test_*.c file. `build/test-gcc
   [FILTER]` runs the tests whose name contains FILTER. Run from the
   repository root (files go under build/tmp). */
#include "test_alloc.h"
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#define DCONN_CSV_IMPLEMENTATION
#include "../examples/drivers/dconn_csv.h"
#include "dtest.h"
#include "test_util.h"
#include "test_driver.h"

#include "test_toml.c"
#include "test_secrets.c"
#include "test_conn.c"
#include "test_sqlite.c"
#include "test_cache.c"
#include "test_csv.c"
#include "test_hygiene.c"
#include "test_badinput.c"
#include "test_faults.c"
#include "test_redaction.c"
#include "test_api.c"
#include "test_formats.c"
#include "test_durations.c"
#include "test_stream.c"
#include "test_timeouts.c"
#include "test_hook.c"
#include "test_fork.c"
#include "test_changes.c"
#include "test_many.c"



int main(int argc, char **argv) {
    static const dtest_case *const groups[] = { toml_tests, secrets_tests, conn_tests, sqlite_tests, cache_tests, csv_tests, hygiene_tests, badinput_tests, faults_tests, redaction_tests, api_tests, formats_tests, durations_tests, stream_tests, timeouts_tests, hook_tests, fork_tests, changes_tests, many_tests };
    static const size_t counts[] = {
        sizeof toml_tests / sizeof toml_tests[0], sizeof secrets_tests / sizeof secrets_tests[0],
        sizeof conn_tests / sizeof conn_tests[0], sizeof sqlite_tests / sizeof sqlite_tests[0],
        sizeof cache_tests / sizeof cache_tests[0], sizeof csv_tests / sizeof csv_tests[0],
        sizeof hygiene_tests / sizeof hygiene_tests[0], sizeof badinput_tests / sizeof badinput_tests[0],
        sizeof faults_tests / sizeof faults_tests[0], sizeof redaction_tests / sizeof redaction_tests[0],
        sizeof api_tests / sizeof api_tests[0], sizeof formats_tests / sizeof formats_tests[0], sizeof durations_tests / sizeof durations_tests[0],
        sizeof stream_tests / sizeof stream_tests[0], sizeof timeouts_tests / sizeof timeouts_tests[0],
        sizeof hook_tests / sizeof hook_tests[0], sizeof fork_tests / sizeof fork_tests[0],
        sizeof changes_tests / sizeof changes_tests[0], sizeof many_tests / sizeof many_tests[0] };
    int rc;
    tu_mkdirs_for(TU_DIR "/x");
    rc = dtest_run(groups, counts, sizeof counts / sizeof counts[0], argc, argv);
    return rc;
}
