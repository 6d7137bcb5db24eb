/* test_durations.c - the TTL grammar (dconn_ttl_parse, and durations in
   secrets files): the strings Streamlit's ttl accepts (pandas.Timedelta:
   units in any case, hh:mm:ss, ISO 8601), the ones it refuses and why,
   and rounding: a positive duration never becomes 0, which means "do
   not cache". */

#define DU_DIR TU_DIR "/durations"
#define DU_SECRETS DU_DIR "/secrets.toml"
#define DU_S INT64_C(1000000000)
#define DU_M (60 * DU_S)
#define DU_H (3600 * DU_S)
#define DU_D (86400 * DU_S)

static void du_ok(const char *text, int64_t want, int line) {
    dconn_error err;
    int64_t got = -123;
    dconn_status st = dconn_ttl_parse(text, &got, &err);
    if (st != DCONN_OK || got != want)
        dtest_reportf(__FILE__, line, "dconn_ttl_parse(\"%s\") = %d, %lld; want %lld: %s", text, (int)st, (long long)got,
                      (long long)want, st ? err.message : "");
}

/* Refused with DCONN_ECONFIG, `why` in the message, the accepted forms
   after it, and *out untouched. */
static void du_bad(const char *text, const char *why, int line) {
    dconn_error err;
    int64_t got = -123;
    dconn_status st = dconn_ttl_parse(text, &got, &err);
    if (st != DCONN_ECONFIG || got != -123 || !strstr(err.message, why) || !strstr(err.message, DCONN__TTL_GRAMMAR))
        dtest_reportf(__FILE__, line, "dconn_ttl_parse(\"%s\") = %d, %lld: want DCONN_ECONFIG, \"%s\" and the grammar; got: %s", text,
                      (int)st, (long long)got, why, err.message);
}
#define DU_OK(text, want) du_ok((text), (want), __LINE__)
#define DU_BAD(text, why) du_bad((text), (why), __LINE__)

/* pandas looks units up in lowercase ("1H", "10MIN", "2 DAYS"); "M" alone
   is months there too. Its ns, us (µs), milli, micro, nano words, and
   pandas 2's one-letter T, L, U, N. */
static void durations_units_any_case(void) {
    DU_OK("1H", DU_H);
    DU_OK("10MIN", 10 * DU_M);
    DU_OK("10Min", 10 * DU_M);
    DU_OK("30S", 30 * DU_S);
    DU_OK("500MS", 500000000);
    DU_OK("2 DAYS", 2 * DU_D);
    DU_OK("1D", DU_D);
    DU_OK("1W", 7 * DU_D);
    DU_OK("1 Hour 30 Minutes", 90 * DU_M);
    DU_OK("1HR", DU_H);
    DU_OK("2 hrs", 2 * DU_H);
    DU_OK("100ns", 100);
    DU_OK("100 nanoseconds", 100);
    DU_OK("5 nanos", 5);
    DU_OK("7us", 7000);
    DU_OK("7 \xC2\xB5s", 7000);
    DU_OK("7 micros", 7000);
    DU_OK("7 microseconds", 7000);
    DU_OK("3 millis", 3000000);
    DU_OK("3 milli", 3000000);
    DU_OK("2T", 2 * DU_M);
    DU_OK("2L", 2000000);
    DU_OK("2U", 2000);
    DU_OK("2N", 2);
    DU_OK("1h,30m", 90 * DU_M);
    DU_OK("+10m", 10 * DU_M);
    DU_OK("1h+30m", 90 * DU_M);
    DU_BAD("1M", "months and years are not supported");
    DU_BAD("1Y", "months and years are not supported");
    DU_BAD("1y", "months and years are not supported");
    DU_BAD("1 MONTHS", "months and years are not supported");
    DU_BAD("2 Years", "months and years are not supported");
    DU_BAD("5 ps", "unknown unit \"ps\"");
    DU_BAD("5 fortnights", "unknown unit \"fortnights\"");
}

/* hh:mm:ss, alone or after days, as pandas reads it and as Python prints
   a timedelta ("1 day, 2:00:00"). */
