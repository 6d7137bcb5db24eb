/* The parts of the API new in 0.2: copied string secrets and held
   versions of the secrets, unsigned and decimal values (through a driver
   of this file's own, and through SQLite), dconn_result_as_text and
   dconn_result_row, dconn_url_parse, dconn_exec_options.keep_cache,
   the refusal of version-1 drivers, statements that begin a transaction
   outside a session, and dconn_error_at. The header's comments are the
   contract: each check says what it expects as the header words it.

   Being in test_main.c's translation unit, the SQLite tests use the tsq_*
   environment of test_sqlite.c (a context with the fake clock, one
   connection, and a leak check at the end). */

#include <math.h>
#include <stdint.h>

/* --- helpers ------------------------------------------------------------ */

#define TA_DIR TU_DIR "/api"

#define TA_CHECK_U64(a, b) do { unsigned long long ta_ua = (unsigned long long)(a), ta_ub = (unsigned long long)(b); \
    if (ta_ua != ta_ub) dtest_reportf(__FILE__, __LINE__, "%s == %s: %llu != %llu", #a, #b, ta_ua, ta_ub); } while (0)

/* The allocator's live blocks when a test began: every test ends with
   the count back there (results released, URLs freed, contexts closed). */
/* a double variable, so that x87 (i686) compares a double, not a long double quotient */
static const double ta_third = 1.0 / 3.0;
static long ta_live0;
static void ta_mark(void) { ta_live0 = talloc_live_blocks(); }
#define TA_CHECK_NO_LEAKS() CHECK_EQ_INT(talloc_live_blocks(), ta_live0)

/* An error with every field set to something a call must overwrite. */
static void ta_dirty(dconn_error *err) {
    memset(err, 0, sizeof *err);
    err->code = DCONN_EIO;
    err->line = 99;
    err->column = 98;
    snprintf(err->file, sizeof err->file, "stale.toml");
    snprintf(err->message, sizeof err->message, "stale message");
}

/* Hides a buffer from gcc's -Wformat-truncation in the check messages. */
static const char *volatile ta_laundered;
static const char *ta_str(const char *p) { ta_laundered = p; return ta_laundered; }

/* --- the api driver -------------------------------------------------------
   "apimock": its query answers by SQL:
     values   one row of unsigned and decimal cells (ta_build_values)
     types    one row with a cell of every type (ta_build_types)
     rows     two rows of seven columns, one of each type (ta_build_rows)
     longdec  one row of two decimals longer than 63 bytes
     baddec   a decimal cell with NULL digits and a length (misuse)
     uintfirst  an unsigned cell before any column (misuse)
     anything else: records the statement's parameters in `ta` and
              answers one row, column "call", the number of the query.
   It records each builder call's status in ta.build_fail (the first one
   that was not DCONN_OK). */

#define TA_MAXP 8
typedef struct ta_param {
    dconn_type type;
    char name[32];                /* "" when NULL */
    int has_name;
    int64_t i;
    uint64_t u;
    double d;
    size_t n;
    int p_null;
    char bytes[64];               /* the first bytes of p */
} ta_param;

static struct {
    int connects, disconnects, queries;
    size_t n_params;
    ta_param p[TA_MAXP];
    dconn_status build_fail;      /* the first builder call that failed */
    dconn_status misuse_status;   /* what the misuse call of baddec/uintfirst returned */
} ta;

static int ta_handle_token;

static dconn_status ta_connect(void *ud, const dconn_settings *s, void **handle, dconn_error *err) {
    (void)ud; (void)s; (void)err;
    ta.connects++;
    *handle = &ta_handle_token;
    return DCONN_OK;
}
static void ta_disconnect(void *ud, void *handle) { (void)ud; (void)handle; ta.disconnects++; }

/* Notes the first failing builder call. */
static dconn_status ta_b(dconn_status st) {
    if (st != DCONN_OK && ta.build_fail == DCONN_OK) ta.build_fail = st;
    return st;
}
static dconn_status ta_dec(dconn_builder *b, const char *digits) { return ta_b(dconn_builder_decimal(b, digits, strlen(digits))); }

static const char ta_40_digits[] = "1234567890123456789012345678901234567890";
/* decimals longer than 63 bytes, as NUMERIC columns of PostgreSQL give them */
static const char ta_70_digits[] = "1234567890123456789012345678901234567890123456789012345678901234567890";
static const char ta_long_fraction[] = "0.50000000000000000000000000000000000000000000000000000000000000000000000000";

static dconn_status ta_build_values(dconn_builder *b) {
    static const char *const names[] = {"u0", "ubig", "umax", "dec", "dsmall", "dlong", "dneg5", "d15"};
    size_t k;
    for (k = 0; k < sizeof names / sizeof names[0]; k++)
        if (ta_b(dconn_builder_column(b, names[k], k < 3 ? "BIGINT UNSIGNED" : "DECIMAL(40,6)"))) return ta.build_fail;
    if (ta_b(dconn_builder_uint(b, 0))) return ta.build_fail;
    if (ta_b(dconn_builder_uint(b, (uint64_t)INT64_MAX + 1))) return ta.build_fail;
    if (ta_b(dconn_builder_uint(b, UINT64_MAX))) return ta.build_fail;
    if (ta_dec(b, "12.30") || ta_dec(b, "-0.000001") || ta_dec(b, ta_40_digits) || ta_dec(b, "-5") || ta_dec(b, "1.5"))
        return ta.build_fail;
    return DCONN_OK;
}

/* Columns: i u r3 r01 rnan rinf rninf t b d n imin rthird bempty */
static dconn_status ta_build_types(dconn_builder *b) {
    static const char *const names[] = {"i", "u", "r3", "r01", "rnan", "rinf", "rninf", "t", "b", "d", "n", "imin", "rthird", "bempty"};
    size_t k;
    for (k = 0; k < sizeof names / sizeof names[0]; k++)
        if (ta_b(dconn_builder_column(b, names[k], NULL))) return ta.build_fail;
    if (ta_b(dconn_builder_int(b, -42)) || ta_b(dconn_builder_uint(b, UINT64_MAX)) || ta_b(dconn_builder_real(b, 3.0)) ||
        ta_b(dconn_builder_real(b, 0.1)) || ta_b(dconn_builder_real(b, (double)NAN)) || ta_b(dconn_builder_real(b, (double)INFINITY)) ||
        ta_b(dconn_builder_real(b, -(double)INFINITY)) || ta_b(dconn_builder_text(b, "h\xc3\xa9llo", 6)) ||
        ta_b(dconn_builder_blob(b, "a\0b", 3)) || ta_dec(b, "12.30") || ta_b(dconn_builder_null(b)) ||
        ta_b(dconn_builder_int(b, INT64_MIN)) || ta_b(dconn_builder_real(b, ta_third)) || ta_b(dconn_builder_blob(b, "", 0)))
        return ta.build_fail;
    return DCONN_OK;
}

/* Columns: id (INT) name (TEXT) data (BLOB) amount (DECIMAL) big (UINT) score (REAL) note (NULL) */
static dconn_status ta_build_rows(dconn_builder *b) {
    static const char *const names[] = {"id", "name", "data", "amount", "big", "score", "note"};
    size_t k;
    for (k = 0; k < sizeof names / sizeof names[0]; k++)
        if (ta_b(dconn_builder_column(b, names[k], NULL))) return ta.build_fail;
    if (ta_b(dconn_builder_int(b, 1)) || ta_b(dconn_builder_text(b, "ann", 3)) || ta_b(dconn_builder_blob(b, "\x01\x00\x02", 3)) ||
        ta_dec(b, "12.30") || ta_b(dconn_builder_uint(b, UINT64_MAX)) || ta_b(dconn_builder_real(b, 2.5)) || ta_b(dconn_builder_null(b)))
        return ta.build_fail;
    if (ta_b(dconn_builder_int(b, 2)) || ta_b(dconn_builder_text(b, "bob", 3)) || ta_b(dconn_builder_blob(b, "", 0)) ||
        ta_dec(b, "-0.000001") || ta_b(dconn_builder_uint(b, 7)) || ta_b(dconn_builder_real(b, -0.25)) || ta_b(dconn_builder_null(b)))
        return ta.build_fail;
    return DCONN_OK;
}

static void ta_record(const dconn_stmt *stmt) {
    size_t k;
    ta.n_params = stmt->n_params;
    for (k = 0; k < stmt->n_params && k < TA_MAXP; k++) {
        const dconn_value *v = &stmt->params[k];
        ta_param *t = &ta.p[k];
        memset(t, 0, sizeof *t);
        t->type = v->type;
        t->has_name = v->name != NULL;
        if (v->name) snprintf(t->name, sizeof t->name, "%s", v->name);
        t->i = v->i;
        t->u = v->u;
        t->d = v->d;
        t->n = v->n;
        t->p_null = v->p == NULL;
        if (v->p) memcpy(t->bytes, v->p, v->n < sizeof t->bytes - 1 ? v->n : sizeof t->bytes - 1);
    }
}

static dconn_status ta_query(void *ud, void *handle, const dconn_stmt *stmt, dconn_builder *b, dconn_error *err) {
    (void)ud; (void)handle; (void)err;
    ta.queries++;
    if (strcmp(stmt->sql, "values") == 0) return ta_build_values(b);
    if (strcmp(stmt->sql, "types") == 0) return ta_build_types(b);
    if (strcmp(stmt->sql, "rows") == 0) return ta_build_rows(b);
    if (strcmp(stmt->sql, "longdec") == 0) {
        if (ta_b(dconn_builder_column(b, "d70", "NUMERIC")) || ta_b(dconn_builder_column(b, "frac", "NUMERIC")) ||
            ta_dec(b, ta_70_digits) || ta_dec(b, ta_long_fraction))
            return ta.build_fail;
        return DCONN_OK;
    }
    if (strcmp(stmt->sql, "baddec") == 0) {
        ta.misuse_status = dconn_builder_column(b, "d", NULL);
        if (ta.misuse_status == DCONN_OK) ta.misuse_status = dconn_builder_decimal(b, NULL, 2);
        return DCONN_OK;   /* the builder stays failed: the query must report it */
    }
    if (strcmp(stmt->sql, "block") == 0) {   /* two columns in one block, then one more */
        static const char block[] = "id\0INTEGER\0name\0";   /* name's decltype: the array's own '\0' */
        if (ta_b(dconn_builder_columns(b, 2, block, sizeof block)) || ta_b(dconn_builder_column(b, "x", "REAL")) ||
            ta_b(dconn_builder_int(b, 7)) || ta_b(dconn_builder_text(b, "ann", 3)) || ta_b(dconn_builder_real(b, 0.5)))
            return ta.build_fail;
        return DCONN_OK;
    }
    if (strcmp(stmt->sql, "shortblock") == 0) {   /* 3 columns said, one string given */
        ta.misuse_status = dconn_builder_columns(b, 3, "abcde", 6);
        if (ta.misuse_status == DCONN_OK) ta.misuse_status = dconn_builder_int(b, 1);
        if (ta.misuse_status == DCONN_OK) ta.misuse_status = dconn_builder_int(b, 2);
        if (ta.misuse_status == DCONN_OK) ta.misuse_status = dconn_builder_int(b, 3);
        return DCONN_OK;
    }
    if (strcmp(stmt->sql, "nocolumns") == 0) {   /* no column but bytes: refused, NULL or not */
        ta.misuse_status = dconn_builder_columns(b, 0, NULL, 5);
        if (ta.misuse_status == DCONN_EMISUSE) ta.misuse_status = dconn_builder_columns(b, 0, "c\0d\0", 4);
        return DCONN_OK;
    }
    if (strcmp(stmt->sql, "hugetext") == 0) {   /* SQLite's -1 habit: a length no buffer has */
        if (ta_b(dconn_builder_column(b, "t", "TEXT"))) return ta.build_fail;
        ta.misuse_status = dconn_builder_text(b, "hello", (size_t)-1);
        return DCONN_OK;
    }
    if (strcmp(stmt->sql, "toomany") == 0) {
        ta.misuse_status = dconn_builder_columns(b, (size_t)-1 / 2, "a\0\0", 4);
        return DCONN_OK;
    }
    if (strcmp(stmt->sql, "unterminated") == 0) {
        ta.misuse_status = dconn_builder_columns(b, 1, "ab", 2);
        return DCONN_OK;
    }
    if (strcmp(stmt->sql, "blocklate") == 0) {   /* columns after a cell */
        if (ta_b(dconn_builder_column(b, "a", "")) || ta_b(dconn_builder_int(b, 1))) return ta.build_fail;
        ta.misuse_status = dconn_builder_columns(b, 1, "b\0\0", 4);
        return DCONN_OK;
    }
    if (strcmp(stmt->sql, "misusethenhuge") == 0) {   /* a driver that ignores the first failure: the query reports it */
        if (ta_b(dconn_builder_column(b, "t", "TEXT"))) return ta.build_fail;
        ta.misuse_status = dconn_builder_text(b, NULL, 3);
        (void)dconn_builder_text(b, "hello", (size_t)-1);
        (void)dconn_builder_int(b, 1);
        return DCONN_OK;
    }
    if (strcmp(stmt->sql, "uintfirst") == 0) {
        ta.misuse_status = dconn_builder_uint(b, 1);
        return DCONN_OK;
    }
    ta_record(stmt);
    if (ta_b(dconn_builder_column(b, "call", "INTEGER")) || ta_b(dconn_builder_int(b, ta.queries))) return ta.build_fail;
    return DCONN_OK;
}

static void ta_driver(dconn_driver *d) {
    memset(d, 0, sizeof *d);
    d->version = DCONN_DRIVER_VERSION;
    d->name = "apimock";
    d->schemes = "apimock";
    d->connect = ta_connect;
    d->disconnect = ta_disconnect;
    d->query = ta_query;
}

/* A context (no secrets files) with apimock registered and one connection
   to it; ta cleared. 0 on failure (printed). */
static int ta_open_driver(dconn_ctx **ctx, dconn_conn **c) {
    dconn_driver d;
    dconn_error err;
    dconn_connect_options co;
    memset(&ta, 0, sizeof ta);
    *c = NULL;
    *ctx = tu_open(TA_DIR "/none/secrets.toml");
    if (!*ctx) return 0;
    ta_driver(&d);
    if (dconn_register_driver(*ctx, &d, &err) != DCONN_OK) { fprintf(stdout, "  register apimock: %s\n", err.message); return 0; }
    memset(&co, 0, sizeof co);
    co.url = "apimock://server/db";
    *c = dconn_connect(*ctx, "apidb", "apimock", &co, &err);
    if (!*c) { fprintf(stdout, "  connect apidb: %s\n", err.message); return 0; }
    return 1;
}

static void ta_close_driver(dconn_ctx *ctx, dconn_conn *c) {
    dconn_release(c);
    dconn_close(ctx);
}

/* A query of the apimock connection, TTL as given (NULL: cached). */
static dconn_result *ta_q(dconn_conn *c, const char *sql, const dconn_value *p, size_t n, const char *ttl) {
    dconn_query_options qo;
    dconn_error err;
    dconn_result *r;
    memset(&qo, 0, sizeof qo);
    qo.ttl = ttl;
    r = dconn_query(c, sql, p, n, &qo, &err);
    if (!r) fprintf(stdout, "  query \"%s\": %s\n", sql, err.message);
    return r;
}

/* --- 1. dconn_secret_string and the scalar getters ----------------------- */

#define TA_SECRETS TA_DIR "/secrets/secrets.toml"

static const char ta_secrets_text[] =
    "[db]\n"
    "password = \"hunter2-long\"\n"   /* 12 bytes */
    "port = 5432\n"
    "ratio = 0.5\n"
    "flag = true\n"
    "off = false\n"
    "empty = \"\"\n"
    "list = [1, 2]\n";

static void api_secret_string_copies(void) {
    dconn_ctx *ctx;
    char buf[64];
    ta_mark();
    tu_rmrf(TA_DIR "/secrets");
    tu_write(TA_SECRETS, ta_secrets_text);
    ctx = tu_open(TA_SECRETS);
    REQUIRE(ctx);

    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.password", "def", buf, sizeof buf), 12);
    CHECK_STR(buf, "hunter2-long");

    /* exactly room for the value and its NUL: not cut */
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.password", "def", buf, 13), 12);
    CHECK_STR(buf, "hunter2-long");

    /* an empty string value is a value, not the default */
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.empty", "def", buf, sizeof buf), 0);
    CHECK_STR(buf, "");

    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}

static void api_secret_string_cut(void) {
    dconn_ctx *ctx;
    char buf[64];
    size_t n;
    ta_mark();
    tu_rmrf(TA_DIR "/secrets");
    tu_write(TA_SECRETS, ta_secrets_text);
    ctx = tu_open(TA_SECRETS);
    REQUIRE(ctx);

    /* one byte short: cut, NUL-terminated, the full length returned */
    memset(buf, 'Z', sizeof buf);
    n = dconn_secret_string(ctx, "db.password", "def", buf, 12);
    CHECK_EQ_INT(n, 12);
    CHECK(n >= 12);
    CHECK_STR(buf, "hunter2-lon");
    CHECK(buf[12] == 'Z');

    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.password", "def", buf, 5), 12);
    CHECK_STR(buf, "hunt");
    CHECK(buf[4] == '\0');
    CHECK(buf[5] == 'Z');

    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.password", "def", buf, 1), 12);
    CHECK(buf[0] == '\0');
    CHECK(buf[1] == 'Z');

    /* the default is cut the same way */
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.missing", "fallback", buf, 4), 8);
    CHECK_STR(buf, "fal");
    CHECK(buf[4] == 'Z');

    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}

static void api_secret_string_defaults(void) {
    dconn_ctx *ctx;
    char buf[64];
    ta_mark();
    tu_rmrf(TA_DIR "/secrets");
    tu_write(TA_SECRETS, ta_secrets_text);
    ctx = tu_open(TA_SECRETS);
    REQUIRE(ctx);

    /* missing key, a table and an array on the way */
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.nope", "fallback", buf, sizeof buf), 8);
    CHECK_STR(buf, "fallback");
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "nope.deeper.still", "fallback", buf, sizeof buf), 8);
    CHECK_STR(buf, "fallback");
    /* not a string: integer, float, bool, array, table */
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.port", "fallback", buf, sizeof buf), 8);
    CHECK_STR(buf, "fallback");
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.ratio", "d1", buf, sizeof buf), 2);
    CHECK_STR(buf, "d1");
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.flag", "d2", buf, sizeof buf), 2);
    CHECK_STR(buf, "d2");
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.list", "d3", buf, sizeof buf), 2);
    CHECK_STR(buf, "d3");
    CHECK_EQ_INT(dconn_secret_string(ctx, "db", "d4", buf, sizeof buf), 2);
    CHECK_STR(buf, "d4");
    /* a NULL default is "" */
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.nope", NULL, buf, sizeof buf), 0);
    CHECK_STR(buf, "");
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.port", NULL, buf, sizeof buf), 0);
    CHECK_STR(buf, "");

    /* NULL out, or cap 0: only measures */
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.password", "def", NULL, 0), 12);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.password", "def", NULL, sizeof buf), 12);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.nope", "fallback", NULL, 0), 8);
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.password", "def", buf, 0), 12);
    CHECK(buf[0] == 'Z');

    /* NULL ctx or path: the default */
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(NULL, "db.password", "fallback", buf, sizeof buf), 8);
    CHECK_STR(buf, "fallback");
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, NULL, "fallback", buf, sizeof buf), 8);
    CHECK_STR(buf, "fallback");
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(NULL, NULL, NULL, buf, sizeof buf), 0);
    CHECK_STR(buf, "");
    CHECK_EQ_INT(dconn_secret_string(NULL, NULL, "abc", NULL, 0), 3);

    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}

