/* fuzz_sql.c - the input (up to its first NUL) as SQL an error or the
   query hook quotes, and as a driver's message, through the masking of
   secrets in them. The first byte picks the caret's offset into the SQL.
   Invariants: the masked SQL is NUL-terminated with the caret inside it
   (or -1); a literal after PASSWORD never shows; a message only shrinks,
   stays NUL-terminated in its buffer, and never shows 4 bytes of a known
   password beside a "..." it was cut at. */
#define _XOPEN_SOURCE 700
#define DCONN_IMPLEMENTATION
#define DCONN_NO_SQLITE
#include "../../dconn.h"
#include "fuzz_common.h"

static const char fz_pw[] = "Zq9#Jx7!Kw2Pq";
static dconn__known fz_known, fz_said;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    memset(&fz_known, 0, sizeof fz_known);
    dconn__mutex_init(&fz_known.lock);
    dconn__known_add(&fz_known, fz_pw, strlen(fz_pw));
    memset(&fz_said, 0, sizeof fz_said);
    dconn__mutex_init(&fz_said.lock);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *sql = fz_cstr(size ? data + 1 : data, size ? size - 1 : 0), *masked, msg[DCONN_ERROR_MESSAGE_SIZE];
    size_t len = strlen(sql), before;
    int at = size ? (int)(data[0] % (len + 2)) - 1 : -1, at0 = at, nomem = 0;
    masked = dconn__sql_masked(NULL, sql, &at, &nomem, &fz_said);
    FZ_CHECK(!nomem, "no memory, with no allocator limit");
    if (masked) {
        FZ_CHECK(at >= -1 && at <= (int)strlen(masked), "caret %d (was %d) outside the masked SQL of %zu bytes", at, at0, strlen(masked));
        {
            /* the text of a literal right after PASSWORD (and blanks) never shows */
            const char *p = strstr(sql, "PASSWORD '");
            if (p && (p == sql || p[-1] == ' ') && strchr(p + 10, '\'')) {
                size_t n = (size_t)(strchr(p + 10, '\'') - (p + 10));
                /* (not a user@host's part, nor a value whose column INSERT ... VALUES names) */
                if (n >= 4 && !memchr(p + 10, '\\', n) && !memchr(p + 10, '"', n) && !memchr(sql, '-', len) && !memchr(sql, '/', len) &&
                    !memchr(sql, '$', len) && !memchr(sql, '`', len) && !memchr(sql, '@', len) && !dconn__strnistr(sql, len, "values") &&
                    memchr(sql, '\'', (size_t)(p - sql)) == NULL) {
                    char lit[64];
                    if (n < sizeof lit && !strstr(p + 10 + n, "***")) {
                        memcpy(lit, p + 10, n);
                        lit[n] = '\0';
                        /* (unless its text stands elsewhere in the SQL too) */
                        FZ_CHECK(strstr(masked, lit) == NULL || strstr(sql, lit) != p + 10 || strstr(p + 11, lit) != NULL || strstr("***", lit),
                                 "the password literal '%s' shows in: %s", lit, masked);
                    }
                }
            }
        }
        free(masked);
    } else {
        FZ_CHECK(at == at0 || at == -1, "nothing masked, yet the caret moved from %d to %d", at0, at);
    }
    /* as a driver's message, cut by a server beside a "...", and with the SQL's password literals masked in it */
    dconn__copy_str(msg, sizeof msg, sql);
    before = strlen(msg);
    dconn__known_mask_locked(&fz_said, msg);
    dconn__known_clear(&fz_said);
    FZ_CHECK(strlen(msg) <= before, "the message grew from %zu to %zu bytes", before, strlen(msg));
    dconn__redact_ellipsis(&fz_known, msg);
    FZ_CHECK(memchr(msg, '\0', sizeof msg) != NULL, "the message is not NUL-terminated");
    FZ_CHECK(strlen(msg) <= before, "the message grew from %zu to %zu bytes", before, strlen(msg));
    {
        const char *dots;
        for (dots = strstr(msg, "..."); dots; dots = strstr(dots + 1, "...")) {
            size_t k;
            for (k = 4; k < sizeof fz_pw - 1; k++) {   /* (its pieces are never digits alone) */
                /* the value's end right after the dots, or its start right before them */
                FZ_CHECK(strncmp(dots + 3, fz_pw + sizeof fz_pw - 1 - k, k) != 0 || strlen(dots + 3) < k, "a piece of the password after the dots: %s", msg);
                FZ_CHECK((size_t)(dots - msg) < k || strncmp(dots - k, fz_pw, k) != 0, "a piece of the password before the dots: %s", msg);
            }
        }
    }
    free(sql);
    return 0;
}