static void durations_hh_mm_ss(void) {
    DU_OK("00:10:00", 10 * DU_M);
    DU_OK("01:00:00", DU_H);
    DU_OK("0:00:30", 30 * DU_S);
    DU_OK("100:00:00", 100 * DU_H);
    DU_OK("00:00:01.5", 1500000000);
    DU_OK("00:00:00.000000001", 1);
    DU_OK("1 days 02:00:00", DU_D + 2 * DU_H);
    DU_OK("1 day, 2:00:00", DU_D + 2 * DU_H);
    DU_OK("2 days 00:00:00", 2 * DU_D);
    DU_OK(" 00:10:00 ", 10 * DU_M);
    DU_OK("00:00:00", 0);
    DU_BAD("10:00", "write hh:mm:ss in full (\"00:10:00\" is ten minutes)");
    DU_BAD("1.5:00:00", "write hh:mm:ss in full");
    DU_BAD("00:1.5:00", "write hh:mm:ss in full");
    DU_BAD("00:10:", "write hh:mm:ss in full");
    DU_BAD("1:2:3:4", "hh:mm:ss has three parts");
    DU_BAD("00:10:00 5s", "hh:mm:ss comes last");
    DU_BAD("-00:10:00", "negative durations are not allowed");
}

/* ISO 8601 durations, which pandas reads when the text starts with P. */
static void durations_iso8601(void) {
    DU_OK("PT10M", 10 * DU_M);
    DU_OK("P1DT2H", DU_D + 2 * DU_H);
    DU_OK("P1D", DU_D);
    DU_OK("P2W", 14 * DU_D);
    DU_OK("P1W2D", 9 * DU_D);
    DU_OK("PT1H30M", 90 * DU_M);
    DU_OK("PT90S", 90 * DU_S);
    DU_OK("PT0.5S", 500000000);
    DU_OK("PT0,5S", 500000000);
    DU_OK("PT1.5H", 90 * DU_M);
    DU_OK("P1DT2H3M4.5S", DU_D + 2 * DU_H + 3 * DU_M + 4500000000);
    DU_OK("pt10m", 10 * DU_M);
    DU_OK("  PT10M  ", 10 * DU_M);
    DU_OK("P0Y0M1D", DU_D);          /* zero years and months have a length */
    DU_OK("PT0S", 0);
    /* years and months vary in length; pandas reads "P1M" as one minute */
    DU_BAD("P1M", "months and years are not supported (their length varies); use days or weeks");
    DU_BAD("P1Y", "months and years are not supported");
    DU_BAD("P1Y2M3DT4H", "months and years are not supported");
    DU_BAD("P0.5Y", "months and years are not supported");
    DU_BAD("-P1D", "negative durations are not allowed");
    DU_BAD("P-1D", "negative durations are not allowed");
    DU_BAD("PT", "expected a number in the ISO 8601 duration");
    DU_BAD("P1DT", "expected a number in the ISO 8601 duration");
    DU_BAD("P10", "expected one of the letters W, D, T, H, M, S");
    DU_BAD("P1X", "expected one of the letters W, D, T, H, M, S");
    DU_BAD("P1H", "hours, minutes and seconds come after the T");
    DU_BAD("PT1D", "years, weeks and days come before the T");
    DU_BAD("P1D2W", "go in the order PnWnDTnHnMnS, each once");
    DU_BAD("PT1H1H", "go in the order PnWnDTnHnMnS, each once");
    DU_BAD("PT1HT1M", "an ISO 8601 duration has one T");
    DU_BAD("PT10M later", "unexpected text after the ISO 8601 duration");
    DU_BAD("P", "expected a number");
}

/* Rounding to the nearest nanosecond never turns a positive duration into
   0, which is "do not cache": below 1 ns it is 1 ns. */
static void durations_positive_stays_positive(void) {
    DU_OK("0.0001ms", 100);
    DU_OK("0.0000001ms", 1);
    DU_OK("0.4ns", 1);
    DU_OK("0.5ns", 1);
    DU_OK("1.4ns", 1);
    DU_OK("1.6ns", 2);
    DU_OK("0.1s", 100000000);
    DU_OK("0.3", 300000000);
    DU_OK("PT0.0000000001S", 1);
    DU_OK("00:00:00.0000000001", 1);
    DU_OK("0.0ns", 0);
    DU_OK("0 days", 0);
}

/* Numbers of seconds in a secrets file round the same way: 0.3 s is not
   299999999 ns, and 1e-12 s is 1 ns, not 0 ("do not cache"). */