static void api_secret_string_no_file(void) {
    dconn_ctx *ctx;
    char buf[16];
    ta_mark();
    tu_rmrf(TA_DIR "/secrets");
    ctx = tu_open(TA_SECRETS);
    REQUIRE(ctx);
    memset(buf, 'Z', sizeof buf);
    CHECK_EQ_INT(dconn_secret_string(ctx, "db.password", "fallback", buf, sizeof buf), 8);
    CHECK_STR(buf, "fallback");
    CHECK_EQ_INT(dconn_secret_int(ctx, "db.port", 7), 7);
    CHECK_EQ_DBL(dconn_secret_float(ctx, "db.ratio", 1.25), 1.25);
    CHECK_EQ_INT(dconn_secret_bool(ctx, "db.flag", 0), 0);
    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}

static void api_secret_scalars(void) {
    dconn_ctx *ctx;
    ta_mark();
    tu_rmrf(TA_DIR "/secrets");
    tu_write(TA_SECRETS, ta_secrets_text);
    ctx = tu_open(TA_SECRETS);
    REQUIRE(ctx);

    CHECK_EQ_INT(dconn_secret_int(ctx, "db.port", -1), 5432);
    CHECK_EQ_INT(dconn_secret_int(ctx, "db.list.1", -1), 2);
    CHECK_EQ_INT(dconn_secret_int(ctx, "db.nope", -1), -1);
    CHECK_EQ_INT(dconn_secret_int(ctx, "db.password", -1), -1);     /* a string */
    CHECK_EQ_INT(dconn_secret_int(ctx, "db.flag", -1), -1);         /* a bool */
    CHECK_EQ_INT(dconn_secret_int(ctx, "db", -1), -1);              /* a table */
    CHECK_EQ_INT(dconn_secret_int(NULL, "db.port", -3), -3);
    CHECK_EQ_INT(dconn_secret_int(ctx, NULL, -4), -4);
    CHECK_EQ_INT(dconn_secret_int(ctx, "db.port", INT64_MIN), 5432);

    CHECK_EQ_DBL(dconn_secret_float(ctx, "db.ratio", -1), 0.5);
    CHECK_EQ_DBL(dconn_secret_float(ctx, "db.nope", -1.5), -1.5);
    CHECK_EQ_DBL(dconn_secret_float(ctx, "db.password", -1.5), -1.5);
    CHECK_EQ_DBL(dconn_secret_float(ctx, "db.flag", -1.5), -1.5);
    CHECK_EQ_DBL(dconn_secret_float(NULL, "db.ratio", 2.5), 2.5);
    CHECK_EQ_DBL(dconn_secret_float(ctx, NULL, 3.5), 3.5);

    CHECK_EQ_INT(dconn_secret_bool(ctx, "db.flag", 0), 1);
    CHECK_EQ_INT(dconn_secret_bool(ctx, "db.off", 1), 0);
    CHECK_EQ_INT(dconn_secret_bool(ctx, "db.nope", 1), 1);
    CHECK_EQ_INT(dconn_secret_bool(ctx, "db.nope", 0), 0);
    CHECK_EQ_INT(dconn_secret_bool(ctx, "db.port", 0), 0);          /* an integer is not a bool */
    CHECK_EQ_INT(dconn_secret_bool(ctx, "db.password", 1), 1);
    CHECK_EQ_INT(dconn_secret_bool(NULL, "db.flag", 0), 0);
    CHECK_EQ_INT(dconn_secret_bool(ctx, NULL, 1), 1);

    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}

/* --- 2. held versions of the secrets ------------------------------------- */

#define TA_HOLD TA_DIR "/hold"
#define TA_GLOBAL TA_HOLD "/global.toml"
#define TA_LOCAL TA_HOLD "/local.toml"

static void api_secrets_hold_tables_and_arrays(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_secrets *s;
    const dconn_toml_value *conns, *alpha, *list;
    ta_mark();
    tu_rmrf(TA_HOLD);
    tu_write(TA_GLOBAL,
             "[connections.alpha]\n"
             "url = \"sqlite:///alpha.db\"\n"
             "ttl = \"1h\"\n"
             "[connections.gamma]\n"
             "url = \"sqlite:///gamma.db\"\n"
             "[app]\n"
             "list = [10, 20, 30]\n"
             "servers = [{ host = \"a\" }, { host = \"b\" }]\n");
    tu_write(TA_LOCAL,
             "[connections.beta]\n"
             "url = \"sqlite:///beta.db\"\n"
             "[connections.alpha]\n"
             "url = \"sqlite:///alpha-local.db\"\n");
    ctx = tu_open(TA_GLOBAL TU_LIST_SEP TA_LOCAL);
    REQUIRE(ctx);
    ta_dirty(&err);
    s = dconn_secrets_hold(ctx, &err);
    CHECK_EQ_INT(err.code, DCONN_OK);
    if (!s) fprintf(stdout, "  hold: %s\n", err.message);
    REQUIRE(s);

    CHECK_EQ_INT(dconn_toml_type_of(dconn_secrets_root(s)), DCONN_TOML_TABLE);
    CHECK_EQ_INT(dconn_toml_count(dconn_secrets_root(s)), 2);   /* connections, app */

    /* the connection names, merged, in file order: global's, then local's new ones */
    conns = dconn_secrets_get(s, "connections");
    CHECK_EQ_INT(dconn_toml_type_of(conns), DCONN_TOML_TABLE);
    CHECK_EQ_INT(dconn_toml_count(conns), 3);
    CHECK_STR(dconn_toml_key_at(conns, 0), "alpha");
    CHECK_STR(dconn_toml_key_at(conns, 1), "gamma");
    CHECK_STR(dconn_toml_key_at(conns, 2), "beta");
    CHECK(dconn_toml_key_at(conns, 3) == NULL);

    /* a table read through it: merged key by key, the local file winning */
    alpha = dconn_secrets_get(s, "connections.alpha");
    CHECK_EQ_INT(dconn_toml_type_of(alpha), DCONN_TOML_TABLE);
    CHECK_EQ_INT(dconn_toml_count(alpha), 2);
    CHECK_STR(dconn_toml_string(dconn_toml_get(alpha, "url"), NULL), "sqlite:///alpha-local.db");
    CHECK_STR(dconn_toml_string(dconn_toml_get(alpha, "ttl"), NULL), "1h");
    CHECK_STR(dconn_toml_file(dconn_toml_get(alpha, "url")), TA_LOCAL);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(alpha, "url")), 4);
    CHECK_STR(dconn_toml_file(dconn_toml_get(alpha, "ttl")), TA_GLOBAL);
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(alpha, "ttl")), 3);
    CHECK_STR(dconn_toml_string(dconn_secrets_get(s, "connections.beta.url"), NULL), "sqlite:///beta.db");

    /* an array read through it */
    list = dconn_secrets_get(s, "app.list");
    CHECK_EQ_INT(dconn_toml_type_of(list), DCONN_TOML_ARRAY);
    CHECK_EQ_INT(dconn_toml_count(list), 3);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_at(list, 0), -1), 10);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_at(list, 2), -1), 30);
    CHECK(dconn_toml_at(list, 3) == NULL);
    CHECK_EQ_INT(dconn_toml_int(dconn_secrets_get(s, "app.list.1"), -1), 20);
    CHECK_STR(dconn_toml_string(dconn_secrets_get(s, "app.servers.1.host"), NULL), "b");
    CHECK_EQ_INT(dconn_toml_count(dconn_secrets_get(s, "app.servers")), 2);

    /* misses and NULLs */
    CHECK(dconn_secrets_get(s, "connections.delta") == NULL);
    CHECK(dconn_secrets_get(s, NULL) == NULL);
    CHECK(dconn_secrets_get(NULL, "connections") == NULL);
    CHECK(dconn_secrets_root(NULL) == NULL);

    dconn_secrets_release(s);
    dconn_secrets_release(NULL);
    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}

