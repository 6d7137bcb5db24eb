/* fuzz_ttl.c - the input (up to its first NUL) to dconn_ttl_parse.
   Invariants: on success the value is -1 (forever) or >= 0 and the error
   is cleared; on failure the code is DCONN_ECONFIG, *out is untouched and
   the message holds the grammar, so the user learns what to write. */
#define _XOPEN_SOURCE 700
#define DCONN_IMPLEMENTATION
#define DCONN_NO_SQLITE
#include "../../dconn.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fz_cstr(data, size);
    dconn_error err;
    int64_t out = INT64_C(-777);
    dconn_status st;
    memset(&err, 0x5A, sizeof err);
    st = dconn_ttl_parse(text, &out, &err);
    FZ_CHECK(memchr(err.message, '\0', sizeof err.message) != NULL, "the message is not NUL-terminated");
    if (st == DCONN_OK) {
        FZ_CHECK(err.code == DCONN_OK, "success with err.code %d", (int)err.code);
        FZ_CHECK(out == -1 || out >= 0, "\"%s\" parsed to %lld", text, (long long)out);
    } else {
        FZ_CHECK(st == DCONN_ECONFIG, "\"%s\": status %d", text, (int)st);
        FZ_CHECK(err.code == st, "status %d, err.code %d", (int)st, (int)err.code);
        FZ_CHECK(out == INT64_C(-777), "\"%s\" failed but wrote %lld", text, (long long)out);
        FZ_CHECK(strstr(err.message, DCONN__TTL_GRAMMAR) != NULL, "the message for \"%s\" lacks the grammar: %s", text, err.message);
        /* a URL's password never shows (a url pasted as a ttl): the text up to
           the end of its password must not be quoted as it is (redacted, the
           password reads "***") */
        {
            dconn__url u;
            if (dconn__url_split(text, &u) && u.has_authority && u.password && u.password_len) {
                size_t upto = (size_t)(u.password - text) + u.password_len;
                /* once in the text (not again in its path or query), without a '"',
                   so it cannot run past the quoted text into the message's words, and
                   without a '*' (user "***@h", password "pw", then host "h:pw..." that, masked, can
                   spell the prefix again without the password) */
                if (fz_count(text, strlen(text), text, upto) == 1 && !memchr(text, '"', upto) && !memchr(text, '*', upto))
                    FZ_CHECK(!fz_memmem(err.message, strlen(err.message), text, upto),
                             "the password \"%.*s\" of \"%s\" shows in: %s", (int)u.password_len, u.password, text, err.message);
            }
        }
    }
    /* the same answer without an error struct */
    {
        int64_t again = INT64_C(-777);
        dconn_status st2 = dconn_ttl_parse(text, &again, NULL);
        FZ_CHECK(st2 == st && (st || again == out), "\"%s\": different answers with and without err", text);
    }
    free(text);
    return 0;
}