static void durations_toml_seconds_round(void) {
    static const struct { const char *toml; int64_t want; } rows[] = {
        {"ttl = 1e-12", 1}, {"ttl = 0.0000000004", 1}, {"ttl = 0.3", 300000000}, {"ttl = 1.0000000006", 1000000001},
        {"ttl = 0", 0}, {"ttl = 0.0", 0}, {"ttl = 5", 5 * DU_S}, {"ttl = 600", 10 * DU_M}, {"ttl = \"PT10M\"", 10 * DU_M},
        {"ttl = \"1H\"", DU_H}, {"ttl = \"00:10:00\"", 10 * DU_M},
    };
    size_t i;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        dconn_error err;
        dconn_toml_doc *doc = dconn_toml_parse(rows[i].toml, strlen(rows[i].toml), "du.toml", &err);
        int64_t got = -123;
        dconn_status st;
        REQUIRE(doc);
        st = dconn__ttl_from_value(NULL, dconn_toml_get(dconn_toml_root(doc), "ttl"), &got, &err);
        if (st != DCONN_OK || got != rows[i].want)
            dtest_reportf(__FILE__, __LINE__, "%s: %d, %lld ns; want %lld: %s", rows[i].toml, (int)st, (long long)got,
                          (long long)rows[i].want, st ? err.message : "");
        dconn_toml_free(doc);
    }
}