/* Two holds at once are independent; a hold outlives nothing but its own
   release (released in the other order than taken). */
static void api_secrets_hold_twice(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_secrets *a, *b;
    ta_mark();
    tu_rmrf(TA_HOLD);
    tu_write(TA_GLOBAL, "[app]\nname = \"one\"\n");
    ctx = tu_open(TA_GLOBAL);
    REQUIRE(ctx);
    a = dconn_secrets_hold(ctx, &err);
    b = dconn_secrets_hold(ctx, &err);
    CHECK(a != NULL);
    CHECK(b != NULL);
    CHECK_STR(dconn_toml_string(dconn_secrets_get(a, "app.name"), NULL), "one");
    dconn_secrets_release(a);
    CHECK_STR(dconn_toml_string(dconn_secrets_get(b, "app.name"), NULL), "one");
    dconn_secrets_release(b);
    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}

static void api_secrets_hold_no_file(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_secrets *s;
    const char *const lists[] = { TA_HOLD "/missing.toml", TA_HOLD "/missing.toml" TU_LIST_SEP TA_HOLD "/also-missing.toml", "" };
    size_t k;
    ta_mark();
    tu_rmrf(TA_HOLD);
    for (k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        ctx = tu_open(lists[k]);
        REQUIRE(ctx);
        ta_dirty(&err);
        s = dconn_secrets_hold(ctx, &err);
        CHECK(s != NULL);
        CHECK_EQ_INT(err.code, DCONN_OK);
        CHECK(dconn_secrets_root(s) != NULL);
        CHECK_EQ_INT(dconn_toml_type_of(dconn_secrets_root(s)), DCONN_TOML_TABLE);
        CHECK_EQ_INT(dconn_toml_count(dconn_secrets_root(s)), 0);
        CHECK(dconn_toml_key_at(dconn_secrets_root(s), 0) == NULL);
        CHECK(dconn_secrets_get(s, "connections") == NULL);
        CHECK_EQ_INT(dconn_toml_count(dconn_secrets_get(s, "connections")), 0);
        dconn_secrets_release(s);
        dconn_close(ctx);
    }
    TA_CHECK_NO_LEAKS();
}