/* What to write shows in every refusal: the short forms and the others. */
static void durations_message_shows_the_forms(void) {
    dconn_error err;
    int64_t got = 5;
    CHECK_EQ_INT(dconn_ttl_parse("ten minutes", &got, &err), DCONN_ECONFIG);
    CHECK_EQ_INT(got, 5);
    CHECK_CONTAINS(err.message, "invalid duration \"ten minutes\": expected a number; use a number of seconds (\"3600\")");
    CHECK_CONTAINS(err.message, "\"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"");
    CHECK_CONTAINS(err.message, "units in any case (\"1H\", \"10MIN\")");
    CHECK_CONTAINS(err.message, "hh:mm:ss (\"00:10:00\", \"1 days 02:00:00\")");
    CHECK_CONTAINS(err.message, "ISO 8601 (\"PT10M\", \"P1DT2H\")");
    /* the longest reason, a text cut at 64 bytes and a file prefix still fit */
    {
        char text[200];
        memset(text, '1', sizeof text - 1);
        text[sizeof text - 1] = '\0';
        memcpy(text + 2, "H", 1);
        memcpy(text, "P1", 2);
        CHECK_EQ_INT(dconn_ttl_parse(text, &got, &err), DCONN_ECONFIG);
        CHECK_CONTAINS(err.message, "hours, minutes and seconds come after the T");
        CHECK_CONTAINS(err.message, DCONN__TTL_GRAMMAR);
    }
}

/* Through a connection: query TTLs as Streamlit users write them, and a
   tiny positive number of seconds in the secrets file still caches. */
static void durations_in_queries(void) {
    dconn_error err;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_cache_stats cs;
    dconn_query_options q;
    dconn_result *r;
    static const char *const ttls[] = {"1H", "00:10:00", "PT10M", "1 days 02:00:00", "10MIN"};
    size_t i;
    tu_rmrf(DU_DIR);
    tu_write(DU_SECRETS, "[connections.tiny]\nurl = \"sqlite://\"\nquery_ttl = 1e-12\n"
                         "[connections.iso]\nurl = \"sqlite://\"\nquery_ttl = \"PT10M\"\nttl = \"00:10:00\"\n");
    ctx = tu_open(DU_SECRETS);
    REQUIRE(ctx);
    /* 1e-12 s is 1 ns: cached (the fake clock stands still), not "off" */
    c = dconn_connect(ctx, "tiny", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    for (i = 0; i < 2; i++) {
        r = dconn_query(c, "SELECT 1", NULL, 0, NULL, &err);
        CHECK(r != NULL);
        dconn_result_release(r);
    }
    dconn_cache_stats_get(ctx, &cs);
    CHECK_EQ_INT(cs.hits, 1);
    CHECK_EQ_INT(cs.misses, 1);
    tu_now += 1;
    r = dconn_query(c, "SELECT 1", NULL, 0, NULL, &err);
    CHECK(r != NULL);
    dconn_result_release(r);
    dconn_cache_stats_get(ctx, &cs);
    CHECK_EQ_INT(cs.hits, 1);
    CHECK_EQ_INT(cs.expirations, 1);
    dconn_release(c);
    /* PT10M from the secrets file: a hit at 9 minutes, expired at 11 */
    c = dconn_connect(ctx, "iso", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    dconn_cache_clear(ctx);
    r = dconn_query(c, "SELECT 2", NULL, 0, NULL, &err);
    dconn_result_release(r);
    tu_now += 9 * DU_M;
    dconn_cache_stats_get(ctx, &cs);
    {
        uint64_t hits = cs.hits, expired = cs.expirations;
        r = dconn_query(c, "SELECT 2", NULL, 0, NULL, &err);
        dconn_result_release(r);
        tu_now += 2 * DU_M;
        r = dconn_query(c, "SELECT 2", NULL, 0, NULL, &err);
        dconn_result_release(r);
        dconn_cache_stats_get(ctx, &cs);
        CHECK_EQ_INT(cs.hits, hits + 1);
        CHECK_EQ_INT(cs.expirations, expired + 1);
    }
    /* the call's TTL in Streamlit's spellings: the second query is a hit */
    memset(&q, 0, sizeof q);
    for (i = 0; i < sizeof ttls / sizeof ttls[0]; i++) {
        char sql[64];
        uint64_t hits;
        snprintf(sql, sizeof sql, "SELECT %d", (int)i + 10);
        q.ttl = ttls[i];
        dconn_cache_stats_get(ctx, &cs);
        hits = cs.hits;
        r = dconn_query(c, sql, NULL, 0, &q, &err);
        if (!r) fprintf(stdout, "  ttl \"%s\": %s\n", ttls[i], err.message);
        CHECK(r != NULL);
        dconn_result_release(r);
        r = dconn_query(c, sql, NULL, 0, &q, &err);
        CHECK(r != NULL);
        dconn_result_release(r);
        dconn_cache_stats_get(ctx, &cs);
        if (cs.hits != hits + 1) dtest_reportf(__FILE__, __LINE__, "ttl \"%s\": %llu hits, want %llu", ttls[i], (unsigned long long)cs.hits, (unsigned long long)hits + 1);
    }
    /* months are refused with the reason and the forms */
    q.ttl = "P1M";
    CHECK(dconn_query(c, "SELECT 3", NULL, 0, &q, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "invalid duration \"P1M\": months and years are not supported");
    CHECK_CONTAINS(err.message, DCONN__TTL_GRAMMAR);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(DU_DIR);
}

/* "never" is a duration for intervals and timeouts, but a cache TTL could
   read it as never expiring or never cached: every place a cache TTL is
   given refuses it and says what to write. Control bytes in a bad
   duration are not echoed. */
static void durations_never_refused_as_cache_ttl(void) {
    dconn_error err;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_query_options q;
    dconn_connect_options co;
    dconn_options o;
    int64_t ns = 0;
    CHECK_EQ_INT(dconn_ttl_parse("never", &ns, &err), DCONN_OK);   /* an interval's "never" */
    CHECK_EQ_INT(ns, -1);
    CHECK_EQ_INT(dconn_ttl_parse("1\x01s", &ns, &err), DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "invalid duration \"1?s\"");
    tu_rmrf(DU_DIR);
    tu_write(DU_SECRETS, "[connections.bad]\nurl = \"sqlite://\"\nquery_ttl = \"never\"\n");
    ctx = tu_open(DU_SECRETS);
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "bad", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, DU_SECRETS ":3: query_ttl: invalid TTL \"never\": for a cached result it could mean either; write \"forever\"");
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    co.query_ttl = "never";
    CHECK(dconn_connect(ctx, "code", NULL, &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "dconn_connect_options.query_ttl: invalid TTL \"never\"");
    co.query_ttl = NULL;
    c = dconn_connect(ctx, "code", NULL, &co, &err);
    REQUIRE(c);
    memset(&q, 0, sizeof q);
    q.ttl = "never";
    CHECK(dconn_query(c, "SELECT 1", NULL, 0, &q, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "connection \"code\": dconn_query_options.ttl: invalid TTL \"never\": for a cached result it could mean either; "
                                "write \"forever\" (kept until a write or a reset drops it) or \"0\" (not cached)");
    dconn_release(c);
    dconn_close(ctx);
    memset(&o, 0, sizeof o);
    o.secrets_path = "";
    o.default_ttl = "never";
    CHECK(dconn_open(&o, &err) == NULL);
    CHECK_CONTAINS(err.message, "dconn_open: default_ttl: invalid TTL \"never\"");
    o.default_ttl = NULL;
    o.reload_interval = "never";   /* an interval: never re-checked */
    ctx = dconn_open(&o, &err);
    CHECK(ctx != NULL);
    dconn_close(ctx);
    tu_rmrf(DU_DIR);
}

static const dtest_case durations_tests[] = {
    {"durations_never_refused_as_cache_ttl", durations_never_refused_as_cache_ttl},
    {"durations_units_any_case", durations_units_any_case},
    {"durations_hh_mm_ss", durations_hh_mm_ss},
    {"durations_iso8601", durations_iso8601},
    {"durations_positive_stays_positive", durations_positive_stays_positive},
    {"durations_toml_seconds_round", durations_toml_seconds_round},
    {"durations_message_shows_the_forms", durations_message_shows_the_forms},
    {"durations_in_queries", durations_in_queries},
};