static void api_secrets_hold_errors(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_secrets *s;
    const char *prefix = TA_GLOBAL ":3:";
    ta_mark();
    tu_rmrf(TA_HOLD);
    tu_write(TA_GLOBAL, "[app]\nok = 1\nname = \n");
    ctx = tu_open(TA_GLOBAL);
    REQUIRE(ctx);
    ta_dirty(&err);
    s = dconn_secrets_hold(ctx, &err);
    CHECK(s == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK_STR(err.file, TA_GLOBAL);
    CHECK_EQ_INT(err.line, 3);
    CHECK(strncmp(err.message, prefix, strlen(prefix)) == 0);
    if (strncmp(err.message, prefix, strlen(prefix)) != 0) fprintf(stdout, "  message: %s\n", err.message);
    dconn_secrets_release(s);
    dconn_close(ctx);

    ta_dirty(&err);
    CHECK(dconn_secrets_hold(NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK(err.message[0] != '\0');
    CHECK(dconn_secrets_hold(NULL, NULL) == NULL);
    dconn_secrets_release(NULL);
    TA_CHECK_NO_LEAKS();
}

/* A held version is not touched by a reload; a new hold sees the new one. */
static void api_secrets_hold_survives_reload(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_secrets *old, *cur;
    const dconn_toml_value *name, *conns;
    const char *name_text;
    char buf[64];
    ta_mark();
    tu_rmrf(TA_HOLD);
    tu_write(TA_GLOBAL, "[app]\nname = \"first\"\n[connections.one]\nurl = \"sqlite://\"\n");
    ctx = tu_open(TA_GLOBAL);   /* reload_interval "0": every call re-checks */
    REQUIRE(ctx);
    old = dconn_secrets_hold(ctx, &err);
    REQUIRE(old);
    name = dconn_secrets_get(old, "app.name");
    name_text = dconn_toml_string(name, NULL);
    conns = dconn_secrets_get(old, "connections");
    CHECK_STR(name_text, "first");

    /* another content, another size */
    tu_write(TA_GLOBAL, "[app]\nname = \"second, and longer\"\nextra = 1\n[connections.two]\nurl = \"sqlite://\"\n"
                        "[connections.three]\nurl = \"sqlite://\"\n");
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_STR(tu_secret(ctx, "app.name", NULL), "second, and longer");   /* the context did reload */
    CHECK_EQ_INT(dconn_secret_int(ctx, "app.extra", -1), 1);

    /* the old version: the same pointers, the same values */
    CHECK_STR(dconn_toml_string(name, NULL), "first");
    CHECK_STR(name_text, "first");
    CHECK_EQ_INT(dconn_toml_count(conns), 1);
    CHECK_STR(dconn_toml_key_at(conns, 0), "one");
    CHECK(dconn_secrets_get(old, "app.name") == name);
    CHECK(dconn_secrets_get(old, "app.extra") == NULL);
    CHECK(dconn_secrets_get(old, "connections.two") == NULL);

    /* a new hold sees the new version */
    cur = dconn_secrets_hold(ctx, &err);
    REQUIRE(cur);
    CHECK_STR(dconn_toml_string(dconn_secrets_get(cur, "app.name"), NULL), "second, and longer");
    CHECK_EQ_INT(dconn_toml_int(dconn_secrets_get(cur, "app.extra"), -1), 1);
    CHECK_EQ_INT(dconn_toml_count(dconn_secrets_get(cur, "connections")), 2);
    CHECK_STR(dconn_toml_key_at(dconn_secrets_get(cur, "connections"), 0), "two");
    CHECK_STR(dconn_toml_key_at(dconn_secrets_get(cur, "connections"), 1), "three");

    /* a third version while both are held; then the old one is read once more */
    tu_write(TA_GLOBAL, "[app]\nname = \"third\"\n");
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    memset(buf, 0, sizeof buf);
    dconn_secret_string(ctx, "app.name", NULL, buf, sizeof buf);
    CHECK_STR(buf, "third");
    CHECK_STR(dconn_toml_string(name, NULL), "first");
    CHECK_STR(dconn_toml_string(dconn_secrets_get(cur, "app.name"), NULL), "second, and longer");

    dconn_secrets_release(old);
    CHECK_STR(dconn_toml_string(dconn_secrets_get(cur, "app.name"), NULL), "second, and longer");
    dconn_secrets_release(cur);
    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}

/* A bad edit keeps the last good version: a hold after it gets that one. */
static void api_secrets_hold_after_bad_edit(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_secrets *s;
    ta_mark();
    tu_rmrf(TA_HOLD);
    tu_write(TA_GLOBAL, "[app]\nname = \"good\"\n");
    ctx = tu_open(TA_GLOBAL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    tu_write(TA_GLOBAL, "[app]\nname = = \"bad, and longer\"\n");
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ETOML);
    CHECK_STR(err.file, TA_GLOBAL);
    CHECK_EQ_INT(err.line, 2);
    ta_dirty(&err);
    s = dconn_secrets_hold(ctx, &err);
    CHECK(s != NULL);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_STR(dconn_toml_string(dconn_secrets_get(s, "app.name"), NULL), "good");
    dconn_secrets_release(s);
    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}

/* --- 3. unsigned and decimal values through a driver --------------------- */

static void api_uint_decimal_result_types(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    size_t len = 99;
    const void *p;
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    r = ta_q(c, "values", NULL, 0, "0");
    CHECK_EQ_INT(ta.build_fail, DCONN_OK);
    if (!r) { ta_close_driver(ctx, c); REQUIRE(0); }
    CHECK_EQ_INT(dconn_result_rows(r), 1);
    CHECK_EQ_INT(dconn_result_cols(r), 8);
    CHECK_EQ_INT(dconn_result_type(r, 0, 0), DCONN_UINT);
    CHECK_EQ_INT(dconn_result_type(r, 0, 1), DCONN_UINT);
    CHECK_EQ_INT(dconn_result_type(r, 0, 2), DCONN_UINT);
    CHECK_EQ_INT(dconn_result_type(r, 0, 3), DCONN_DECIMAL);
    CHECK_EQ_INT(dconn_result_type(r, 0, 5), DCONN_DECIMAL);
    CHECK_EQ_INT(dconn_result_type(r, 0, 7), DCONN_DECIMAL);
    CHECK_EQ_INT(dconn_result_type(r, 1, 0), DCONN_NULL);     /* out of range */
    CHECK_EQ_INT(dconn_result_type(r, 0, 8), DCONN_NULL);
    CHECK_EQ_INT(dconn_result_is_null(r, 0, 2), 0);
    CHECK_STR(dconn_result_column_decltype(r, 2), "BIGINT UNSIGNED");
    CHECK_STR(dconn_result_column_decltype(r, 3), "DECIMAL(40,6)");

    /* text: decimals as stored, unsigned cells have none */
    CHECK_STR(dconn_result_text(r, 0, 3), "12.30");
    CHECK_STR(dconn_result_text(r, 0, 4), "-0.000001");
    CHECK_STR(dconn_result_text(r, 0, 5), ta_40_digits);
    CHECK_STR(dconn_result_text_by_name(r, 0, "dec"), "12.30");
    CHECK(dconn_result_text(r, 0, 0) == NULL);
    CHECK(dconn_result_text(r, 0, 2) == NULL);

    /* blob: a decimal's bytes; none for an unsigned cell */
    p = dconn_result_blob(r, 0, 3, &len);
    CHECK(p != NULL);
    CHECK_EQ_INT(len, 5);
    CHECK(p && memcmp(p, "12.30", 5) == 0);
    CHECK(p == (const void *)dconn_result_text(r, 0, 3));
    p = dconn_result_blob(r, 0, 5, &len);
    CHECK_EQ_INT(len, 40);
    CHECK(p && memcmp(p, ta_40_digits, 40) == 0);
    len = 99;
    CHECK(dconn_result_blob(r, 0, 2, &len) == NULL);
    CHECK_EQ_INT(len, 0);
    CHECK(dconn_result_blob(r, 0, 3, NULL) != NULL);

    dconn_result_release(r);
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

static void api_uint_decimal_getters(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    int64_t i;
    uint64_t u;
    double d;
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    r = ta_q(c, "values", NULL, 0, "0");
    if (!r) { ta_close_driver(ctx, c); REQUIRE(0); }

    /* get_uint */
    u = 77; CHECK_EQ_INT(dconn_result_get_uint(r, 0, 0, &u), DCONN_OK); TA_CHECK_U64(u, 0);
    u = 77; CHECK_EQ_INT(dconn_result_get_uint(r, 0, 1, &u), DCONN_OK); TA_CHECK_U64(u, (uint64_t)INT64_MAX + 1);
    u = 77; CHECK_EQ_INT(dconn_result_get_uint(r, 0, 2, &u), DCONN_OK); TA_CHECK_U64(u, UINT64_MAX);
    u = 77; CHECK_EQ_INT(dconn_result_get_uint(r, 0, 3, &u), DCONN_ETYPE); TA_CHECK_U64(u, 77);       /* "12.30" */
    u = 77; CHECK_EQ_INT(dconn_result_get_uint(r, 0, 5, &u), DCONN_ERANGE); TA_CHECK_U64(u, 77);      /* 40 digits */
    u = 77; CHECK_EQ_INT(dconn_result_get_uint(r, 0, 6, &u), DCONN_ERANGE); TA_CHECK_U64(u, 77);      /* "-5" */
    u = 77; CHECK_EQ_INT(dconn_result_get_uint(r, 0, 7, &u), DCONN_ETYPE); TA_CHECK_U64(u, 77);       /* "1.5" */
    u = 77; CHECK_EQ_INT(dconn_result_get_uint(r, 1, 0, &u), DCONN_ERANGE); TA_CHECK_U64(u, 77);
    u = 77; CHECK_EQ_INT(dconn_result_get_uint(r, 0, 8, &u), DCONN_ERANGE); TA_CHECK_U64(u, 77);
    CHECK_EQ_INT(dconn_result_get_uint(NULL, 0, 0, &u), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_result_get_uint(r, 0, 0, NULL), DCONN_EMISUSE);

    /* get_int */
    i = 77; CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &i), DCONN_OK); CHECK_EQ_INT(i, 0);
    i = 77; CHECK_EQ_INT(dconn_result_get_int(r, 0, 1, &i), DCONN_ERANGE); CHECK_EQ_INT(i, 77);   /* INT64_MAX + 1 */
    i = 77; CHECK_EQ_INT(dconn_result_get_int(r, 0, 2, &i), DCONN_ERANGE); CHECK_EQ_INT(i, 77);
    i = 77; CHECK_EQ_INT(dconn_result_get_int(r, 0, 3, &i), DCONN_ETYPE); CHECK_EQ_INT(i, 77);    /* "12.30" */
    i = 77; CHECK_EQ_INT(dconn_result_get_int(r, 0, 4, &i), DCONN_ETYPE); CHECK_EQ_INT(i, 77);    /* "-0.000001" */
    i = 77; CHECK_EQ_INT(dconn_result_get_int(r, 0, 5, &i), DCONN_ERANGE); CHECK_EQ_INT(i, 77);   /* 40 digits */
    i = 77; CHECK_EQ_INT(dconn_result_get_int(r, 0, 6, &i), DCONN_OK); CHECK_EQ_INT(i, -5);       /* "-5" */
    i = 77; CHECK_EQ_INT(dconn_result_get_int(r, 0, 7, &i), DCONN_ETYPE); CHECK_EQ_INT(i, 77);    /* "1.5" */
    i = 77; CHECK_EQ_INT(dconn_result_get_int(r, 2, 0, &i), DCONN_ERANGE); CHECK_EQ_INT(i, 77);
    CHECK_EQ_INT(dconn_result_get_int(NULL, 0, 0, &i), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, NULL), DCONN_EMISUSE);

    /* get_real: every number, a decimal as near as a double gets */
    d = 77; CHECK_EQ_INT(dconn_result_get_real(r, 0, 0, &d), DCONN_OK); CHECK_EQ_DBL(d, 0.0);
    d = 77; CHECK_EQ_INT(dconn_result_get_real(r, 0, 1, &d), DCONN_OK); CHECK_EQ_DBL(d, 9223372036854775808.0);
    d = 77; CHECK_EQ_INT(dconn_result_get_real(r, 0, 2, &d), DCONN_OK); CHECK_EQ_DBL(d, 18446744073709551615.0);
    d = 77; CHECK_EQ_INT(dconn_result_get_real(r, 0, 3, &d), DCONN_OK); CHECK_EQ_DBL(d, 12.3);
    d = 77; CHECK_EQ_INT(dconn_result_get_real(r, 0, 4, &d), DCONN_OK); CHECK_EQ_DBL(d, -0.000001);
    d = 77; CHECK_EQ_INT(dconn_result_get_real(r, 0, 5, &d), DCONN_OK); CHECK_EQ_DBL(d, 1234567890123456789012345678901234567890.0);
    d = 77; CHECK_EQ_INT(dconn_result_get_real(r, 0, 6, &d), DCONN_OK); CHECK_EQ_DBL(d, -5.0);
    d = 77; CHECK_EQ_INT(dconn_result_get_real(r, 0, 7, &d), DCONN_OK); CHECK_EQ_DBL(d, 1.5);
    d = 77; CHECK_EQ_INT(dconn_result_get_real(r, 1, 0, &d), DCONN_ERANGE); CHECK_EQ_DBL(d, 77);
    CHECK_EQ_INT(dconn_result_get_real(NULL, 0, 0, &d), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_result_get_real(r, 0, 0, NULL), DCONN_EMISUSE);

    dconn_result_release(r);
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

/* "get_real accepts every number and numeric TEXT or DECIMAL (a DECIMAL
   may lose digits as a double)": long ones too. */
static void api_decimal_get_real_long(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    double d;
    int64_t i;
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    r = ta_q(c, "longdec", NULL, 0, "0");
    CHECK_EQ_INT(ta.build_fail, DCONN_OK);
    if (!r) { ta_close_driver(ctx, c); REQUIRE(0); }
    CHECK_STR(dconn_result_text(r, 0, 0), ta_70_digits);
    d = 77; CHECK_EQ_INT(dconn_result_get_real(r, 0, 0, &d), DCONN_OK);
    CHECK_EQ_DBL(d, strtod(ta_70_digits, NULL));
    d = 77; CHECK_EQ_INT(dconn_result_get_real(r, 0, 1, &d), DCONN_OK);
    CHECK_EQ_DBL(d, 0.5);
    i = 77; CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &i), DCONN_ERANGE);
    CHECK_EQ_INT(i, 77);
    dconn_result_release(r);
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

/* The formats: every digit, unquoted in JSON. */
static void api_uint_decimal_formats(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_error err;
    static const dconn_format formats[] = { DCONN_FORMAT_CSV, DCONN_FORMAT_JSON, DCONN_FORMAT_MARKDOWN, DCONN_FORMAT_BOX };
    size_t k;
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    r = ta_q(c, "values", NULL, 0, "0");
    if (!r) { ta_close_driver(ctx, c); REQUIRE(0); }
    for (k = 0; k < sizeof formats / sizeof formats[0]; k++) {
        char *s = dconn_result_format(r, formats[k], &err);
        if (!s) fprintf(stdout, "  format %d: %s\n", (int)formats[k], err.message);
        CHECK(s != NULL);
        CHECK_CONTAINS(s, "18446744073709551615");
        CHECK_CONTAINS(s, "9223372036854775808");
        CHECK_CONTAINS(s, "12.30");
        CHECK_CONTAINS(s, "-0.000001");
        CHECK_NOT_CONTAINS(s, "1.8446744073709552e+19");
        CHECK_NOT_CONTAINS(s, "12.3 ");
        if (formats[k] != DCONN_FORMAT_BOX) CHECK_CONTAINS(s, ta_40_digits);   /* the box may cut long cells */
        if (formats[k] == DCONN_FORMAT_CSV)
            CHECK_STR(s, "u0,ubig,umax,dec,dsmall,dlong,dneg5,d15\r\n"
                         "0,9223372036854775808,18446744073709551615,12.30,-0.000001,1234567890123456789012345678901234567890,-5,1.5\r\n");
        if (formats[k] == DCONN_FORMAT_JSON) {
            CHECK_CONTAINS(s, "\"umax\": 18446744073709551615");
            CHECK_CONTAINS(s, "\"ubig\": 9223372036854775808");
            CHECK_CONTAINS(s, "\"u0\": 0");
            CHECK_NOT_CONTAINS(s, "\"18446744073709551615\"");
            CHECK_STR(s, "[\n  {\"u0\": 0, \"ubig\": 9223372036854775808, \"umax\": 18446744073709551615, \"dec\": 12.30, "
                         "\"dsmall\": -0.000001, \"dlong\": 1234567890123456789012345678901234567890, \"dneg5\": -5, \"d15\": 1.5}\n]\n");
        }
        if (formats[k] == DCONN_FORMAT_MARKDOWN) CHECK_CONTAINS(s, "| 0 | 9223372036854775808 | 18446744073709551615 | 12.30 | -0.000001 |");
        dconn_free(s);
    }
    dconn_result_release(r);
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

static void api_uint_decimal_builder_misuse(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_error err;
    ta_mark();
    CHECK_EQ_INT(dconn_builder_uint(NULL, 1), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_builder_decimal(NULL, "1", 1), DCONN_EMISUSE);
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }

    /* NULL digits with a length: EMISUSE, and the query reports it */
    ta_dirty(&err);
    r = dconn_query(c, "baddec", NULL, 0, NULL, &err);
    CHECK_EQ_INT(ta.misuse_status, DCONN_EMISUSE);
    CHECK(r == NULL);
    CHECK(err.code != DCONN_OK);
    dconn_result_release(r);

    /* a cell before any column */
    ta_dirty(&err);
    r = dconn_query(c, "uintfirst", NULL, 0, NULL, &err);
    CHECK_EQ_INT(ta.misuse_status, DCONN_EMISUSE);
    CHECK(r == NULL);
    CHECK(err.code != DCONN_OK);
    dconn_result_release(r);

    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

/* dconn_builder_columns: a block of "name\0decltype\0" pairs beside
   dconn_builder_column, a short block, and the misuse it refuses. */
static void api_builder_columns_block(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_error err;
    size_t n;
    int64_t i = 0;
    ta_mark();
    CHECK_EQ_INT(dconn_builder_columns(NULL, 1, "a\0\0", 4), DCONN_EMISUSE);
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    r = dconn_query(c, "block", NULL, 0, NULL, &err);
    if (!r) fprintf(stdout, "  block: %s\n", err.message);
    REQUIRE(r != NULL);
    CHECK_EQ_INT(dconn_result_cols(r), 3);
    CHECK_EQ_INT(dconn_result_rows(r), 1);
    CHECK_STR(dconn_result_column_name(r, 0), "id");
    CHECK_STR(dconn_result_column_decltype(r, 0), "INTEGER");
    CHECK_STR(dconn_result_column_name(r, 1), "name");
    CHECK_STR(dconn_result_column_decltype(r, 1), "");
    CHECK_STR(dconn_result_column_name(r, 2), "x");
    CHECK_STR(dconn_result_column_decltype(r, 2), "REAL");
    CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &i), DCONN_OK);
    CHECK(i == 7);
    CHECK(memcmp(dconn_result_blob(r, 0, 1, &n), "ann", 3) == 0 && n == 3);
    dconn_result_release(r);

    /* three columns said, one string given: the rest are "", nothing read past the block */
    r = dconn_query(c, "shortblock", NULL, 0, NULL, &err);
    CHECK_EQ_INT(ta.misuse_status, DCONN_OK);
    REQUIRE(r != NULL);
    CHECK_EQ_INT(dconn_result_cols(r), 3);
    CHECK_STR(dconn_result_column_name(r, 0), "abcde");
    CHECK_STR(dconn_result_column_decltype(r, 0), "");
    CHECK_STR(dconn_result_column_name(r, 2), "");
    CHECK_STR(dconn_result_column_decltype(r, 2), "");
    dconn_result_release(r);

    /* a block whose last byte is not '\0', and columns after a cell: EMISUSE, reported */
    ta_dirty(&err);
    r = dconn_query(c, "unterminated", NULL, 0, NULL, &err);
    CHECK_EQ_INT(ta.misuse_status, DCONN_EMISUSE);
    CHECK(r == NULL);
    CHECK(err.code != DCONN_OK);
    ta_dirty(&err);
    r = dconn_query(c, "nocolumns", NULL, 0, NULL, &err);
    CHECK_EQ_INT(ta.misuse_status, DCONN_EMISUSE);
    CHECK(r == NULL);
    CHECK_CONTAINS(err.message, "dconn_builder_columns");
    ta_dirty(&err);
    r = dconn_query(c, "hugetext", NULL, 0, NULL, &err);
    CHECK_EQ_INT(ta.misuse_status, DCONN_ENOMEM);
    CHECK(r == NULL);
    ta_dirty(&err);
    r = dconn_query(c, "toomany", NULL, 0, NULL, &err);   /* more columns than 2 bytes each */
    CHECK_EQ_INT(ta.misuse_status, DCONN_EMISUSE);
    CHECK(r == NULL);
    ta_dirty(&err);
    r = dconn_query(c, "blocklate", NULL, 0, NULL, &err);
    CHECK_EQ_INT(ta.misuse_status, DCONN_EMISUSE);
    CHECK(r == NULL);
    CHECK(err.code != DCONN_OK);
    ta_dirty(&err);
    r = dconn_query(c, "misusethenhuge", NULL, 0, NULL, &err);
    CHECK_EQ_INT(ta.misuse_status, DCONN_EMISUSE);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);   /* the first failure, not the out-of-memory that followed */
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

static void api_uint_decimal_constructors(void) {
    dconn_value v = dconn_uint(UINT64_MAX);
    CHECK_EQ_INT(v.type, DCONN_UINT);
    TA_CHECK_U64(v.u, UINT64_MAX);
    CHECK(v.name == NULL);
    CHECK(v.p == NULL);
    CHECK_EQ_INT(v.n, 0);
    v = dconn_decimal("-12.30");
    CHECK_EQ_INT(v.type, DCONN_DECIMAL);
    CHECK_EQ_INT(v.n, 6);
    CHECK(v.p != NULL && memcmp(v.p, "-12.30", 6) == 0);
    CHECK(v.name == NULL);
    v = dconn_decimal(NULL);
    CHECK_EQ_INT(v.type, DCONN_NULL);
    v = dconn_named(":amount", dconn_decimal("1.5"));
    CHECK_EQ_INT(v.type, DCONN_DECIMAL);
    CHECK_STR(v.name, ":amount");
}

/* Parameters reach the driver as they were given. */
static void api_uint_decimal_params_reach_driver(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_value p[5];
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    p[0] = dconn_uint(0);
    p[1] = dconn_uint(UINT64_MAX);
    p[2] = dconn_uint((uint64_t)INT64_MAX + 1);
    p[3] = dconn_decimal("12.30");
    p[4] = dconn_named(":tiny", dconn_decimal("-0.000001"));
    r = ta_q(c, "echo", p, 5, "0");
    REQUIRE(r);
    dconn_result_release(r);
    CHECK_EQ_INT(ta.n_params, 5);
    CHECK_EQ_INT(ta.p[0].type, DCONN_UINT);
    TA_CHECK_U64(ta.p[0].u, 0);
    CHECK_EQ_INT(ta.p[1].type, DCONN_UINT);
    TA_CHECK_U64(ta.p[1].u, UINT64_MAX);
    CHECK_EQ_INT(ta.p[1].has_name, 0);
    CHECK_EQ_INT(ta.p[2].type, DCONN_UINT);
    TA_CHECK_U64(ta.p[2].u, (uint64_t)INT64_MAX + 1);
    CHECK_EQ_INT(ta.p[3].type, DCONN_DECIMAL);
    CHECK_EQ_INT(ta.p[3].n, 5);
    CHECK_EQ_INT(ta.p[3].p_null, 0);
    CHECK_STR(ta.p[3].bytes, "12.30");
    CHECK_EQ_INT(ta.p[4].type, DCONN_DECIMAL);
    CHECK_EQ_INT(ta.p[4].n, 9);
    CHECK_STR(ta.p[4].bytes, "-0.000001");
    CHECK_EQ_INT(ta.p[4].has_name, 1);
    CHECK_STR(ta.p[4].name, ":tiny");
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

/* The cache keys unsigned and decimal parameters by type and value. */
static void api_uint_decimal_cache_keys(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r1, *r2, *r3, *r4;
    dconn_cache_stats st0, st;
    dconn_value p;
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    dconn_cache_stats_get(ctx, &st0);

    /* the same unsigned value twice: one query, then a hit on the same result */
    p = dconn_uint(5);
    r1 = ta_q(c, "echo", &p, 1, NULL);
    p = dconn_uint(5);
    r2 = ta_q(c, "echo", &p, 1, NULL);
    CHECK(r1 != NULL && r2 != NULL);
    CHECK_EQ_INT(ta.queries, 1);
    CHECK(r1 == r2);
    dconn_cache_stats_get(ctx, &st);
    TA_CHECK_U64(st.hits - st0.hits, 1);
    TA_CHECK_U64(st.misses - st0.misses, 1);
    TA_CHECK_U64(st.entries, 1);

    /* dconn_int(5) is another key */
    p = dconn_int(5);
    r3 = ta_q(c, "echo", &p, 1, NULL);
    CHECK(r3 != NULL);
    CHECK(r3 != r1);
    CHECK_EQ_INT(ta.queries, 2);
    CHECK_EQ_INT(ta.p[0].type, DCONN_INT);
    dconn_cache_stats_get(ctx, &st);
    TA_CHECK_U64(st.entries, 2);
    TA_CHECK_U64(st.misses - st0.misses, 2);
    TA_CHECK_U64(st.hits - st0.hits, 1);

    /* so are dconn_uint(6), the decimal "5" and the text "5"; the decimal again is a hit */
    dconn_result_release(r2);
    dconn_result_release(r3);
    p = dconn_uint(6);
    r2 = ta_q(c, "echo", &p, 1, NULL);
    p = dconn_decimal("5");
    r3 = ta_q(c, "echo", &p, 1, NULL);
    p = dconn_text("5");
    r4 = ta_q(c, "echo", &p, 1, NULL);
    CHECK_EQ_INT(ta.queries, 5);
    dconn_result_release(r2);
    dconn_result_release(r4);
    p = dconn_decimal("5");
    r2 = ta_q(c, "echo", &p, 1, NULL);
    CHECK(r2 != NULL && r2 == r3);
    CHECK_EQ_INT(ta.queries, 5);
    p = dconn_decimal("5.0");
    r4 = ta_q(c, "echo", &p, 1, NULL);
    CHECK_EQ_INT(ta.queries, 6);
    dconn_cache_stats_get(ctx, &st);
    TA_CHECK_U64(st.entries, 6);
    TA_CHECK_U64(st.hits - st0.hits, 2);
    TA_CHECK_U64(st.misses - st0.misses, 6);

    dconn_result_release(r1);
    dconn_result_release(r2);
    dconn_result_release(r3);
    dconn_result_release(r4);
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

/* --- 4. SQLite with the new types ------------------------------------------ */

static void api_sqlite_uint_and_decimal(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_value p;
    dconn_status st;
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(dconn_exec_script(e.c, "CREATE TABLE t(k TEXT, x)", &err), DCONN_OK);

    /* an unsigned value up to INT64_MAX binds as an integer */
    p = dconn_uint(42);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES ('u42', ?)", &p, 1, NULL, NULL, &err), DCONN_OK);
    p = dconn_uint((uint64_t)INT64_MAX);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES ('umax63', ?)", &p, 1, NULL, NULL, &err), DCONN_OK);
    r = tsq_query(e.c, "SELECT typeof(x), x FROM t WHERE k = 'u42'", NULL, 0, "0", &err);
    REQUIRE(r);
    CHECK_STR(dconn_result_text(r, 0, 0), "integer");
    CHECK_EQ_INT(dconn_result_type(r, 0, 1), DCONN_INT);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT x FROM t WHERE k = 'u42'"), 42);
    dconn_result_release(r);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT x = 9223372036854775807 FROM t WHERE k = 'umax63'"), 1);
    p = dconn_uint(42);
    r = tsq_query(e.c, "SELECT ? + 1, typeof(?1)", &p, 1, "0", &err);
    REQUIRE(r);
    {
        int64_t v = 0;
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &v), DCONN_OK);
        CHECK_EQ_INT(v, 43);
        CHECK_STR(dconn_result_text(r, 0, 1), "integer");
    }
    dconn_result_release(r);

    /* above INT64_MAX SQLite cannot store it: refused, nothing stored */
    p = dconn_uint(UINT64_MAX);
    ta_dirty(&err);
    st = dconn_exec(e.c, "INSERT INTO t VALUES ('uinf', ?)", &p, 1, NULL, NULL, &err);
    CHECK(st != DCONN_OK);
    CHECK_EQ_INT(err.code, st);
    CHECK(err.message[0] != '\0');
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t WHERE k = 'uinf'"), 0);
    p = dconn_uint((uint64_t)INT64_MAX + 1);
    st = dconn_exec(e.c, "INSERT INTO t VALUES ('uinf', ?)", &p, 1, NULL, NULL, &err);
    CHECK(st != DCONN_OK);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t WHERE k = 'uinf'"), 0);
    p = dconn_uint(UINT64_MAX);
    ta_dirty(&err);
    r = tsq_query(e.c, "SELECT ?", &p, 1, "0", &err);
    CHECK(r == NULL);
    CHECK(err.code != DCONN_OK);
    dconn_result_release(r);

    /* a decimal is stored as its text */
    p = dconn_decimal("12.30");
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES ('dec', ?)", &p, 1, NULL, NULL, &err), DCONN_OK);
    r = tsq_query(e.c, "SELECT typeof(x), x, length(x) FROM t WHERE k = 'dec'", NULL, 0, "0", &err);
    REQUIRE(r);
    CHECK_STR(dconn_result_text(r, 0, 0), "text");
    CHECK_STR(dconn_result_text(r, 0, 1), "12.30");
    CHECK_EQ_INT(dconn_result_type(r, 0, 1), DCONN_TEXT);
    CHECK_EQ_INT(tsq_int(e.c, "SELECT length(x) FROM t WHERE k = 'dec'"), 5);
    dconn_result_release(r);
    p = dconn_decimal("-0.000001");
    r = tsq_query(e.c, "SELECT typeof(?), ?1", &p, 1, "0", &err);
    REQUIRE(r);
    CHECK_STR(dconn_result_text(r, 0, 0), "text");
    CHECK_STR(dconn_result_text(r, 0, 1), "-0.000001");
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* --- 5. dconn_result_as_text and dconn_result_row ------------------------ */

/* Columns of "types": i u r3 r01 rnan rinf rninf t b d n imin rthird bempty */
static void api_as_text_every_type(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_text_buf buf;
    const char *s;
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    r = ta_q(c, "types", NULL, 0, "0");
    CHECK_EQ_INT(ta.build_fail, DCONN_OK);
    if (!r) { ta_close_driver(ctx, c); REQUIRE(0); }
    CHECK_STR(dconn_result_as_text(r, 0, 0, &buf), "-42");
    CHECK_STR(dconn_result_as_text(r, 0, 1, &buf), "18446744073709551615");
    CHECK_STR(dconn_result_as_text(r, 0, 2, &buf), "3.0");
    CHECK_STR(dconn_result_as_text(r, 0, 3, &buf), "0.1");
    CHECK_STR(dconn_result_as_text(r, 0, 7, &buf), "h\xc3\xa9llo");
    CHECK(dconn_result_as_text(r, 0, 7, &buf) == dconn_result_text(r, 0, 7));   /* as stored */
    s = dconn_result_as_text(r, 0, 8, &buf);                                   /* a blob: its bytes, NUL-terminated */
    CHECK(s != NULL);
    CHECK(s && memcmp(s, "a\0b", 4) == 0);
    CHECK_STR(dconn_result_as_text(r, 0, 9, &buf), "12.30");
    CHECK(dconn_result_as_text(r, 0, 9, &buf) == dconn_result_text(r, 0, 9));
    CHECK(dconn_result_as_text(r, 0, 10, &buf) == NULL);                        /* SQL NULL */
    CHECK_STR(dconn_result_as_text(r, 0, 11, &buf), "-9223372036854775808");
    CHECK_STR(dconn_result_as_text(r, 0, 13, &buf), "");                        /* an empty blob is not NULL */
    /* the numbers are written into buf */
    s = dconn_result_as_text(r, 0, 0, &buf);
    CHECK(s == buf.s);

    /* NULL buf, out of range, NULL r */
    CHECK(dconn_result_as_text(r, 0, 0, NULL) == NULL);
    CHECK(dconn_result_as_text(r, 0, 7, NULL) == NULL);
    CHECK(dconn_result_as_text(r, 0, 9, NULL) == NULL);
    CHECK(dconn_result_as_text(r, 1, 0, &buf) == NULL);
    CHECK(dconn_result_as_text(r, 0, 14, &buf) == NULL);
    CHECK(dconn_result_as_text(r, (size_t)-1, 0, &buf) == NULL);
    CHECK(dconn_result_as_text(NULL, 0, 0, &buf) == NULL);

    dconn_result_release(r);
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

/* NaN and the infinities, as the header words them: "nan", "inf", "-inf". */
static void api_as_text_nan_and_infinity(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_text_buf buf;
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    r = ta_q(c, "types", NULL, 0, "0");
    if (!r) { ta_close_driver(ctx, c); REQUIRE(0); }
    CHECK_STR(dconn_result_as_text(r, 0, 4, &buf), "NaN");
    CHECK_STR(dconn_result_as_text(r, 0, 5, &buf), "Infinity");
    CHECK_STR(dconn_result_as_text(r, 0, 6, &buf), "-Infinity");
    dconn_result_release(r);
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

/* "the fewest digits that read back the same": 1/3 needs 16 of them. */
static void api_as_text_real_shortest(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_text_buf buf;
    const char *s;
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    r = ta_q(c, "types", NULL, 0, "0");
    if (!r) { ta_close_driver(ctx, c); REQUIRE(0); }
    s = dconn_result_as_text(r, 0, 12, &buf);
    CHECK(s != NULL && strtod(s, NULL) == ta_third);   /* reads back the same */
    CHECK_STR(s, "0.3333333333333333");
    dconn_result_release(r);
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

/* "always a '.' whatever the locale" */
static void api_as_text_real_locale(void) {
    static const char *const locales[] = { "de_DE.UTF-8", "de_DE.utf8", "de_DE" };
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_text_buf buf;
    const char *got = NULL;
    size_t k;
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    r = ta_q(c, "types", NULL, 0, "0");
    if (!r) { ta_close_driver(ctx, c); REQUIRE(0); }
    for (k = 0; k < sizeof locales / sizeof locales[0] && !got; k++) got = setlocale(LC_NUMERIC, locales[k]);
    if (got && strcmp(localeconv()->decimal_point, ",") != 0) {
        CHECK(setlocale(LC_NUMERIC, "C") != NULL);
        dconn_result_release(r);
        ta_close_driver(ctx, c);
        SKIP("the C library's de_DE locale keeps '.' as its decimal point (musl's locales do not change numbers): nothing to test");
    }
    if (got) {
        CHECK_STR(localeconv()->decimal_point, ",");
        CHECK_STR(dconn_result_as_text(r, 0, 2, &buf), "3.0");
        CHECK_STR(dconn_result_as_text(r, 0, 3, &buf), "0.1");
        CHECK_STR(dconn_result_as_text(r, 0, 12, &buf), "0.3333333333333333");   /* printf's path */
        CHECK(setlocale(LC_NUMERIC, "C") != NULL);
    }
    /* a decimal point of two bytes (ps_AF's U+066B) becomes one '.' */
    if (setlocale(LC_NUMERIC, "ps_AF.UTF-8") || setlocale(LC_NUMERIC, "ps_AF.utf8")) {
        CHECK(strlen(localeconv()->decimal_point) > 1);
        CHECK_STR(dconn_result_as_text(r, 0, 12, &buf), "0.3333333333333333");
        CHECK_STR(dconn_result_as_text(r, 0, 3, &buf), "0.1");
        CHECK(setlocale(LC_NUMERIC, "C") != NULL);
    }
    dconn_result_release(r);
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
    if (!got) SKIP("no de_DE locale installed, so dconn_result_as_text is not checked under a comma locale");
}

/* 1 when the n bytes at p all still hold the fill byte 0xA5. */
static int ta_untouched(const void *p, size_t n) {
    const unsigned char *b = (const unsigned char *)p;
    size_t k;
    for (k = 0; k < n; k++)
        if (b[k] != 0xA5) return 0;
    return 1;
}

/* Columns of "rows": id name data amount big score note; two rows. */
static void api_result_row(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_value v[9];
    size_t len = 0, j;
    const void *blob;
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    r = ta_q(c, "rows", NULL, 0, "0");
    CHECK_EQ_INT(ta.build_fail, DCONN_OK);
    if (!r) { ta_close_driver(ctx, c); REQUIRE(0); }
    REQUIRE(dconn_result_cols(r) == 7);

    memset(v, 0xA5, sizeof v);
    CHECK_EQ_INT(dconn_result_row(r, 0, v, 9), 7);
    for (j = 0; j < 7; j++) {
        CHECK_STR(v[j].name, dconn_result_column_name(r, j));
        CHECK(v[j].name == dconn_result_column_name(r, j));
        CHECK_EQ_INT(v[j].type, dconn_result_type(r, 0, j));
    }
    CHECK_STR(v[0].name, "id");
    CHECK_STR(v[6].name, "note");
    CHECK_EQ_INT(v[0].type, DCONN_INT);
    CHECK_EQ_INT(v[0].i, 1);
    CHECK_EQ_INT(v[1].type, DCONN_TEXT);
    CHECK_EQ_INT(v[1].n, 3);
    CHECK(v[1].p == (const void *)dconn_result_text(r, 0, 1));    /* points into the result */
    CHECK(v[1].p && memcmp(v[1].p, "ann", 4) == 0);
    CHECK_EQ_INT(v[2].type, DCONN_BLOB);
    blob = dconn_result_blob(r, 0, 2, &len);
    CHECK(v[2].p == blob);
    CHECK_EQ_INT(v[2].n, 3);
    CHECK_EQ_INT(len, 3);
    CHECK(v[2].p && memcmp(v[2].p, "\x01\x00\x02", 3) == 0);
    CHECK_EQ_INT(v[3].type, DCONN_DECIMAL);
    CHECK(v[3].p == (const void *)dconn_result_text(r, 0, 3));
    CHECK_EQ_INT(v[3].n, 5);
    CHECK(v[3].p && memcmp(v[3].p, "12.30", 5) == 0);
    CHECK_EQ_INT(v[4].type, DCONN_UINT);
    TA_CHECK_U64(v[4].u, UINT64_MAX);
    CHECK_EQ_INT(v[5].type, DCONN_REAL);
    CHECK_EQ_DBL(v[5].d, 2.5);
    CHECK_EQ_INT(v[6].type, DCONN_NULL);
    CHECK(v[6].p == NULL);
    CHECK_EQ_INT(v[6].n, 0);
    /* past the columns: untouched */
    CHECK(ta_untouched(&v[7], 2 * sizeof v[0]));

    /* the second row */
    CHECK_EQ_INT(dconn_result_row(r, 1, v, 7), 7);
    CHECK_EQ_INT(v[0].i, 2);
    CHECK(v[1].p && memcmp(v[1].p, "bob", 4) == 0);
    CHECK_EQ_INT(v[2].type, DCONN_BLOB);
    CHECK_EQ_INT(v[2].n, 0);
    CHECK(v[3].p && memcmp(v[3].p, "-0.000001", 10) == 0);
    CHECK_EQ_INT(v[3].n, 9);
    TA_CHECK_U64(v[4].u, 7);
    CHECK_EQ_DBL(v[5].d, -0.25);

    /* cap below the columns: fills cap values, returns the column count */
    memset(v, 0xA5, sizeof v);
    CHECK_EQ_INT(dconn_result_row(r, 0, v, 3), 7);
    CHECK_EQ_INT(v[0].i, 1);
    CHECK_STR(v[2].name, "data");
    CHECK(ta_untouched(&v[3], 6 * sizeof v[0]));
    memset(v, 0xA5, sizeof v);
    CHECK_EQ_INT(dconn_result_row(r, 0, v, 0), 7);
    CHECK(ta_untouched(v, sizeof v));

    /* NULL out only counts */
    CHECK_EQ_INT(dconn_result_row(r, 0, NULL, 0), 7);
    CHECK_EQ_INT(dconn_result_row(r, 1, NULL, 5), 7);

    /* a row out of range, a NULL result */
    memset(v, 0xA5, sizeof v);
    CHECK_EQ_INT(dconn_result_row(r, 2, v, 9), 0);
    CHECK_EQ_INT(dconn_result_row(r, (size_t)-1, v, 9), 0);
    CHECK_EQ_INT(dconn_result_row(r, 2, NULL, 0), 0);
    CHECK(ta_untouched(v, sizeof v));
    CHECK_EQ_INT(dconn_result_row(NULL, 0, v, 9), 0);
    CHECK_EQ_INT(dconn_result_row(NULL, 0, NULL, 0), 0);

    dconn_result_release(r);
    ta_close_driver(ctx, c);
    TA_CHECK_NO_LEAKS();
}

/* dconn_result_row over an SQLite result: the values a query returned. */
/* A column view gives every cell as the getters do, for every type. */
static void api_result_column_view(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_result *r;
    dconn_column col;
    size_t j, i;
    ta_mark();
    if (!ta_open_driver(&ctx, &c)) { ta_close_driver(ctx, c); REQUIRE(0); }
    r = ta_q(c, "rows", NULL, 0, "0");
    if (!r) { ta_close_driver(ctx, c); REQUIRE(0); }
    for (j = 0; j < dconn_result_cols(r); j++) {
        CHECK_EQ_INT(dconn_result_column_get(r, j, &col), DCONN_OK);
        CHECK_EQ_INT(col.rows, dconn_result_rows(r));
        for (i = 0; i < col.rows; i++) {
            size_t at = i * col.stride, len = 0;
            dconn_type t = (dconn_type)col.types[at];
            CHECK_EQ_INT(t, dconn_result_type(r, i, j));
            if (t == DCONN_INT) { int64_t v = 0; CHECK_EQ_INT(dconn_result_get_int(r, i, j, &v), DCONN_OK); CHECK(col.ints[at] == v); }
            else if (t == DCONN_UINT) { uint64_t v = 0; CHECK_EQ_INT(dconn_result_get_uint(r, i, j, &v), DCONN_OK); CHECK(col.uints[at] == v); }
            else if (t == DCONN_REAL) { double v = 0; CHECK_EQ_INT(dconn_result_get_real(r, i, j, &v), DCONN_OK); CHECK(col.reals[at] == v || (v != v && col.reals[at] != col.reals[at])); }
            else if (t == DCONN_TEXT || t == DCONN_BLOB || t == DCONN_DECIMAL) {
                const void *p = dconn_result_blob(r, i, j, &len);
                CHECK_EQ_INT(col.spans[2 * at + 1], len);
                CHECK(len == 0 || memcmp(col.text + col.spans[2 * at], p, len) == 0);
                CHECK(col.text[col.spans[2 * at] + len] == '\0');
            }
        }
    }
    CHECK_EQ_INT(dconn_result_column_get(r, dconn_result_cols(r), &col), DCONN_ERANGE);
    CHECK_EQ_INT(dconn_result_column_get(NULL, 0, &col), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_result_column_get(r, 0, NULL), DCONN_EMISUSE);
    dconn_result_release(r);
    ta_close_driver(ctx, c);
}

static void api_result_row_sqlite(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    dconn_value v[4];
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    r = tsq_query(e.c, "SELECT 7 AS n, 'seven' AS word, 7.5 AS half, NULL AS nada", NULL, 0, "0", &err);
    if (!r) fprintf(stdout, "  query: %s\n", err.message);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_row(r, 0, v, 4), 4);
    CHECK_STR(v[0].name, "n");
    CHECK_EQ_INT(v[0].type, DCONN_INT);
    CHECK_EQ_INT(v[0].i, 7);
    CHECK_STR(v[1].name, "word");
    CHECK_EQ_INT(v[1].type, DCONN_TEXT);
    CHECK(v[1].p == (const void *)dconn_result_text(r, 0, 1));
    CHECK_EQ_INT(v[1].n, 5);
    CHECK_STR(v[2].name, "half");
    CHECK_EQ_DBL(v[2].d, 7.5);
    CHECK_STR(v[3].name, "nada");
    CHECK_EQ_INT(v[3].type, DCONN_NULL);
    dconn_result_release(r);
    tsq_close_env(&e);
}

/* --- 6. dconn_url_parse ---------------------------------------------------- */

static dconn_url *ta_url(const char *text) {
    dconn_error err;
    dconn_url *u;
    ta_dirty(&err);
    u = dconn_url_parse(text, &err);
    if (!u) fprintf(stdout, "  dconn_url_parse(%s): %s\n", text, err.message);
    else CHECK_EQ_INT(err.code, DCONN_OK);
    return u;
}

static void api_url_full(void) {
    dconn_url *u;
    ta_mark();
    u = ta_url("postgresql+psycopg2://me:p%40ss@db.example:5433/app?sslmode=require&application_name=a+b");
    REQUIRE(u);
    CHECK_STR(u->scheme, "postgresql+psycopg2");
    CHECK_STR(u->dialect, "postgresql");
    CHECK_STR(u->driver, "psycopg2");
    CHECK_STR(u->user, "me");
    CHECK_STR(u->password, "p@ss");
    CHECK_STR(u->host, "db.example");
    CHECK_EQ_INT(u->port, 5433);
    CHECK_STR(u->database, "app");
    CHECK_EQ_INT(u->n_query, 2);
    if (u->n_query == 2) {
        CHECK_STR(u->query_keys[0], "sslmode");
        CHECK_STR(u->query_values[0], "require");
        CHECK_STR(u->query_keys[1], "application_name");
        CHECK_STR(u->query_values[1], "a b");
    }
    CHECK_STR(dconn_url_query(u, "sslmode"), "require");
    CHECK_STR(dconn_url_query(u, "application_name"), "a b");
    CHECK(dconn_url_query(u, "host") == NULL);
    CHECK(dconn_url_query(u, "SSLMODE") == NULL);
    CHECK(dconn_url_query(u, NULL) == NULL);
    CHECK(dconn_url_query(NULL, "sslmode") == NULL);
    dconn_url_free(u);

    /* the scheme in lower case; a '+' outside the query is a '+'; no driver */
    u = ta_url("PostgreSQL://Me:a+b%2Bc@Host.Example/My+DB?k=%41%2b");
    REQUIRE(u);
    CHECK_STR(u->scheme, "postgresql");
    CHECK_STR(u->dialect, "postgresql");
    CHECK(u->driver == NULL);
    CHECK_STR(u->user, "Me");
    CHECK_STR(u->password, "a+b+c");
    CHECK_STR(u->host, "Host.Example");
    CHECK_EQ_INT(u->port, 0);
    CHECK_STR(u->database, "My+DB");
    CHECK_STR(dconn_url_query(u, "k"), "A+");
    dconn_url_free(u);
    TA_CHECK_NO_LEAKS();
}

static void api_url_hosts(void) {
    dconn_url *u;
    ta_mark();
    u = ta_url("postgresql://u@[::1]:5432/db");
    REQUIRE(u);
    CHECK_STR(u->host, "::1");
    CHECK_EQ_INT(u->port, 5432);
    CHECK_STR(u->user, "u");
    CHECK(u->password == NULL);
    CHECK_STR(u->database, "db");
    CHECK_EQ_INT(u->n_query, 0);
    dconn_url_free(u);

    u = ta_url("postgresql://u@%2Frun%2Fpostgresql/db");
    REQUIRE(u);
    CHECK_STR(u->host, "/run/postgresql");
    CHECK_STR(u->database, "db");
    CHECK_EQ_INT(u->port, 0);
    dconn_url_free(u);

    u = ta_url("postgresql:///db?host=/run/postgresql");
    REQUIRE(u);
    CHECK_STR(u->host, "/run/postgresql");
    CHECK_STR(u->database, "db");
    CHECK(u->user == NULL);
    CHECK_STR(dconn_url_query(u, "host"), "/run/postgresql");
    dconn_url_free(u);
    TA_CHECK_NO_LEAKS();
}

static void api_url_sqlite(void) {
    dconn_url *u;
    ta_mark();
    u = ta_url("sqlite:///rel.db");
    REQUIRE(u);
    CHECK_STR(u->scheme, "sqlite");
    CHECK_STR(u->dialect, "sqlite");
    CHECK(u->driver == NULL);
    CHECK_STR(u->database, "rel.db");
    CHECK(u->host == NULL);
    CHECK(u->user == NULL);
    CHECK(u->password == NULL);
    CHECK_EQ_INT(u->port, 0);
    dconn_url_free(u);

    u = ta_url("sqlite:////abs/x.db");
    REQUIRE(u);
    CHECK_STR(u->database, "/abs/x.db");
    CHECK(u->host == NULL);
    dconn_url_free(u);

    u = ta_url("sqlite://");
    REQUIRE(u);
    CHECK_STR(u->scheme, "sqlite");
    CHECK(u->database == NULL);
    CHECK(u->host == NULL);
    CHECK_EQ_INT(u->n_query, 0);
    CHECK(dconn_url_query(u, "x") == NULL);
    dconn_url_free(u);
    TA_CHECK_NO_LEAKS();
}

static void api_url_repeated_key(void) {
    dconn_url *u;
    ta_mark();
    u = ta_url("postgresql://h/db?opt=1&other=x&opt=2");
    REQUIRE(u);
    CHECK_EQ_INT(u->n_query, 3);
    if (u->n_query == 3) {
        CHECK_STR(u->query_keys[0], "opt");
        CHECK_STR(u->query_values[0], "1");
        CHECK_STR(u->query_keys[1], "other");
        CHECK_STR(u->query_keys[2], "opt");
        CHECK_STR(u->query_values[2], "2");
    }
    CHECK_STR(dconn_url_query(u, "opt"), "2");
    CHECK_STR(dconn_url_query(u, "other"), "x");
    dconn_url_free(u);
    TA_CHECK_NO_LEAKS();
}

static void api_url_errors(void) {
    static const char *const bad_port[] = {
        "postgresql://me:hunter2pw@h:99999/db", "postgresql://me:hunter2pw@h:abc/db", "postgresql://me:hunter2pw@h:65536/db",
    };
    static const char *const not_url[] = { "just text", "host=db password=x", "host=db password=hunter2pw" };
    dconn_error err;
    size_t k;
    ta_mark();
    for (k = 0; k < sizeof bad_port / sizeof bad_port[0]; k++) {
        ta_dirty(&err);
        CHECK(dconn_url_parse(bad_port[k], &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_ECONFIG);
        CHECK_CONTAINS(err.message, "port");
        CHECK_NOT_CONTAINS(err.message, "hunter2pw");
    }
    /* a NUL byte in a user name or password would cut it short without a word */
    ta_dirty(&err);
    CHECK(dconn_url_parse("postgresql://u:hunter2pw%00tail@h/db", &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "holds %00, a NUL byte");
    CHECK_NOT_CONTAINS(err.message, "hunter2pw");
    for (k = 0; k < sizeof not_url / sizeof not_url[0]; k++) {
        ta_dirty(&err);
        CHECK(dconn_url_parse(not_url[k], &err) == NULL);
        CHECK_EQ_INT(err.code, DCONN_ECONFIG);
        CHECK(err.message[0] != '\0');
        CHECK_NOT_CONTAINS(err.message, "password=x");
        CHECK_NOT_CONTAINS(err.message, "hunter2pw");
    }
    /* the reason named is the URL's own: a bad scheme, or a blank before the path */
    CHECK(dconn_url_parse("postgre_sql://u:pw@h/db?application_name=my app", &err) == NULL);
    CHECK_CONTAINS(err.message, "its scheme may hold only letters");
    CHECK(dconn_url_parse("postgresql://u:p w@h/db", &err) == NULL);
    CHECK_CONTAINS(err.message, "it holds a blank before its path");
    CHECK(dconn_url_parse("just text", NULL) == NULL);
    ta_dirty(&err);
    CHECK(dconn_url_parse(NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    dconn_url_free(NULL);
    TA_CHECK_NO_LEAKS();
}

/* "[::1" opens an IPv6 address it never closes: not such a URL. */
static void api_url_unclosed_ipv6(void) {
    dconn_error err;
    dconn_url *u;
    ta_mark();
    ta_dirty(&err);
    u = dconn_url_parse("postgresql://u@[::1/db", &err);
    if (u) fprintf(stdout, "  parsed, host \"%s\", database \"%s\"\n", u->host ? u->host : "(null)", u->database ? u->database : "(null)");
    CHECK(u == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    dconn_url_free(u);
    TA_CHECK_NO_LEAKS();
}

/* --- 7. dconn_exec_options.keep_cache ------------------------------------- */

static void api_exec_keep_cache(void) {
    tsq_env e;
    dconn_error err;
    dconn_exec_options xo;
    dconn_cache_stats s0, s;
    const char *count = "SELECT count(*) FROM t";
    if (!tsq_env_mem(&e)) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(dconn_exec_script(e.c, "CREATE TABLE t(a)", &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);        /* cached now */

    /* keep_cache = 1: the cached count is still served (a hit, and stale) */
    memset(&xo, 0, sizeof xo);
    xo.keep_cache = 1;
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (1)", NULL, 0, &xo, NULL, &err), DCONN_OK);
    dconn_cache_stats_get(e.ctx, &s0);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 0);
    dconn_cache_stats_get(e.ctx, &s);
    TA_CHECK_U64(s.hits - s0.hits, 1);
    TA_CHECK_U64(s.misses - s0.misses, 0);
    CHECK_EQ_INT(tsq_int(e.c, count), 1);                  /* the database has the row */

    /* keep_cache = 0 (options given): dropped, the next read is a miss */
    xo.keep_cache = 0;
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (2)", NULL, 0, &xo, NULL, &err), DCONN_OK);
    dconn_cache_stats_get(e.ctx, &s0);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 2);
    dconn_cache_stats_get(e.ctx, &s);
    TA_CHECK_U64(s.misses - s0.misses, 1);
    TA_CHECK_U64(s.hits - s0.hits, 0);

    /* no options at all: dropped as well */
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (3)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 3);

    /* kept again, then a plain write drops it */
    xo.keep_cache = 1;
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (4)", NULL, 0, &xo, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 3);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (5)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tsq_int_ttl(e.c, count, NULL), 5);
    tsq_close_env(&e);
}

/* --- 8. version-1 drivers are refused -------------------------------------- */

static void api_register_driver_version_1(void) {
    dconn_ctx *ctx;
    dconn_driver d;
    dconn_error err;
    char names[256];
    ta_mark();
    ctx = tu_open(TA_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    ta_driver(&d);
    d.name = "oldie";
    d.version = 1;
    ta_dirty(&err);
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "oldie");
    CHECK_CONTAINS(err.message, "version");
    dconn_driver_names(ctx, names, sizeof names);
    CHECK_NOT_CONTAINS(names, "oldie");

    d.version = 0;
    ta_dirty(&err);
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "version");

    /* the same driver as version 2 is taken */
    d.version = DCONN_DRIVER_VERSION;
    ta_dirty(&err);
    CHECK_EQ_INT(dconn_register_driver(ctx, &d, &err), DCONN_OK);
    CHECK_EQ_INT(err.code, DCONN_OK);
    dconn_driver_names(ctx, names, sizeof names);
    CHECK_CONTAINS(names, "oldie");
    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}

/* --- 9. statements that begin a transaction outside a session ------------- */

/* count(*) of `sql` through a connection of SQLite's own; -1 on failure. */
static int64_t ta_raw_count(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stdout, "  sqlite3_open_v2(%s): %s\n", path, db ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return -1;
    }
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    else fprintf(stdout, "  raw %s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* Runs a write through a connection of SQLite's own, with no busy wait:
   SQLITE_BUSY when a dconn handle still holds a write lock. */
static int ta_raw_exec(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    int rc;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) { sqlite3_close(db); return -1; }
    sqlite3_busy_timeout(db, 0);
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) fprintf(stdout, "  raw %s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc;
}

static void ta_check_refused(dconn_status st, const dconn_error *err, const char *what) {
    if (st != DCONN_EMISUSE) fprintf(stdout, "  %s: status %d, \"%s\"\n", what, (int)st, err->message);
    CHECK_EQ_INT(st, DCONN_EMISUSE);
    CHECK_EQ_INT(err->code, DCONN_EMISUSE);
    CHECK_CONTAINS(err->message, "dconn_session_begin");
}

static void api_begin_outside_session_refused(void) {
    tsq_env e;
    dconn_error err;
    dconn_result *r;
    char path[320];
    const char *count = "SELECT count(*) FROM t";
    if (!tsq_open_file_env(&e, "beginfile", "api-begin")) { tsq_close_env(&e); REQUIRE(0); }
    snprintf(path, sizeof path, "%s/test.db", e.dir);
    CHECK_EQ_INT(dconn_exec(e.c, "CREATE TABLE t(a)", NULL, 0, NULL, NULL, &err), DCONN_OK);

    ta_dirty(&err);
    ta_check_refused(dconn_exec(e.c, "BEGIN", NULL, 0, NULL, NULL, &err), &err, "BEGIN");
    /* the next statement commits on its own: another connection sees it at once */
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (1)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(ta_raw_count(path, count), 1);

    ta_dirty(&err);
    ta_check_refused(dconn_exec(e.c, "BEGIN IMMEDIATE", NULL, 0, NULL, NULL, &err), &err, "BEGIN IMMEDIATE");
    CHECK_EQ_INT(ta_raw_exec(path, "INSERT INTO t VALUES (100)"), SQLITE_OK);   /* no write lock was left */
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (2)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(ta_raw_count(path, count), 3);

    ta_dirty(&err);
    ta_check_refused(dconn_exec(e.c, "SAVEPOINT x", NULL, 0, NULL, NULL, &err), &err, "SAVEPOINT x");
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (3)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(ta_raw_count(path, count), 4);

    ta_dirty(&err);
    r = dconn_query(e.c, "BEGIN", NULL, 0, NULL, &err);
    CHECK(r == NULL);
    ta_check_refused(err.code, &err, "dconn_query BEGIN");
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_exec(e.c, "INSERT INTO t VALUES (4)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(ta_raw_count(path, count), 5);
    CHECK_EQ_INT(ta_raw_exec(path, "INSERT INTO t VALUES (101)"), SQLITE_OK);
    CHECK_EQ_INT(tsq_int(e.c, count), 6);

    /* a script that leaves one open: refused and rolled back; one that commits its own is run */
    ta_dirty(&err);
    ta_check_refused(dconn_exec_script(e.c, "BEGIN; INSERT INTO t VALUES (50);", &err), &err, "script BEGIN");
    CHECK_EQ_INT(ta_raw_count(path, "SELECT count(*) FROM t WHERE a = 50"), 0);
    CHECK_EQ_INT(ta_raw_exec(path, "INSERT INTO t VALUES (102)"), SQLITE_OK);
    CHECK_EQ_INT(dconn_exec_script(e.c, "BEGIN; INSERT INTO t VALUES (51); COMMIT;", &err), DCONN_OK);
    CHECK_EQ_INT(ta_raw_count(path, "SELECT count(*) FROM t WHERE a = 51"), 1);
    CHECK_EQ_INT(ta_raw_count(path, count), 8);
    tsq_close_env(&e);
}

/* A ROLLBACK run as a statement is read as one behind a UTF-8 byte
   order mark (SQL saved by a Windows editor), as SQLite reads it: the
   commit says what happened, never that a statement committed. (Some
   builds of SQLite read the mark as a syntax error instead.) */
static void api_session_rollback_statement_after_bom(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    if (!tsq_open_file_env(&e, "sessfile", "api-bom")) { tsq_close_env(&e); REQUIRE(0); }
    CHECK_EQ_INT(dconn_exec(e.c, "CREATE TABLE t(a)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    if (dconn_session_exec(s, "\xEF\xBB\xBF ROLLBACK", NULL, 0, NULL, &err) == DCONN_OK) {
        CHECK(dconn_session_commit(s, &err) != DCONN_OK);
        CHECK_CONTAINS(err.message, "a ROLLBACK ran as a statement and undid what ran before it");
        CHECK_NOT_CONTAINS(err.message, "committed it");
        dconn_session_end(s);
        CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 0);
    } else {
        /* an SQLite built to read the mark as a syntax error: nothing ran, the session goes on */
        CHECK_CONTAINS(err.message, "syntax error");
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        dconn_session_end(s);
        CHECK_EQ_INT(tsq_int(e.c, "SELECT count(*) FROM t"), 1);
    }
    tsq_close_env(&e);
}

static void api_begin_inside_session_allowed(void) {
    tsq_env e;
    dconn_error err;
    dconn_session *s;
    dconn_result *r;
    char path[320];
    const char *count = "SELECT count(*) FROM t";
    if (!tsq_open_file_env(&e, "sessfile", "api-session")) { tsq_close_env(&e); REQUIRE(0); }
    snprintf(path, sizeof path, "%s/test.db", e.dir);
    CHECK_EQ_INT(dconn_exec(e.c, "CREATE TABLE t(a)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    s = dconn_session_begin(e.c, &err);
    if (!s) fprintf(stdout, "  session: %s\n", err.message);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "SAVEPOINT x", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "RELEASE x", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "SAVEPOINT y", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO t VALUES (2)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "ROLLBACK TO y", NULL, 0, NULL, &err), DCONN_OK);
    r = dconn_session_query(s, count, NULL, 0, &err);
    CHECK(r != NULL);
    if (r) {
        int64_t n = -1;
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
        CHECK_EQ_INT(n, 1);
    }
    dconn_result_release(r);
    CHECK_EQ_INT(ta_raw_count(path, count), 0);    /* not committed yet */
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(ta_raw_count(path, count), 1);
    CHECK_EQ_INT(tsq_int(e.c, count), 1);
    tsq_close_env(&e);
}

/* --- 10. dconn_error_at ----------------------------------------------------- */

static void api_error_at(void) {
    static const char text[] = "# settings\n[db]\nport = \"x\"\n";
    dconn_toml_doc *doc;
    const dconn_toml_value *port;
    dconn_error err;
    ta_mark();
    doc = dconn_toml_parse(text, strlen(text), "conf.toml", &err);
    REQUIRE(doc);
    port = dconn_toml_get(dconn_toml_root(doc), "db.port");
    REQUIRE(port);

    ta_dirty(&err);
    CHECK_EQ_INT(dconn_error_at(&err, port, "port must be a number, not \"%s\" (%d)", "x", 5), DCONN_ECONFIG);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_STR(err.file, "conf.toml");
    CHECK_EQ_INT(err.line, 3);
    CHECK_STR(err.message, "conf.toml:3: port must be a number, not \"x\" (5)");

    /* a table's place: its header */
    ta_dirty(&err);
    CHECK_EQ_INT(dconn_error_at(&err, dconn_toml_get(dconn_toml_root(doc), "db"), "no host"), DCONN_ECONFIG);
    CHECK_STR(err.file, "conf.toml");
    CHECK_EQ_INT(err.line, 2);
    CHECK_STR(err.message, "conf.toml:2: no host");

    /* NULL where: no place */
    ta_dirty(&err);
    CHECK_EQ_INT(dconn_error_at(&err, NULL, "plain %s", "words"), DCONN_ECONFIG);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_STR(err.message, "plain words");
    CHECK_STR(err.file, "");
    CHECK_EQ_INT(err.line, 0);

    /* the root (line 0) has no place either */
    ta_dirty(&err);
    CHECK_EQ_INT(dconn_error_at(&err, dconn_toml_root(doc), "about the root"), DCONN_ECONFIG);
    CHECK_STR(err.message, "about the root");
    CHECK_STR(err.file, "");
    CHECK_EQ_INT(err.line, 0);

    /* NULL err: only the code */
    CHECK_EQ_INT(dconn_error_at(NULL, port, "nobody reads this"), DCONN_ECONFIG);
    dconn_toml_free(doc);
    TA_CHECK_NO_LEAKS();
}

/* A value of the held secrets names its file and line too. */
static void api_error_at_secrets_value(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_secrets *s;
    char want[256];
    ta_mark();
    tu_rmrf(TA_HOLD);
    tu_write(TA_GLOBAL, "[connections.db]\n\nport = \"x\"\n");
    ctx = tu_open(TA_GLOBAL);
    REQUIRE(ctx);
    s = dconn_secrets_hold(ctx, &err);
    REQUIRE(s);
    ta_dirty(&err);
    CHECK_EQ_INT(dconn_error_at(&err, dconn_secrets_get(s, "connections.db.port"), "bad port"), DCONN_ECONFIG);
    CHECK_STR(err.file, TA_GLOBAL);
    CHECK_EQ_INT(err.line, 3);
    snprintf(want, sizeof want, "%s:3: bad port", TA_GLOBAL);
    CHECK_STR(ta_str(err.message), want);
    dconn_secrets_release(s);
    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}

/* A script that began a transaction and then failed leaves none open: the
   next write through the pool commits, and another connection can write. */
static void api_failed_script_leaves_no_transaction(void) {
    dconn_options o = tu_options("");
    dconn_connect_options co;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_value v = dconn_int(2);
    const char *path = TA_DIR "/failed_script.db";
    tu_rmrf(TA_DIR);
    tu_mkdirs_for(path);
    ctx = dconn_open(&o, &err);
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.url = "sqlite:///" TA_DIR "/failed_script.db";
    c = dconn_connect(ctx, "f", "sql", &co, &err);
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec(c, "CREATE TABLE t(x)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec_script(c, "BEGIN; INSERT INTO t VALUES (1); INSERT INTO nosuch VALUES (1);", &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "no such table: nosuch");
    CHECK_CONTAINS(err.message, "it left a transaction open, which was rolled back");
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO t VALUES (?)", &v, 1, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(ta_raw_count(path, "SELECT count(*) FROM t WHERE x = 2"), 1);   /* committed: another connection sees it */
    CHECK_EQ_INT(ta_raw_count(path, "SELECT count(*) FROM t WHERE x = 1"), 0);   /* the failed script's first insert was rolled back */
    CHECK_EQ_INT(ta_raw_exec(path, "INSERT INTO t VALUES (3)"), SQLITE_OK);       /* and no lock is left behind */
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(TA_DIR);
}


/* --- 9. dconn_builder_reserve is a hint ----------------------------------------- */

/* A query whose SQL says what to reserve: "ok" (room for its rows), "huge" (more than can be had) */
static dconn_status ta_reserve_query(void *ud, void *h, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    dconn_status st, hint;
    int i;
    (void)ud; (void)h; (void)err;
    st = dconn_builder_column(out, "n", "INTEGER");
    if (!st) st = dconn_builder_column(out, "t", "TEXT");
    hint = dconn_builder_reserve(out, strcmp(stmt->sql, "huge") == 0 ? (size_t)-1 / 2 : 200, strcmp(stmt->sql, "huge") == 0 ? (size_t)-1 / 2 : 2000);
    if (strcmp(stmt->sql, "huge") == 0 ? hint != DCONN_ENOMEM : hint != DCONN_OK) return dconn_error_set(err, DCONN_EDRIVER, "reserve said %d", (int)hint);
    for (i = 0; i < 100 && !st; i++) {
        char text[16];
        snprintf(text, sizeof text, "row %d", i);
        st = dconn_builder_int(out, i);
        if (!st) st = dconn_builder_text(out, text, strlen(text));
    }
    return st;
}

static void api_builder_reserve_is_a_hint(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_driver d;
    dconn_error err;
    dconn_connect_options co;
    const char *const sqls[] = {"ok", "huge"};
    size_t k;
    ta_mark();
    ctx = tu_open(TA_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    ta_driver(&d);
    d.name = d.schemes = "reserving";
    d.query = ta_reserve_query;
    REQUIRE(dconn_register_driver(ctx, &d, &err) == DCONN_OK);
    memset(&co, 0, sizeof co);
    co.url = "reserving://server/db";
    c = dconn_connect(ctx, "res", "reserving", &co, &err);
    REQUIRE(c);
    for (k = 0; k < 2; k++) {
        dconn_result *r = dconn_query(c, sqls[k], NULL, 0, NULL, &err);
        if (!r) fprintf(stdout, "  %s: %s\n", sqls[k], err.message);
        REQUIRE(r);
        CHECK_EQ_INT((int64_t)dconn_result_rows(r), 100);
        CHECK_STR(dconn_result_text(r, 99, 1), "row 99");
        dconn_result_release(r);
    }
    CHECK_EQ_INT(dconn_builder_reserve(NULL, 1, 1), DCONN_EMISUSE);
    dconn_release(c);
    dconn_close(ctx);
    TA_CHECK_NO_LEAKS();
}
static const dtest_case api_tests[] = {
    {"api_builder_reserve_is_a_hint", api_builder_reserve_is_a_hint},
    {"api_failed_script_leaves_no_transaction", api_failed_script_leaves_no_transaction},
    {"api_secret_string_copies", api_secret_string_copies},
    {"api_secret_string_cut", api_secret_string_cut},
    {"api_secret_string_defaults", api_secret_string_defaults},
    {"api_secret_string_no_file", api_secret_string_no_file},
    {"api_secret_scalars", api_secret_scalars},
    {"api_secrets_hold_tables_and_arrays", api_secrets_hold_tables_and_arrays},
    {"api_secrets_hold_twice", api_secrets_hold_twice},
    {"api_secrets_hold_no_file", api_secrets_hold_no_file},
    {"api_secrets_hold_errors", api_secrets_hold_errors},
    {"api_secrets_hold_survives_reload", api_secrets_hold_survives_reload},
    {"api_secrets_hold_after_bad_edit", api_secrets_hold_after_bad_edit},
    {"api_uint_decimal_result_types", api_uint_decimal_result_types},
    {"api_uint_decimal_getters", api_uint_decimal_getters},
    {"api_decimal_get_real_long", api_decimal_get_real_long},
    {"api_uint_decimal_formats", api_uint_decimal_formats},
    {"api_uint_decimal_builder_misuse", api_uint_decimal_builder_misuse},
    {"api_builder_columns_block", api_builder_columns_block},
    {"api_uint_decimal_constructors", api_uint_decimal_constructors},
    {"api_uint_decimal_params_reach_driver", api_uint_decimal_params_reach_driver},
    {"api_uint_decimal_cache_keys", api_uint_decimal_cache_keys},
    {"api_sqlite_uint_and_decimal", api_sqlite_uint_and_decimal},
    {"api_as_text_every_type", api_as_text_every_type},
    {"api_as_text_nan_and_infinity", api_as_text_nan_and_infinity},
    {"api_as_text_real_shortest", api_as_text_real_shortest},
    {"api_as_text_real_locale", api_as_text_real_locale},
    {"api_result_row", api_result_row},
    {"api_result_column_view", api_result_column_view},
    {"api_result_row_sqlite", api_result_row_sqlite},
    {"api_url_full", api_url_full},
    {"api_url_hosts", api_url_hosts},
    {"api_url_sqlite", api_url_sqlite},
    {"api_url_repeated_key", api_url_repeated_key},
    {"api_url_errors", api_url_errors},
    {"api_url_unclosed_ipv6", api_url_unclosed_ipv6},
    {"api_exec_keep_cache", api_exec_keep_cache},
    {"api_register_driver_version_1", api_register_driver_version_1},
    {"api_begin_outside_session_refused", api_begin_outside_session_refused},
    {"api_begin_inside_session_allowed", api_begin_inside_session_allowed},
    {"api_session_rollback_statement_after_bom", api_session_rollback_statement_after_bom},
    {"api_error_at", api_error_at},
    {"api_error_at_secrets_value", api_error_at_secrets_value},
};
