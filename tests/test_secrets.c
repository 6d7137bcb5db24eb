/* Secrets: search list, merge, env: names, ${VAR}, reload, permissions. */

/* POSIX; not declared by <stdlib.h> under -std=c99. Same prototypes as
   glibc's, so a second declaration is harmless where they are declared. */
extern int setenv(const char *name, const char *value, int overwrite);
extern int unsetenv(const char *name);

/* --- helpers ------------------------------------------------------------ */

/* A context with the fake clock and the log capture; home/project dirs
   and the reload interval as given (NULL: tu_options' defaults). */
static dconn_ctx *sx_open(const char *secrets_path, const char *home, const char *proj, const char *reload) {
    dconn_options o = tu_options(secrets_path);
    dconn_error err;
    dconn_ctx *ctx;
    o.home_dir = home;
    o.project_dir = proj;
    if (reload) o.reload_interval = reload;
    ctx = dconn_open(&o, &err);
    if (!ctx) fprintf(stdout, "  sx_open: %s\n", err.message);
    tu_log_reset();
    return ctx;
}

/* dconn_secrets_describe into a static buffer (freed with dconn_free at
   once), so tests can compare it without juggling ownership. */
static char sx_desc[16384];

/* Hides a buffer's size from gcc, whose -Wformat-truncation otherwise
   objects to dtest's messages quoting a big static buffer. */
static const char *volatile sx_laundered;
static const char *sx_str(const char *p) { sx_laundered = p; return sx_laundered; }
#define SX_LOG sx_str(tu_logbuf)
#define SX_DESC sx_str(sx_desc)
static char sx_not_null;   /* a non-NULL pointer value, to see *out set to NULL */
static dconn_status sx_describe(dconn_ctx *ctx, const char *name, dconn_error *err) {
    char *out = &sx_not_null;
    dconn_status st = dconn_secrets_describe(ctx, name, &out, err);
    sx_desc[0] = '\0';
    if (st) {
        if (out != NULL) dtest_report(__FILE__, __LINE__, "dconn_secrets_describe failed but left *out non-NULL");
        return st;
    }
    if (!out) { dtest_report(__FILE__, __LINE__, "dconn_secrets_describe returned OK and *out NULL"); return DCONN_EMISUSE; }
    if (strlen(out) >= sizeof sx_desc) dtest_report(__FILE__, __LINE__, "describe output too long for the test buffer");
    snprintf(sx_desc, sizeof sx_desc, "%s", out);
    dconn_free(out);
    return st;
}

/* A driver that records, at connect, where each setting came from. */
static char sx_probe_seen[4096];
static int sx_probe_connects;
static dconn_status sx_probe_connect(void *ud, const dconn_settings *s, void **handle, dconn_error *err) {
    static const char *const keys[] = {"host", "port", "user", "connect_args.timeout", "connect_args.sslmode", "connect_args.retries"};
    size_t i, n;
    (void)ud;
    (void)err;
    sx_probe_seen[0] = '\0';
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const dconn_toml_value *v = dconn_settings_get(s, keys[i]);
        n = strlen(sx_probe_seen);
        if (!v) snprintf(sx_probe_seen + n, sizeof sx_probe_seen - n, "%s missing\n", keys[i]);
        else if (dconn_toml_type_of(v) == DCONN_TOML_STRING)
            snprintf(sx_probe_seen + n, sizeof sx_probe_seen - n, "%s=%s @%s:%d\n", keys[i], dconn_toml_string(v, ""), dconn_toml_file(v), dconn_toml_line(v));
        else
            snprintf(sx_probe_seen + n, sizeof sx_probe_seen - n, "%s=%lld @%s:%d\n", keys[i], (long long)dconn_toml_int(v, -1), dconn_toml_file(v), dconn_toml_line(v));
    }
    sx_probe_connects++;
    *handle = &sx_probe_connects;
    return DCONN_OK;
}
static void sx_probe_disconnect(void *ud, void *h) { (void)ud; (void)h; }
static dconn_status sx_probe_query(void *ud, void *h, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    const char *sql = stmt->sql;
    const dconn_value *p = stmt->params;
    size_t n = stmt->n_params;
    (void)sql; (void)p; (void)n;
    dconn_status st;
    (void)ud; (void)h; (void)sql; (void)p; (void)n; (void)err;
    st = dconn_builder_column(out, "connects", "INTEGER");
    if (!st) st = dconn_builder_int(out, sx_probe_connects);
    return st;
}
static int sx_register_probe(dconn_ctx *ctx) {
    dconn_driver d;
    dconn_error err;
    tu_driver(&d, "probe", "probe", sx_probe_connect, sx_probe_disconnect, sx_probe_query);
    sx_probe_seen[0] = '\0';
    sx_probe_connects = 0;
    return dconn_register_driver(ctx, &d, &err) == DCONN_OK;
}

/* Creates an SQLite database with one table t(v) holding `v`, plus
   `extra` SQL. Straight through SQLite, not through dconn. */
static int sx_make_db(const char *path, const char *v, const char *extra) {
    sqlite3 *db = NULL;
    char sql[512];
    int rc;
    remove(path);
    tu_mkdirs_for(path);
    if (sqlite3_open(path, &db) != SQLITE_OK) { sqlite3_close(db); return 0; }
    snprintf(sql, sizeof sql, "CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('%s'); %s", v, extra ? extra : "");
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK;
}

/* The first cell of a query as text ("" when the query fails). */
static char sx_cell[256];
static const char *sx_query_text(dconn_conn *c, const char *sql, dconn_error *err) {
    dconn_result *r = dconn_query(c, sql, NULL, 0, NULL, err);
    const char *t;
    sx_cell[0] = '\0';
    if (!r) return sx_cell;
    t = dconn_result_text(r, 0, 0);
    snprintf(sx_cell, sizeof sx_cell, "%s", t ? t : "(not text)");
    dconn_result_release(r);
    return sx_cell;
}

/* Replaces a file by writing a new one and renaming it over (a new
   inode), so the change is seen even within the same second. */
static void sx_replace(const char *path, const char *text) {
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    tu_write(tmp, text);
    if (tu_rename_over(tmp, path) != 0) dtest_report(__FILE__, __LINE__, "sx_replace: rename failed");
}

/* --- the search list ------------------------------------------------------- */

#define SX_ORD TU_DIR "/secrets-order"

static void secrets_getter_without_files(void) {
    dconn_ctx *ctx = tu_open(TU_DIR "/none/secrets.toml");
    REQUIRE(ctx);
    CHECK_STR(tu_secret(ctx, "connections.x.url", "dflt"), "dflt");
    CHECK_EQ_INT(dconn_secret_int(ctx, "a.b", 7), 7);
    dconn_close(ctx);
}

/* H/.streamlit < H/.dconn < P/.streamlit < P/.dconn, lowest first. */
static void secrets_search_list_default_order(void) {
    const char *paths[8];
    int exists[8];
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_ORD);
    unsetenv("DCONN_SECRETS");
    tu_write(SX_ORD "/h/.streamlit/secrets.toml", "[v]\nk1 = 1\nk2 = 1\nk3 = 1\nk4 = 1\n");
    tu_write(SX_ORD "/h/.dconn/secrets.toml", "[v]\nk2 = 2\nk3 = 2\nk4 = 2\n");
    tu_write(SX_ORD "/p/.streamlit/secrets.toml", "[v]\nk3 = 3\nk4 = 3\n");
    tu_write(SX_ORD "/p/.dconn/secrets.toml", "[v]\nk4 = 4\n");
    ctx = sx_open(NULL, SX_ORD "/h", SX_ORD "/p", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 8), 4);
    CHECK_STR(paths[0], SX_ORD "/h/.streamlit/secrets.toml");
    CHECK_STR(paths[1], SX_ORD "/h/.dconn/secrets.toml");
    CHECK_STR(paths[2], SX_ORD "/p/.streamlit/secrets.toml");
    CHECK_STR(paths[3], SX_ORD "/p/.dconn/secrets.toml");
    CHECK(exists[0] && exists[1] && exists[2] && exists[3]);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k1", 0), 1);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k2", 0), 2);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k3", 0), 3);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k4", 0), 4);
    /* max smaller than the list: fills max, returns the full count */
    paths[1] = NULL;
    CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 1), 4);
    CHECK_STR(paths[0], SX_ORD "/h/.streamlit/secrets.toml");
    CHECK(paths[1] == NULL);
    CHECK_EQ_INT(dconn_secrets_files(ctx, NULL, NULL, 0), 4);
    CHECK_EQ_INT(tu_log_lines, 0);
    dconn_close(ctx);
    tu_rmrf(SX_ORD);
}

/* The platform's path forms: UTF-8 names reach the file system (through
   the wide-character calls on Windows); on Windows a directory written
   with backslashes gets them joined, the current directory's files are
   ".dconn\secrets.toml", and DCONN_SECRETS splits at ';', never at a
   drive's ':'. */
#define SX_PLAT TU_DIR "/secrets-platform"
static void secrets_platform_paths(void) {
    const char *paths[4];
    int exists[4];
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_PLAT);
    unsetenv("DCONN_SECRETS");
    tu_write_utf8(SX_PLAT "/caf\xc3\xa9/a.toml", "[v]\nk = 1\n");                   /* café */
    tu_write_utf8(SX_PLAT "/\xd0\xb4\xd0\xbe\xd0\xbc/b.toml", "[v]\nj = 2\n");      /* дом */
    ctx = sx_open(SX_PLAT "/caf\xc3\xa9/a.toml" TU_LIST_SEP SX_PLAT "/\xd0\xb4\xd0\xbe\xd0\xbc/b.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_secrets_files(ctx, NULL, exists, 2), 2);
    CHECK(exists[0] && exists[1]);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.j", 0), 2);
    dconn_close(ctx);
    /* UTF-8 through the environment: DCONN_SECRETS, the home directory
       (Windows: %USERPROFILE%) and ${VAR} values (Windows holds them in UTF-16) */
    tu_write_utf8(SX_PLAT "/caf\xc3\xa9/.dconn/secrets.toml", "[v]\nhome = 1\n");
    tu_write_utf8(SX_PLAT "/caf\xc3\xa9/e.toml", "[v]\npw = \"${SX_UTF8_PW}\"\n");
    tu_setenv_utf8("SX_UTF8_PW", "p\xc3\xa4ss");
    tu_setenv_utf8("DCONN_SECRETS", SX_PLAT "/caf\xc3\xa9/e.toml");
    ctx = sx_open(NULL, NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_STR(tu_secret(ctx, "v.pw", ""), "p\xc3\xa4ss");
    dconn_close(ctx);
    unsetenv("DCONN_SECRETS");
    {
        const char *home_var = TU_HOME_VAR;
        char saved[1024];
        int had = getenv(home_var) != NULL;
        snprintf(saved, sizeof saved, "%s", had ? getenv(home_var) : "");
        tu_setenv_utf8(home_var, SX_PLAT "/caf\xc3\xa9");
        ctx = sx_open(NULL, NULL, SX_PLAT "/none", NULL);
        REQUIRE(ctx);
        CHECK_EQ_INT(dconn_secret_int(ctx, "v.home", 0), 1);
        dconn_close(ctx);
        if (had) setenv(home_var, saved, 1);
        else unsetenv(home_var);
    }
    unsetenv("SX_UTF8_PW");
#ifdef TU_WINDOWS
    ctx = sx_open(NULL, "C:\\Users\\me", "D:\\proj\\", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 4), 4);
    CHECK_STR(paths[0], "C:\\Users\\me\\.streamlit\\secrets.toml");
    CHECK_STR(paths[1], "C:\\Users\\me\\.dconn\\secrets.toml");
    CHECK_STR(paths[3], "D:\\proj\\.dconn\\secrets.toml");   /* its trailing backslash adds no second one */
    dconn_close(ctx);
    ctx = sx_open(NULL, "C:\\Users\\me", NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 4), 4);
    CHECK_STR(paths[2], ".streamlit\\secrets.toml");
    dconn_close(ctx);
    {
        /* DCONN_SECRETS splits at ';', and at ':' out of POSIX habit too, but never
           at a drive's, a long path's (\\?\C:) or a device path's (\\.\D:) */
        static const struct { const char *list; int n; const char *want[3]; } lists[] = {
            {"C:\\x\\a.toml;D:\\b.toml", 2, {"C:\\x\\a.toml", "D:\\b.toml", ""}},
            {"C:\\x\\a.toml:D:\\b.toml:rel\\c.toml", 3, {"C:\\x\\a.toml", "D:\\b.toml", "rel\\c.toml"}},
            {"\\\\?\\C:\\x\\a.toml:\\\\.\\D:\\b.toml;e.toml", 3, {"\\\\?\\C:\\x\\a.toml", "\\\\.\\D:\\b.toml", "e.toml"}},
        };
        size_t k;
        int i;
        for (k = 0; k < sizeof lists / sizeof lists[0]; k++) {
            ctx = sx_open(lists[k].list, NULL, NULL, NULL);
            REQUIRE(ctx);
            CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 4), (size_t)lists[k].n);
            for (i = 0; i < lists[k].n; i++) CHECK_STR(paths[i], lists[k].want[i]);
            dconn_close(ctx);
        }
    }
#else
    ctx = sx_open(NULL, "/home/me", NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 4), 4);
    CHECK_STR(paths[0], "/home/me/.streamlit/secrets.toml");
    CHECK_STR(paths[3], ".dconn/secrets.toml");
    dconn_close(ctx);
#endif
    tu_rmrf(SX_PLAT);
}

/* Missing files are skipped: no error, no log, and the others merge. */
static void secrets_search_list_missing_files_skipped(void) {
    const char *paths[4];
    int exists[4];
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_ORD);
    unsetenv("DCONN_SECRETS");
    tu_write(SX_ORD "/h/.dconn/secrets.toml", "[v]\nhome = \"h\"\nboth = \"h\"\n");
    tu_write(SX_ORD "/p/.streamlit/secrets.toml", "[v]\nboth = \"p\"\n");
    /* a directory where a file is expected is skipped, and said to be one */
    tu_mkdirs_for(SX_ORD "/p/.dconn/secrets.toml/x");
    ctx = sx_open(NULL, SX_ORD "/h/", SX_ORD "/p", NULL);   /* a trailing slash adds no second one */
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_EQ_INT(err.code, DCONN_OK);
    CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 4), 4);
    CHECK_STR(paths[0], SX_ORD "/h/.streamlit/secrets.toml");
    CHECK_STR(paths[1], SX_ORD "/h/.dconn/secrets.toml");
    CHECK_EQ_INT(exists[0], 0);
    CHECK_EQ_INT(exists[1], 1);
    CHECK_EQ_INT(exists[2], 1);
    CHECK_EQ_INT(exists[3], 0);
    CHECK_STR(tu_secret(ctx, "v.home", ""), "h");
    CHECK_STR(tu_secret(ctx, "v.both", ""), "p");
    /* the directory is skipped with one warning that says what it is; missing files say nothing */
    CHECK_EQ_INT(tu_log_lines, 1);
    CHECK_CONTAINS(tu_logbuf, "secrets path " SX_ORD "/p/.dconn/secrets.toml is a directory, not a file: it is skipped");
    {
        dconn_conn *c = dconn_connect(ctx, "nosuch", NULL, NULL, &err);
        CHECK(c == NULL);
        CHECK_CONTAINS(err.message, SX_ORD "/p/.dconn/secrets.toml (a directory, not a file)");
        CHECK_CONTAINS(err.message, SX_ORD "/h/.streamlit/secrets.toml (missing)");
    }
    dconn_close(ctx);

    /* nothing at all: still no error, getters give defaults */
    ctx = sx_open(NULL, SX_ORD "/nohome", SX_ORD "/noproj", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_STR(tu_secret(ctx, "v.home", "dflt"), "dflt");
    CHECK_EQ_INT(dconn_secrets_files(ctx, NULL, exists, 4), 4);
    CHECK(!exists[0] && !exists[1] && !exists[2] && !exists[3]);
    CHECK_EQ_INT(tu_log_lines, 0);
    dconn_close(ctx);
    tu_rmrf(SX_ORD);
}

/* secrets_path = "a:b" replaces the four defaults; b wins. */
static void secrets_path_option_replaces_list(void) {
    const char *paths[4];
    int exists[4];
    dconn_ctx *ctx;
    tu_rmrf(SX_ORD);
    tu_write(SX_ORD "/h/.streamlit/secrets.toml", "[v]\nfrom_home = 1\nk = 0\n");
    tu_write(SX_ORD "/p/.dconn/secrets.toml", "[v]\nfrom_proj = 1\nk = 0\n");
    tu_write(SX_ORD "/a.toml", "[v]\nk = 1\nonly_a = 1\n");
    tu_write(SX_ORD "/b.toml", "[v]\nk = 2\n");
    ctx = sx_open(SX_ORD "/a.toml" TU_LIST_SEP SX_ORD "/b.toml", SX_ORD "/h", SX_ORD "/p", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 4), 2);
    CHECK_STR(paths[0], SX_ORD "/a.toml");
    CHECK_STR(paths[1], SX_ORD "/b.toml");
    CHECK(exists[0] && exists[1]);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", -1), 2);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.only_a", -1), 1);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.from_home", -1), -1);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.from_proj", -1), -1);
    dconn_close(ctx);

    /* reversed: a wins; empty segments are ignored */
    ctx = sx_open(TU_LIST_SEP SX_ORD "/b.toml" TU_LIST_SEP TU_LIST_SEP SX_ORD "/a.toml" TU_LIST_SEP, SX_ORD "/h", SX_ORD "/p", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 4), 2);
    CHECK_STR(paths[0], SX_ORD "/b.toml");
    CHECK_STR(paths[1], SX_ORD "/a.toml");
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", -1), 1);
    dconn_close(ctx);
    tu_rmrf(SX_ORD);
}

/* $DCONN_SECRETS replaces the list when the option is not set; the
   option beats the variable. */
static void secrets_env_var_replaces_list(void) {
    const char *paths[4];
    int exists[4];
    dconn_ctx *ctx;
    tu_rmrf(SX_ORD);
    tu_write(SX_ORD "/h/.streamlit/secrets.toml", "[v]\nfrom_home = 1\nk = 0\n");
    tu_write(SX_ORD "/x.toml", "[v]\nk = 1\n");
    tu_write(SX_ORD "/y.toml", "[v]\nk = 2\n");
    tu_write(SX_ORD "/z.toml", "[v]\nk = 3\n");
    setenv("DCONN_SECRETS", SX_ORD "/x.toml" TU_LIST_SEP SX_ORD "/y.toml" TU_LIST_SEP SX_ORD "/missing.toml", 1);
    ctx = sx_open(NULL, SX_ORD "/h", SX_ORD "/p", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 4), 3);
    CHECK_STR(paths[0], SX_ORD "/x.toml");
    CHECK_STR(paths[1], SX_ORD "/y.toml");
    CHECK_STR(paths[2], SX_ORD "/missing.toml");
    CHECK(exists[0] && exists[1] && !exists[2]);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", -1), 2);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.from_home", -1), -1);
    dconn_close(ctx);

    ctx = sx_open(SX_ORD "/z.toml", SX_ORD "/h", SX_ORD "/p", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 4), 1);
    CHECK_STR(paths[0], SX_ORD "/z.toml");
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", -1), 3);
    dconn_close(ctx);

    /* an empty variable means "not set": the defaults again */
    setenv("DCONN_SECRETS", "", 1);
    ctx = sx_open(NULL, SX_ORD "/h", SX_ORD "/p", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_files(ctx, paths, exists, 4), 4);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.from_home", -1), 1);
    dconn_close(ctx);
    unsetenv("DCONN_SECRETS");
    tu_rmrf(SX_ORD);
}

/* secrets_path = "" is an empty search list: no files, not the defaults. */
static void secrets_path_empty_means_no_files(void) {
    dconn_ctx *ctx;
    dconn_error err;
    char *out = &sx_not_null;
    tu_rmrf(SX_ORD);
    setenv("DCONN_SECRETS", SX_ORD "/x.toml", 1);
    tu_write(SX_ORD "/h/.streamlit/secrets.toml", "[v]\nk = 1\n");
    tu_write(SX_ORD "/x.toml", "[v]\nk = 2\n");
    ctx = sx_open("", SX_ORD "/h", SX_ORD "/p", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_files(ctx, NULL, NULL, 0), 0);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", -1), -1);
    CHECK_EQ_INT(dconn_secrets_describe(ctx, "x", &out, &err), DCONN_ENOTFOUND);
    CHECK(out == NULL);
    CHECK_STR(err.message, "no connection named \"x\": there is no [connections.x] section in the secrets files. Searched: (no files: the "
                           "search list is empty). No [connections.*] sections were found");
    dconn_close(ctx);
    unsetenv("DCONN_SECRETS");
    tu_rmrf(SX_ORD);
}

/* "env:VAR" takes the connection name from the environment; an unknown
   name lists every file searched and the connections found. */
static void secrets_env_connection_name(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    tu_rmrf(SX_ORD);
    tu_write(SX_ORD "/s.toml",
             "[connections.local]\ntype = \"probe\"\nhost = \"localhost\"\n"
             "[connections.staging]\ntype = \"probe\"\nhost = \"staging.example.com\"\n");
    ctx = sx_open(SX_ORD "/s.toml" TU_LIST_SEP SX_ORD "/missing.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    REQUIRE(sx_register_probe(ctx));
    setenv("SX_CONN", "staging", 1);
    c = dconn_connect(ctx, "env:SX_CONN", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(dconn_conn_name(c), "staging");
    CHECK_CONTAINS(sx_str(sx_probe_seen), "host=staging.example.com @" SX_ORD "/s.toml:6\n");
    dconn_release(c);

    unsetenv("SX_CONN");
    c = dconn_connect(ctx, "env:SX_CONN", NULL, NULL, &err);
    CHECK(c == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_STR(err.message, "connection name \"env:SX_CONN\": environment variable SX_CONN is not set; "
                           "set it to the name of a [connections.NAME] section, e.g. SX_CONN=local");
    c = dconn_connect(ctx, "env:", NULL, NULL, &err);
    CHECK(c == NULL);
    CHECK_EQ_INT(err.code, DCONN_EMISUSE);

    setenv("SX_CONN", "prod", 1);
    c = dconn_connect(ctx, "env:SX_CONN", NULL, NULL, &err);
    CHECK(c == NULL);
    CHECK_EQ_INT(err.code, DCONN_ENOTFOUND);
    CHECK_STR(err.message, "no connection named \"prod\": there is no [connections.prod] section in the secrets files. Searched: "
                           SX_ORD "/s.toml (read), " SX_ORD "/missing.toml (missing). Connections found: local, staging "
                           "(the name came from the environment variable SX_CONN)");
    unsetenv("SX_CONN");
    dconn_close(ctx);
    tu_rmrf(SX_ORD);
}

/* --- merging ------------------------------------------------------------- */

#define SX_MRG TU_DIR "/secrets-merge"
#define SX_MRG_G SX_MRG "/h/.streamlit/secrets.toml"
#define SX_MRG_L SX_MRG "/p/.dconn/secrets.toml"

static void sx_write_merge_files(void) {
    tu_write(SX_MRG_G,
             "[connections.prod]\n"                 /* 1 */
             "type = \"probe\"\n"                   /* 2 */
             "host = \"prod.example.com\"\n"        /* 3 */
             "\n"                                   /* 4 */
             "[connections.dev]\n"                  /* 5 */
             "type = \"probe\"\n"                   /* 6 */
             "host = \"global-dev\"\n"              /* 7 */
             "port = 5432\n"                        /* 8 */
             "user = \"gu\"\n"                      /* 9 */
             "\n"                                   /* 10 */
             "[connections.dev.connect_args]\n"     /* 11 */
             "timeout = 5\n"                        /* 12 */
             "sslmode = \"require\"\n");            /* 13 */
    tu_write(SX_MRG_L,
             "[connections.dev]\n"                  /* 1 */
             "host = \"localhost\"\n"               /* 2 */
             "[connections.dev.connect_args]\n"     /* 3 */
             "timeout = 9\n"                        /* 4 */
             "retries = 2\n");                      /* 5 */
}

/* A local [connections.dev] never hides the global [connections.prod];
   keys merge one by one, nested tables too. */
static void secrets_merge_deep_key_by_key(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_MRG);
    unsetenv("DCONN_SECRETS");
    sx_write_merge_files();
    ctx = sx_open(NULL, SX_MRG "/h", SX_MRG "/p", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_STR(tu_secret(ctx, "connections.prod.host", ""), "prod.example.com");
    CHECK_STR(tu_secret(ctx, "connections.dev.host", ""), "localhost");
    CHECK_EQ_INT(dconn_secret_int(ctx, "connections.dev.port", 0), 5432);
    CHECK_STR(tu_secret(ctx, "connections.dev.user", ""), "gu");
    CHECK_EQ_INT(dconn_secret_int(ctx, "connections.dev.connect_args.timeout", 0), 9);
    CHECK_STR(tu_secret(ctx, "connections.dev.connect_args.sslmode", ""), "require");
    CHECK_EQ_INT(dconn_secret_int(ctx, "connections.dev.connect_args.retries", 0), 2);
    /* the type mismatch gives the default, not a conversion */
    CHECK_EQ_INT(dconn_secret_int(ctx, "connections.dev.host", -3), -3);
    CHECK_STR(tu_secret(ctx, "connections.dev.port", "d"), "d");
    CHECK_EQ_DBL(dconn_secret_float(ctx, "connections.dev.port", 0), 5432.0);
    CHECK_EQ_INT(dconn_secret_bool(ctx, "connections.dev.port", 1), 1);

    /* provenance in describe: every value names its own file and line */
    CHECK_EQ_INT(sx_describe(ctx, "dev", &err), DCONN_OK);
    CHECK_STR(SX_DESC,
              "[connections.dev]\n"
              "type = \"probe\"    # " SX_MRG_G ":6\n"
              "host = \"localhost\"    # " SX_MRG_L ":2\n"
              "port = 5432    # " SX_MRG_G ":8\n"
              "user = \"gu\"    # " SX_MRG_G ":9\n"
              "\n[connections.dev.connect_args]\n"
              "timeout = 9    # " SX_MRG_L ":4\n"
              "sslmode = \"require\"    # " SX_MRG_G ":13\n"
              "retries = 2    # " SX_MRG_L ":5\n");
    CHECK_EQ_INT(sx_describe(ctx, "prod", &err), DCONN_OK);
    CHECK_STR(SX_DESC,
              "[connections.prod]\n"
              "type = \"probe\"    # " SX_MRG_G ":2\n"
              "host = \"prod.example.com\"    # " SX_MRG_G ":3\n");
    dconn_close(ctx);
    tu_rmrf(SX_MRG);
}

/* The settings a driver receives are the merged ones, and each value's
   dconn_toml_file/dconn_toml_line is the file and line it came from. */
static void secrets_merge_provenance_in_settings(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    tu_rmrf(SX_MRG);
    unsetenv("DCONN_SECRETS");
    sx_write_merge_files();
    ctx = sx_open(NULL, SX_MRG "/h", SX_MRG "/p", NULL);
    REQUIRE(ctx);
    REQUIRE(sx_register_probe(ctx));
    c = dconn_connect(ctx, "dev", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK_STR(dconn_conn_type(c), "probe");
    CHECK_STR(sx_str(sx_probe_seen),
              "host=localhost @" SX_MRG_L ":2\n"
              "port=5432 @" SX_MRG_G ":8\n"
              "user=gu @" SX_MRG_G ":9\n"
              "connect_args.timeout=9 @" SX_MRG_L ":4\n"
              "connect_args.sslmode=require @" SX_MRG_G ":13\n"
              "connect_args.retries=2 @" SX_MRG_L ":5\n");
    dconn_release(c);
    c = dconn_connect(ctx, "prod", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_CONTAINS(sx_str(sx_probe_seen), "host=prod.example.com @" SX_MRG_G ":3\n");
    CHECK_CONTAINS(sx_str(sx_probe_seen), "port missing\n");
    CHECK_CONTAINS(sx_str(sx_probe_seen), "connect_args.timeout missing\n");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(SX_MRG);
}

/* A table in one file and a plain value of the same key in another: the
   higher file decides the type. */
static void secrets_merge_table_and_value_replace_each_other(void) {
    dconn_ctx *ctx;
    tu_rmrf(SX_MRG);
    tu_write(SX_MRG "/a.toml", "[x]\nt = { a = 1 }\nv = 1\n[x.deep]\nk = 1\n");
    tu_write(SX_MRG "/b.toml", "[x]\nt = \"now a string\"\n[x.v]\nb = 2\n");
    ctx = sx_open(SX_MRG "/a.toml" TU_LIST_SEP SX_MRG "/b.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_STR(tu_secret(ctx, "x.t", ""), "now a string");
    CHECK_EQ_INT(dconn_secret_int(ctx, "x.t.a", -1), -1);
    CHECK_EQ_INT(dconn_secret_int(ctx, "x.v.b", -1), 2);
    CHECK_EQ_INT(dconn_secret_int(ctx, "x.deep.k", -1), 1);
    dconn_close(ctx);
    tu_rmrf(SX_MRG);
}

/* --- a file that does not parse -------------------------------------------- */

#define SX_BAD TU_DIR "/secrets-bad"

static void secrets_parse_error_everywhere(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    char *out = &sx_not_null;
    tu_rmrf(SX_BAD);
    tu_write(SX_BAD "/good.toml", "[connections.x]\nurl = \"sqlite://\"\n[v]\nk = 1\n");
    tu_write(SX_BAD "/bad.toml", "# second file\n[v]\nk = = 2\n");
    ctx = sx_open(SX_BAD "/good.toml" TU_LIST_SEP SX_BAD "/bad.toml", NULL, NULL, NULL);
    REQUIRE(ctx);

    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ETOML);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK_STR(err.file, SX_BAD "/bad.toml");
    CHECK_EQ_INT(err.line, 3);
    CHECK_EQ_INT(err.column, 5);
    CHECK(strncmp(err.message, SX_BAD "/bad.toml:3:5: ", strlen(SX_BAD "/bad.toml:3:5: ")) == 0);
    /* the key is shown, its value never is (secrets excerpts end at the '=') */
    CHECK_CONTAINS(err.message, "\n  k = (value not shown)\n      ^");
    CHECK_NOT_CONTAINS(err.message, "= 2");

    memset(&err, 0, sizeof err);
    c = dconn_connect(ctx, "x", NULL, NULL, &err);
    CHECK(c == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK(strncmp(err.message, SX_BAD "/bad.toml:3:5: ", strlen(SX_BAD "/bad.toml:3:5: ")) == 0);
    CHECK_STR(err.file, SX_BAD "/bad.toml");
    CHECK_EQ_INT(err.line, 3);
    dconn_release(c);

    CHECK_EQ_INT(dconn_secrets_describe(ctx, "x", &out, &err), DCONN_ETOML);
    CHECK(out == NULL);
    CHECK_CONTAINS(err.message, SX_BAD "/bad.toml:3:5: ");

    /* getters: the default (even for keys of the good file), and the error logged */
    tu_log_reset();
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 42), 42);
    CHECK_STR(tu_secret(ctx, "connections.x.url", "dflt"), "dflt");
    CHECK_EQ_INT(tu_log_lines, 2);
    CHECK(strncmp(SX_LOG, "1 " SX_BAD "/bad.toml:3:5: ", strlen("1 " SX_BAD "/bad.toml:3:5: ")) == 0);

    /* fixing the file is noticed (reload_interval "0") */
    tu_write(SX_BAD "/bad.toml", "# second file, fixed\n[v]\nk = 2\n");
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 42), 2);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    dconn_close(ctx);
    tu_rmrf(SX_BAD);
}

/* A file that exists but cannot be read is an error too, naming it. */
static void sx_unreadable_checks(dconn_ctx *ctx) {
    dconn_error err;
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_EIO);
    CHECK_CONTAINS(err.message, SX_BAD "/locked.toml: cannot open");
    CHECK_STR(err.file, SX_BAD "/locked.toml");
}

/* As root, in a child that honours file modes: a context of its own. */
static void sx_unreadable_body(void) {
    dconn_ctx *ctx = sx_open(SX_BAD "/locked.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    sx_unreadable_checks(ctx);
    dconn_close(ctx);
}

/* A file that cannot be looked at (a symbolic link on its path loops, a
   folder may not be entered: a default path under a home the program may
   not enter) is skipped as a missing one is, but not called missing: a
   warning and the search list say why. */
static void secrets_unreachable_file_is_skipped_and_said(void) {
    dconn_ctx *ctx;
    dconn_error err;
    TU_POSIX_ONLY("a symbolic link loop (POSIX symlink)");
    tu_rmrf(SX_BAD);
    tu_write(SX_BAD "/real/secrets.toml", "[v]\nk = 1\n");
    tu_write(SX_BAD "/other.toml", "[w]\nk = 2\n");
    REQUIRE(tu_symlink("dir", SX_BAD "/dir") == 0);   /* a loop */
    tu_log_reset();
    ctx = sx_open(SX_BAD "/dir/secrets.toml:" SX_BAD "/other.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_secret_int(ctx, "w.k", 42), 2);   /* the other file's secrets work */
    {
        /* the C library's words for the loop (glibc: "Too many levels of symbolic links"; musl: "Symbolic link loop") */
        char want[300];
#ifdef ELOOP
        const char *why = strerror(ELOOP);
#else
        const char *why = "";
#endif
        snprintf(want, sizeof want, "secrets path " SX_BAD "/dir/secrets.toml cannot be looked at (%s): it is skipped", why);
        CHECK_CONTAINS(SX_LOG, want);
        CHECK(dconn_connect(ctx, "nosuch", NULL, NULL, &err) == NULL);
        snprintf(want, sizeof want, SX_BAD "/dir/secrets.toml (cannot be looked at: %s), " SX_BAD "/other.toml (read)", why);
        CHECK_CONTAINS(err.message, want);
    }
    dconn_close(ctx);
    tu_rmrf(SX_BAD);
}

static void secrets_unreadable_file_is_an_error(void) {
    FILE *f;
    dconn_ctx *ctx;
    dconn_error err;
    int ran = 1;
    TU_POSIX_ONLY("a file made unreadable by POSIX mode bits (Windows keeps access in ACLs)");
    tu_rmrf(SX_BAD);
    tu_write_mode(SX_BAD "/locked.toml", "[v]\nk = 1\n", 0000);
    ctx = sx_open(SX_BAD "/locked.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    f = fopen(SX_BAD "/locked.toml", "rb");
    if (f) {
        fclose(f);
        /* running as root: permissions do not stop us... */
        CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
        dconn_close(ctx);   /* (before the fork: the child's leak check would see it) */
        /* ...but they stop a child without the capability to override them */
        ran = tu_run_unprivileged(sx_unreadable_body);
    } else {
        sx_unreadable_checks(ctx);
        dconn_close(ctx);
    }
    tu_rmrf(SX_BAD);
    if (!ran) dtest_skip("running as root, and the capability to read any file (CAP_DAC_OVERRIDE) could not be dropped: "
                         "an unreadable secrets file was not tried");
}

/* --- ${VAR} ---------------------------------------------------------------- */

#define SX_ENV TU_DIR "/secrets-env"

/* Windows' C runtime cannot hold an empty variable (setting "" removes
   it), so there ${SX_EMPTY} is unset and only the default form applies */
#ifdef TU_WINDOWS
#define SX_EMPTY_REF "${SX_EMPTY:-}"
#else
#define SX_EMPTY_REF "${SX_EMPTY}"
#endif

static void secrets_env_expansion_forms(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_ENV);
    setenv("SX_HOST", "db.internal", 1);
    setenv("SX_EMPTY", "", 1);
    setenv("SX_NESTED", "${SX_HOST}", 1);
    unsetenv("SX_UNSET");
    tu_write(SX_ENV "/s.toml",
             "[e]\n"
             "plain = \"${SX_HOST}\"\n"
             "mixed = \"postgresql://${SX_HOST}:5432/app\"\n"
             "twice = \"${SX_HOST}/${SX_HOST}\"\n"
             "unset_default = \"${SX_UNSET:-fallback}\"\n"
             "set_default = \"${SX_HOST:-fallback}\"\n"
             "empty_default = \"[${SX_UNSET:-}]\"\n"
             "empty_var_default = \"${SX_EMPTY:-used}\"\n"
             "empty_var = \"[" SX_EMPTY_REF "]\"\n"
             "literal = \"$${SX_HOST}\"\n"
             "lone = \"cost: $5 and $ and a$b $\"\n"
             "dollar_brace_end = \"x$\"\n"
             "not_recursive = \"${SX_NESTED}\"\n"
             "default_with_colon = \"${SX_UNSET:-a:b-c}\"\n"
             "in_array = [\"${SX_HOST}\", \"${SX_UNSET:-d}\"]\n"
             "number = 5\n"
             "[e.sub]\n"
             "deep = \"${SX_HOST}\"\n");
    ctx = sx_open(SX_ENV "/s.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_STR(tu_secret(ctx, "e.plain", ""), "db.internal");
    CHECK_STR(tu_secret(ctx, "e.mixed", ""), "postgresql://db.internal:5432/app");
    CHECK_STR(tu_secret(ctx, "e.twice", ""), "db.internal/db.internal");
    CHECK_STR(tu_secret(ctx, "e.unset_default", ""), "fallback");
    CHECK_STR(tu_secret(ctx, "e.set_default", ""), "db.internal");
    CHECK_STR(tu_secret(ctx, "e.empty_default", ""), "[]");
    CHECK_STR(tu_secret(ctx, "e.empty_var_default", ""), "used");
    CHECK_STR(tu_secret(ctx, "e.empty_var", ""), "[]");
    CHECK_STR(tu_secret(ctx, "e.literal", ""), "${SX_HOST}");
    CHECK_STR(tu_secret(ctx, "e.lone", ""), "cost: $5 and $ and a$b $");
    CHECK_STR(tu_secret(ctx, "e.dollar_brace_end", ""), "x$");
    CHECK_STR(tu_secret(ctx, "e.not_recursive", ""), "${SX_HOST}");
    CHECK_STR(tu_secret(ctx, "e.default_with_colon", ""), "a:b-c");
    CHECK_STR(tu_secret(ctx, "e.in_array.0", ""), "db.internal");
    CHECK_STR(tu_secret(ctx, "e.in_array.1", ""), "d");
    CHECK_STR(tu_secret(ctx, "e.sub.deep", ""), "db.internal");
    CHECK_EQ_INT(dconn_secret_int(ctx, "e.number", 0), 5);
    /* the value is read when the file is loaded, not at each lookup */
    setenv("SX_HOST", "changed", 1);
    CHECK_STR(tu_secret(ctx, "e.plain", ""), "db.internal");
    CHECK_EQ_INT(tu_log_lines, 0);
    dconn_close(ctx);
    unsetenv("SX_HOST");
    unsetenv("SX_EMPTY");
    unsetenv("SX_NESTED");
    tu_rmrf(SX_ENV);
}

/* Loads one file with `text` and expects dconn_secrets_check to fail
   with DCONN_ECONFIG and the message `want` (exact). */
static void sx_expect_env_error(const char *text, int line, const char *want) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_write(SX_ENV "/e.toml", text);
    ctx = sx_open(SX_ENV "/e.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ECONFIG);
    CHECK_STR(err.message, want);
    CHECK_STR(err.file, SX_ENV "/e.toml");
    CHECK_EQ_INT(err.line, line);
    /* getters: default, and the same message logged */
    tu_log_reset();
    CHECK_STR(tu_secret(ctx, "a.ok", "dflt"), "dflt");
    CHECK_CONTAINS(SX_LOG, want);
    dconn_close(ctx);
}

static void secrets_env_unterminated_is_an_error(void) {
    tu_rmrf(SX_ENV);
    setenv("SX_HOST", "db.internal", 1);
    sx_expect_env_error("[a]\nok = 1\nhost = \"x${SX_HOST\"\n", 3,
                        SX_ENV "/e.toml:3: unterminated \"${SX_HOST\": expected '}' (write $${ for a literal ${)");
    sx_expect_env_error("[a]\nhost = \"${SX_HOST:-never closed\"\n", 2,
                        SX_ENV "/e.toml:2: unterminated \"${SX_HOST\": expected '}' (write $${ for a literal ${)");
    sx_expect_env_error("[a]\n\n\nhost = \"a ${SX_HOST b}\"\n", 4,
                        SX_ENV "/e.toml:4: unterminated \"${SX_HOST\": expected '}' (write $${ for a literal ${)");
    /* nor in a string shaped like a URL with user info, or like key=value settings, under any key */
    sx_expect_env_error("[a]\nok = 1\nuri = \"mongodb://alice:Xq${Kq93LmZp@cluster0.example.net/db\"\n", 3,
                        SX_ENV "/e.toml:3: unterminated \"${...\": expected '}' (the name is not shown: the value may hold a password; "
                        "write $${ for a literal ${)");
    sx_expect_env_error("[a]\nok = 1\noptions = \"host=db password=ab${Kq93LmZp user=bob\"\n", 3,
                        SX_ENV "/e.toml:3: unterminated \"${...\": expected '}' (the name is not shown: the value may hold a password; "
                        "write $${ for a literal ${)");
    /* a url may hold a password that holds "${": its text is not quoted */
    sx_expect_env_error("[a]\nok = 1\nurl = \"postgresql://u:ab${cdefgh@host/db\"\n", 3,
                        SX_ENV "/e.toml:3: unterminated \"${...\": expected '}' (the name is not shown: the value may hold a password; "
                        "write $${ for a literal ${)");
    unsetenv("SX_HOST");
    tu_rmrf(SX_ENV);
}

/* A value that is not UTF-8 could not be TOML text: unusable as an unset
   one is, and named when used; the other connections work. */
static void secrets_env_not_utf8_is_an_error(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    TU_POSIX_ONLY("an environment variable holding bytes that are not UTF-8 (Windows keeps it in UTF-16)");
    tu_rmrf(SX_ENV);
    setenv("SX_BADUTF", "a\xff" "b", 1);
    tu_write(SX_ENV "/e.toml", "[connections.bad]\nurl = \"sqlite://\"\nhost = \"x${SX_BADUTF}\"\n"
                               "[connections.good]\nurl = \"sqlite://\"\n");
    ctx = sx_open(SX_ENV "/e.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    c = dconn_connect(ctx, "good", NULL, NULL, &err);
    CHECK(c != NULL);
    dconn_release(c);
    CHECK(dconn_connect(ctx, "bad", NULL, NULL, &err) == NULL);
    CHECK_STR(err.message, SX_ENV "/e.toml:3: connection \"bad\": environment variable SX_BADUTF is not valid UTF-8 (used as ${SX_BADUTF}); "
                           "set it as UTF-8");
    CHECK_EQ_INT(sx_describe(ctx, "bad", &err), DCONN_OK);
    CHECK_CONTAINS(SX_DESC, ", ${SX_BADUTF} is not UTF-8");
    dconn_close(ctx);
    unsetenv("SX_BADUTF");
    tu_rmrf(SX_ENV);
}

static void secrets_env_bad_name_is_an_error(void) {
    static const char *const bad[] = {"${}", "${9LIVES}", "${ SX}", "${-x}", "${.}"};
    size_t i;
    tu_rmrf(SX_ENV);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[200];
        snprintf(text, sizeof text, "[a]\nok = 1\n\nv = \"%s\"\n", bad[i]);
        sx_expect_env_error(text, 4,
                            SX_ENV "/e.toml:4: invalid variable name after \"${\" (use ${NAME}, with up to 127 letters, digits and _, not beginning with a digit; write $${ for a literal ${)");
    }
    tu_rmrf(SX_ENV);
}

/* An unset variable without default: file, line and variable, and no
   value (not even one expanded earlier in the same string). */
/* An unset ${VAR} without default is the error of whatever uses its
   value, naming the file, the line and the variable (never a value): the
   connection whose settings hold it, a getter of it. The other
   connections, the other secrets, dconn_secrets_check and describe work. */
static void secrets_env_unset_names_variable_not_value(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    dconn_connect_options co;
    tu_rmrf(SX_ENV);
    setenv("SX_PW", "hunter2-very-secret", 1);
    unsetenv("SX_MISSING");
    tu_write(SX_ENV "/e.toml",
             "top = \"${SX_MISSING}\"\n"
             "[connections.db]\n"
             "url = \"sqlite://\"\n"
             "password = \"${SX_PW}${SX_MISSING}\"\n"
             "[connections.dev]\n"
             "url = \"sqlite://\"\n"
             "[connections.args]\n"
             "url = \"sqlite://\"\n"
             "[connections.args.connect_args]\n"
             "timeout = \"${SX_MISSING}\"\n"
             "[connections.pw]\n"
             "url = \"postgresql://u:s3cr3tpw9@${SX_MISSING}/db\"\n"
             "other = \"s3cr3tpw9\"\n");
    ctx = sx_open(SX_ENV "/e.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    /* the connection that holds it */
    c = dconn_connect(ctx, "db", NULL, NULL, &err);
    CHECK(c == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_STR(err.message, SX_ENV "/e.toml:4: connection \"db\": environment variable SX_MISSING is not set (used as ${SX_MISSING}); "
                           "set it, or give a default: ${SX_MISSING:-value}");
    CHECK_STR(err.file, SX_ENV "/e.toml");
    CHECK_EQ_INT(err.line, 4);
    c = dconn_connect(ctx, "args", NULL, NULL, &err);
    CHECK(c == NULL);
    CHECK_STR(err.message, SX_ENV "/e.toml:10: connection \"args\": environment variable SX_MISSING is not set (used as ${SX_MISSING}); "
                           "set it, or give a default: ${SX_MISSING:-value}");
    /* a setting given in code replaces it: nothing is missing then */
    memset(&co, 0, sizeof co);
    co.settings = "password = 'given'";
    c = dconn_connect(ctx, "db", NULL, &co, &err);
    CHECK(c != NULL);
    dconn_release(c);
    /* the others */
    c = dconn_connect(ctx, "dev", NULL, NULL, &err);
    CHECK(c != NULL);
    dconn_release(c);
    /* a getter: the default, and the log says why */
    tu_log_reset();
    CHECK_STR(tu_secret(ctx, "top", "dflt"), "dflt");
    CHECK_STR(SX_LOG, "1 " SX_ENV "/e.toml:1: environment variable SX_MISSING is not set (used as ${SX_MISSING}); "
                      "set it, or give a default: ${SX_MISSING:-value}\n");
    /* describe shows the text as written, and what is missing */
    CHECK_EQ_INT(sx_describe(ctx, "db", &err), DCONN_OK);
    CHECK_STR(SX_DESC, "[connections.db]\n"
                       "url = \"sqlite://\"    # " SX_ENV "/e.toml:3\n"
                       "password = \"***\"    # " SX_ENV "/e.toml:4, ${SX_MISSING} is not set\n");
    CHECK_EQ_INT(sx_describe(ctx, NULL, &err), DCONN_OK);
    CHECK_CONTAINS(SX_DESC, "top = \"***\"    # " SX_ENV "/e.toml:1, ${SX_MISSING} is not set\n");   /* outside [connections]: masked */
    CHECK_NOT_CONTAINS(SX_LOG, "hunter2");
    CHECK_NOT_CONTAINS(SX_DESC, "hunter2");
    /* a password beside the unset variable is still a known secret, masked wherever it shows */
    CHECK_CONTAINS(SX_DESC, "url = \"postgresql://u:***@${SX_MISSING}/db\"");
    CHECK_CONTAINS(SX_DESC, "other = \"***\"");
    CHECK_NOT_CONTAINS(SX_DESC, "s3cr3tpw9");
    {   /* the TOML getters read it as none, a missing value */
        dconn_secrets *held = dconn_secrets_hold(ctx, &err);
        REQUIRE(held);
        CHECK_EQ_INT(dconn_toml_type_of(dconn_secrets_get(held, "top")), DCONN_TOML_NONE);
        CHECK(dconn_toml_string(dconn_secrets_get(held, "top"), NULL) == NULL);
        CHECK_EQ_INT(dconn_toml_string_len(dconn_secrets_get(held, "top")), 0);
        CHECK_EQ_INT(dconn_toml_type_of(dconn_secrets_get(held, "connections.dev.url")), DCONN_TOML_STRING);
        dconn_secrets_release(held);
    }
    /* set now, but the file was read without it: the message says so */
    setenv("SX_MISSING", "now", 1);
    c = dconn_connect(ctx, "db", NULL, NULL, &err);
    CHECK(c == NULL);
    CHECK_STR(err.message, SX_ENV "/e.toml:4: connection \"db\": an environment variable it names was not set when the secrets were read; "
                           "set it, or give a default: ${NAME:-value}");
    unsetenv("SX_MISSING");
    dconn_close(ctx);
    unsetenv("SX_PW");
    tu_rmrf(SX_ENV);
}

/* Values substituted from the environment never show in describe for
   secret keys or URL passwords, nor in error messages. */
static void secrets_env_values_never_shown(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    tu_rmrf(SX_ENV);
    setenv("SX_PW", "hunter2pw", 1);
    setenv("SX_TOKEN", "tok-123-abc", 1);
    setenv("SX_NOTURL", "n0t-a-url", 1);
    tu_write(SX_ENV "/s.toml",
             "[connections.pg]\n"
             "url = \"postgresql://me:${SX_PW}@db.example.com:5432/app?sslmode=require&password=${SX_PW}\"\n"
             "password = \"${SX_PW}\"\n"
             "token = \"${SX_TOKEN}\"\n"
             "client_secret = \"${SX_TOKEN}\"\n"
             "API_KEY = \"${SX_TOKEN}\"\n"
             "[connections.pg.connect_args]\n"
             "db_password = \"${SX_PW}\"\n"
             "[connections.lite]\n"
             "url = \"sqlite://me:${SX_PW}@somehost/x.db\"\n"
             "[connections.notaurl]\n"
             "url = \"${SX_NOTURL}\"\n");
    ctx = sx_open(SX_ENV "/s.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(sx_describe(ctx, "pg", &err), DCONN_OK);
    CHECK_NOT_CONTAINS(SX_DESC, "hunter2pw");
    CHECK_NOT_CONTAINS(SX_DESC, "tok-123-abc");
    CHECK_CONTAINS(SX_DESC, "url = \"postgresql://me:***@db.example.com:5432/app?sslmode=require&password=***\"    # " SX_ENV "/s.toml:2\n");
    CHECK_CONTAINS(SX_DESC, "password = \"***\"    # " SX_ENV "/s.toml:3\n");
    CHECK_CONTAINS(SX_DESC, "token = \"***\"    # " SX_ENV "/s.toml:4\n");
    CHECK_CONTAINS(SX_DESC, "client_secret = \"***\"    # " SX_ENV "/s.toml:5\n");
    CHECK_CONTAINS(SX_DESC, "API_KEY = \"***\"    # " SX_ENV "/s.toml:6\n");
    CHECK_CONTAINS(SX_DESC, "db_password = \"***\"    # " SX_ENV "/s.toml:8\n");
    CHECK_EQ_INT(sx_describe(ctx, NULL, &err), DCONN_OK);
    CHECK_NOT_CONTAINS(SX_DESC, "hunter2pw");
    CHECK_NOT_CONTAINS(SX_DESC, "tok-123-abc");
    CHECK_CONTAINS(SX_DESC, "[connections.notaurl]\n");
    /* but the getters return the real values: they are the application's */
    CHECK_STR(tu_secret(ctx, "connections.pg.password", ""), "hunter2pw");

    /* errors that involve such a value never include it */
    c = dconn_connect(ctx, "lite", NULL, NULL, &err);
    CHECK(c == NULL);
    CHECK(err.code != DCONN_OK);
    CHECK_NOT_CONTAINS(err.message, "hunter2pw");
    CHECK_CONTAINS(err.message, "sqlite://me:***@somehost/x.db");
    c = dconn_connect(ctx, "notaurl", NULL, NULL, &err);
    CHECK(c == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_NOT_CONTAINS(err.message, "n0t-a-url");
    CHECK_CONTAINS(err.message, SX_ENV "/s.toml:12");
    c = dconn_connect(ctx, "pg", NULL, NULL, &err);
    CHECK(c == NULL);
    CHECK_NOT_CONTAINS(err.message, "hunter2pw");
    CHECK_NOT_CONTAINS(SX_LOG, "hunter2pw");
    CHECK_NOT_CONTAINS(SX_LOG, "tok-123-abc");
    dconn_close(ctx);
    unsetenv("SX_PW");
    unsetenv("SX_TOKEN");
    unsetenv("SX_NOTURL");
    tu_rmrf(SX_ENV);
}

/* --- permissions ---------------------------------------------------------- */

#define SX_PERM TU_DIR "/secrets-perm"

static void secrets_permissions_warn_when_readable_by_others(void) {
    dconn_ctx *ctx;
    dconn_error err;
    TU_POSIX_ONLY("the group/world-readable warning reads POSIX mode bits; Windows keeps access in ACLs");
    tu_rmrf(SX_PERM);
    tu_write_mode(SX_PERM "/open.toml", "[v]\nk = 1\n", 0644);
    tu_write_mode(SX_PERM "/group.toml", "[v]\ng = 1\n", 0640);
    ctx = sx_open(SX_PERM "/open.toml" TU_LIST_SEP SX_PERM "/group.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    CHECK_STR(SX_LOG,
              "2 secrets file " SX_PERM "/open.toml is readable by group or others (mode 644): run chmod 600 " SX_PERM "/open.toml\n"
              "2 secrets file " SX_PERM "/group.toml is readable by group or others (mode 640): run chmod 600 " SX_PERM "/group.toml\n");
    dconn_close(ctx);
    tu_rmrf(SX_PERM);
}

static void secrets_permissions_quiet_when_private(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_PERM);
    tu_write_mode(SX_PERM "/private.toml", "[v]\nk = 1\n", 0600);
    tu_write_mode(SX_PERM "/readonly.toml", "[v]\nr = 1\n", 0400);
    ctx = sx_open(SX_PERM "/private.toml" TU_LIST_SEP SX_PERM "/readonly.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.r", 0), 1);
    CHECK_EQ_INT(tu_log_lines, 0);
    CHECK_STR(SX_LOG, "");
    dconn_close(ctx);
    tu_rmrf(SX_PERM);
}

/* --- reload ------------------------------------------------------------------ */

#define SX_REL TU_DIR "/secrets-reload"
#define SX_SEC INT64_C(1000000000)

static void secrets_reload_after_interval(void) {
    dconn_ctx *ctx;
    int64_t t0;
    tu_rmrf(SX_REL);
    tu_write(SX_REL "/s.toml", "[v]\nk = 1\n");
    ctx = sx_open(SX_REL "/s.toml", NULL, NULL, "1s");
    REQUIRE(ctx);
    t0 = tu_now;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    tu_write(SX_REL "/s.toml", "[v]\nk = 22\n");
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    tu_now = t0 + SX_SEC - 1;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    tu_now = t0 + SX_SEC;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 22);
    CHECK_CONTAINS(SX_LOG, "3 secrets files changed: reloaded\n");
    /* the next check is one interval after the last one */
    tu_write(SX_REL "/s.toml", "[v]\nk = 333\n");
    tu_now = t0 + 2 * SX_SEC - 1;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 22);
    tu_now = t0 + 2 * SX_SEC;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 333);
    dconn_close(ctx);
    tu_rmrf(SX_REL);
}

static void secrets_reload_every_call_with_zero(void) {
    dconn_ctx *ctx;
    tu_rmrf(SX_REL);
    tu_write(SX_REL "/s.toml", "[v]\nk = 1\n");
    ctx = sx_open(SX_REL "/s.toml", NULL, NULL, "0");
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    tu_write(SX_REL "/s.toml", "[v]\nk = 22\n");
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 22);
    sx_replace(SX_REL "/s.toml", "[v]\nk = 23\n");   /* same size, new inode */
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 23);
    /* no change: no reload, no log */
    tu_log_reset();
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 23);
    CHECK_EQ_INT(tu_log_lines, 0);
    dconn_close(ctx);
    tu_rmrf(SX_REL);
}

static void secrets_reload_never(void) {
    dconn_ctx *ctx;
    tu_rmrf(SX_REL);
    tu_write(SX_REL "/s.toml", "[v]\nk = 1\n");
    ctx = sx_open(SX_REL "/s.toml" TU_LIST_SEP SX_REL "/later.toml", NULL, NULL, "never");
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    tu_write(SX_REL "/s.toml", "[v]\nk = 22\n");
    tu_write(SX_REL "/later.toml", "[v]\nl = 1\n");
    tu_now += 3600 * SX_SEC;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.l", 0), 0);
    CHECK_EQ_INT(tu_log_lines, 0);
    dconn_close(ctx);
    tu_rmrf(SX_REL);
}

/* A file that appears after start-up is read; one that goes away stops
   contributing. */
static void secrets_reload_file_created_and_removed(void) {
    dconn_ctx *ctx;
    int exists[2];
    tu_rmrf(SX_REL);
    tu_write(SX_REL "/base.toml", "[v]\nk = 1\n");
    ctx = sx_open(SX_REL "/base.toml" TU_LIST_SEP SX_REL "/local.toml", NULL, NULL, "1s");
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    CHECK_EQ_INT(dconn_secrets_files(ctx, NULL, exists, 2), 2);
    CHECK_EQ_INT(exists[1], 0);
    tu_write(SX_REL "/local.toml", "[v]\nk = 2\n");
    tu_now += SX_SEC;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 2);
    CHECK_EQ_INT(dconn_secrets_files(ctx, NULL, exists, 2), 2);
    CHECK_EQ_INT(exists[1], 1);
    remove(SX_REL "/local.toml");
    tu_now += SX_SEC;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    dconn_close(ctx);
    tu_rmrf(SX_REL);
}

/* A bad edit keeps the last good secrets and logs why; a good edit later
   is picked up. */
static void secrets_reload_bad_edit_keeps_last_good(void) {
    dconn_ctx *ctx;
    const char *held;
    tu_rmrf(SX_REL);
    unsetenv("SX_NOT_SET_ANYWHERE");
    tu_write(SX_REL "/s.toml", "[v]\nk = 1\ns = \"one\"\n");
    ctx = sx_open(SX_REL "/s.toml", NULL, NULL, "1s");
    REQUIRE(ctx);
    held = tu_secret(ctx, "v.s", "");
    CHECK_STR(held, "one");
    tu_write(SX_REL "/s.toml", "[v]\nk = 2\ns = \"two\"\nbroken =\n");
    tu_now += SX_SEC;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    CHECK_STR(tu_secret(ctx, "v.s", ""), "one");
    CHECK(strncmp(SX_LOG, "1 " SX_REL "/s.toml:4:", strlen("1 " SX_REL "/s.toml:4:")) == 0);
    CHECK_CONTAINS(SX_LOG, "(keeping the secrets loaded before)\n");
    CHECK_EQ_INT(tu_log_lines, 1);
    /* logged once, not at every call */
    tu_now += SX_SEC;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    CHECK_EQ_INT(tu_log_lines, 1);
    /* an edit naming an unset variable is read: that value alone is missing (the default, and the log says why) */
    tu_log_reset();
    tu_write(SX_REL "/s.toml", "[v]\nk = 3\ns = \"${SX_NOT_SET_ANYWHERE}\"\n");
    tu_now += SX_SEC;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 3);
    CHECK_STR(tu_secret(ctx, "v.s", "dflt"), "dflt");
    CHECK_STR(SX_LOG, "3 secrets files changed: reloaded\n"
                      "1 " SX_REL "/s.toml:3: environment variable SX_NOT_SET_ANYWHERE is not set (used as ${SX_NOT_SET_ANYWHERE}); "
                      "set it, or give a default: ${SX_NOT_SET_ANYWHERE:-value}\n");
    /* the good edit */
    tu_log_reset();
    tu_write(SX_REL "/s.toml", "[v]\nk = 4444\ns = \"four\"\n");
    tu_now += SX_SEC;
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 4444);
    CHECK_STR(tu_secret(ctx, "v.s", ""), "four");
    CHECK_STR(SX_LOG, "3 secrets files changed: reloaded\n");
    /* strings handed out before stay valid until dconn_close */
    CHECK_STR(held, "one");
    dconn_close(ctx);
    tu_rmrf(SX_REL);
}

/* dconn_secrets_check reports a bad file as an error even when good
   secrets were loaded before (the getters keep serving those). */
static void secrets_check_reports_bad_edit(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_REL);
    tu_write(SX_REL "/s.toml", "[v]\nk = 1\n");
    ctx = sx_open(SX_REL "/s.toml", NULL, NULL, "0");
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    tu_write(SX_REL "/s.toml", "[v]\nk = = 2\n");
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ETOML);
    CHECK_CONTAINS(err.message, SX_REL "/s.toml:2:5: ");
    CHECK_EQ_INT(dconn_secret_int(ctx, "v.k", 0), 1);
    dconn_close(ctx);
    tu_rmrf(SX_REL);
}

/* dconn_secrets_check with nothing changed neither claims a reload nor
   keeps another copy of the secrets alive. */
static void secrets_check_unchanged_is_quiet(void) {
    dconn_ctx *ctx;
    dconn_error err;
    long live;
    int i;
    tu_rmrf(SX_REL);
    tu_write(SX_REL "/s.toml", "[v]\nk = 1\n[w]\nx = \"y\"\n");
    ctx = sx_open(SX_REL "/s.toml", NULL, NULL, "0");
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    live = talloc_live_blocks();
    tu_log_reset();
    for (i = 0; i < 5; i++) CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_NOT_CONTAINS(SX_LOG, "reloaded");
    CHECK_EQ_INT(talloc_live_blocks(), live);
    dconn_close(ctx);
    tu_rmrf(SX_REL);
}

/* --- reload and connections ------------------------------------------------- */

#define SX_RC TU_DIR "/secrets-reconnect"

/* A connection whose section changed is reset onto the new settings and
   its cached results dropped; an unchanged one keeps its cache. */
/* A query_ttl changed in the secrets applies from the reload on. */
static void secrets_reload_applies_new_query_ttl(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    dconn_cache_stats cs;
    dconn_options o = tu_options(SX_RC "/ttl.toml");
    tu_rmrf(SX_RC);
    REQUIRE(sx_make_db(SX_RC "/a.db", "from-a", NULL));
    o.data_check_interval = "never";   /* the database was just written: its checks would drop results too */
    tu_write(SX_RC "/ttl.toml", "[connections.t]\nurl = \"sqlite:///" SX_RC "/a.db\"\nquery_ttl = \"1h\"\n");
    ctx = dconn_open(&o, &err);
    REQUIRE(ctx);
    c = dconn_connect(ctx, "t", NULL, NULL, &err);
    REQUIRE(c);
    CHECK_STR(sx_query_text(c, "SELECT v FROM t", &err), "from-a");
    sx_replace(SX_RC "/ttl.toml", "[connections.t]\nurl = \"sqlite:///" SX_RC "/a.db\"\nquery_ttl = \"2s\"\n");
    CHECK_STR(sx_query_text(c, "SELECT v FROM t", &err), "from-a");   /* the reload: a miss, cached for 2 s */
    tu_now += INT64_C(1000000000);
    CHECK_STR(sx_query_text(c, "SELECT v FROM t", &err), "from-a");   /* a hit */
    tu_now += INT64_C(1500000000);
    CHECK_STR(sx_query_text(c, "SELECT v FROM t", &err), "from-a");   /* 2.5 s: expired, a miss */
    dconn_cache_stats_get(ctx, &cs);
    CHECK_EQ_INT(cs.hits, 1);
    CHECK_EQ_INT(cs.misses, 3);
    CHECK_EQ_INT(cs.expirations, 1);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(SX_RC);
}

static void secrets_reload_resets_changed_connection(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *mv, *keep;
    dconn_cache_stats cs;
    dconn_result *r;
    tu_rmrf(SX_RC);
    REQUIRE(sx_make_db(SX_RC "/a.db", "from-a", NULL));
    REQUIRE(sx_make_db(SX_RC "/b.db", "from-b", "CREATE TABLE only_b(x INTEGER); INSERT INTO only_b VALUES (7);"));
    REQUIRE(sx_make_db(SX_RC "/c.db", "from-c", NULL));
    tu_write(SX_RC "/s.toml",
             "[connections.move]\nurl = \"sqlite:///" SX_RC "/a.db\"\n"
             "[connections.keep]\nurl = \"sqlite:///" SX_RC "/c.db\"\n");
    ctx = sx_open(SX_RC "/s.toml", NULL, NULL, "0");
    REQUIRE(ctx);
    mv = dconn_connect(ctx, "move", NULL, NULL, &err);
    if (!mv) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(mv);
    keep = dconn_connect(ctx, "keep", NULL, NULL, &err);
    REQUIRE(keep);
    CHECK_STR(sx_query_text(mv, "SELECT v FROM t", &err), "from-a");
    CHECK_STR(sx_query_text(mv, "SELECT v FROM t", &err), "from-a");
    CHECK_STR(sx_query_text(keep, "SELECT v FROM t", &err), "from-c");
    dconn_cache_stats_get(ctx, &cs);
    CHECK_EQ_INT(cs.hits, 1);
    CHECK_EQ_INT(cs.misses, 2);
    r = dconn_query(mv, "SELECT * FROM only_b", NULL, 0, NULL, &err);
    CHECK(r == NULL);
    dconn_result_release(r);

    tu_log_reset();
    /* same size as before: a new inode makes the edit visible */
    sx_replace(SX_RC "/s.toml",
             "[connections.move]\nurl = \"sqlite:///" SX_RC "/b.db\"\n"
             "[connections.keep]\nurl = \"sqlite:///" SX_RC "/c.db\"\n");
    /* the same handle now reads b.db; a.db's cached row is not served */
    CHECK_STR(sx_query_text(mv, "SELECT v FROM t", &err), "from-b");
    CHECK_CONTAINS(SX_LOG, "3 connection \"move\": settings changed in the secrets; reconnecting\n");
    CHECK_NOT_CONTAINS(SX_LOG, "connection \"keep\"");
    r = dconn_query(mv, "SELECT x FROM only_b", NULL, 0, NULL, &err);
    if (!r) fprintf(stdout, "  %s\n", err.message);
    CHECK(r != NULL);
    if (r) {
        int64_t x = 0;
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &x), DCONN_OK);
        CHECK_EQ_INT(x, 7);
    }
    dconn_result_release(r);
    CHECK(strstr(tu_conn_url(mv), "b.db") != NULL);
    /* the unchanged connection still works and its entry is still cached */
    dconn_cache_stats_get(ctx, &cs);
    {
        uint64_t hits = cs.hits, misses = cs.misses;
        CHECK_STR(sx_query_text(keep, "SELECT v FROM t", &err), "from-c");
        dconn_cache_stats_get(ctx, &cs);
        CHECK_EQ_INT(cs.hits, hits + 1);
        CHECK_EQ_INT(cs.misses, misses);
    }
    dconn_release(mv);
    dconn_release(keep);
    dconn_close(ctx);
    tu_rmrf(SX_RC);
}

/* Two names whose settings were equal share one connection. When one's
   section changes, the twin whose section did not change keeps reading
   its own database (the shared connection stays put and says why), and
   connecting again by the changed name gives the new settings. */
static void secrets_reload_keeps_unchanged_twin(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *one, *two, *one_again;
    tu_rmrf(SX_RC);
    REQUIRE(sx_make_db(SX_RC "/a.db", "from-a", NULL));
    REQUIRE(sx_make_db(SX_RC "/b.db", "from-b", NULL));
    tu_write(SX_RC "/s.toml",
             "[connections.one]\nurl = \"sqlite:///" SX_RC "/a.db\"\n"
             "[connections.two]\nurl = \"sqlite:///" SX_RC "/a.db\"\n");
    ctx = sx_open(SX_RC "/s.toml", NULL, NULL, "0");
    REQUIRE(ctx);
    one = dconn_connect(ctx, "one", NULL, NULL, &err);
    REQUIRE(one);
    two = dconn_connect(ctx, "two", NULL, NULL, &err);
    REQUIRE(two);
    CHECK_STR(sx_query_text(two, "SELECT v FROM t", &err), "from-a");
    tu_log_reset();
    sx_replace(SX_RC "/s.toml",
             "[connections.one]\nurl = \"sqlite:///" SX_RC "/b.db\"\n"
             "[connections.two]\nurl = \"sqlite:///" SX_RC "/a.db\"\n");
    CHECK_STR(sx_query_text(two, "SELECT v FROM t", &err), "from-a");
    CHECK_CONTAINS(SX_LOG, "whose settings now differ");
    one_again = dconn_connect(ctx, "one", NULL, NULL, &err);
    REQUIRE(one_again);
    CHECK_STR(sx_query_text(one_again, "SELECT v FROM t", &err), "from-b");
    CHECK_STR(sx_query_text(two, "SELECT v FROM t", &err), "from-a");
    /* both moved to memory: each name would have its own database, so the shared one stays put and says why */
    tu_log_reset();
    sx_replace(SX_RC "/s.toml", "[connections.one]\nurl = \"sqlite://\"\n[connections.two]\nurl = \"sqlite://\"\n");
    CHECK_STR(sx_query_text(two, "SELECT v FROM t", &err), "from-a");
    CHECK_CONTAINS(SX_LOG, "the new settings give each name an in-memory database of its own: it keeps its old settings");
    dconn_release(one_again);
    dconn_release(one);
    dconn_release(two);
    dconn_close(ctx);
    tu_rmrf(SX_RC);
}

/* A section that disappears on reload: the connection keeps its old
   settings and a warning says so. */
static void secrets_reload_removed_section_keeps_connection(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    tu_rmrf(SX_RC);
    REQUIRE(sx_make_db(SX_RC "/a.db", "from-a", NULL));
    tu_write(SX_RC "/s.toml", "[connections.gone]\nurl = \"sqlite:///" SX_RC "/a.db\"\n");
    ctx = sx_open(SX_RC "/s.toml", NULL, NULL, "0");
    REQUIRE(ctx);
    c = dconn_connect(ctx, "gone", NULL, NULL, &err);
    REQUIRE(c);
    tu_log_reset();
    tu_write(SX_RC "/s.toml", "[connections.other]\nurl = \"sqlite://\"\n");
    CHECK_STR(sx_query_text(c, "SELECT v FROM t", &err), "from-a");
    CHECK_CONTAINS(SX_LOG, "2 after the secrets changed, connection \"gone\" keeps its old settings: no connection named \"gone\"");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(SX_RC);
}

/* --- describe ---------------------------------------------------------------- */

#define SX_DSC TU_DIR "/secrets-describe"

static void secrets_describe_masks_secrets(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_DSC);
    tu_write(SX_DSC "/s.toml",
             "[connections.pg]\n"                                             /* 1 */
             "url = \"postgresql://me:pa55word@h/db\"\n"                      /* 2 */
             "password = \"pa55word\"\n"                                      /* 3 */
             "Password = 12345\n"                                             /* 4 */
             "auth_token = \"t0ken\"\n"                                       /* 5 */
             "secret = \"s3cret\"\n"                                          /* 6 */
             "username = \"me\"\n"                                            /* 7 */
             "replicas = [\"postgresql://ro:r3pl1ca@r1/db\", \"plain\"]\n"    /* 8 */
             "secret_list = [\"x1y2\", 9]\n"                                  /* 9 */
             "quote = \"a \\\"b\\\" \\\\ c\"\n"                               /* 10 */
             "[connections.pg.query]\n"                                       /* 11 */
             "sslmode = \"require\"\n"                                        /* 12 */
             "pwd = \"pw-in-table\"\n"                                        /* 13 */
             "inline = { user = \"u\", passwd = \"inl1ne\" }\n");             /* 14 */
    ctx = sx_open(SX_DSC "/s.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(sx_describe(ctx, "pg", &err), DCONN_OK);
    CHECK_STR(SX_DESC,
              "[connections.pg]\n"
              "url = \"postgresql://me:***@h/db\"    # " SX_DSC "/s.toml:2\n"
              "password = \"***\"    # " SX_DSC "/s.toml:3\n"
              "Password = \"***\"    # " SX_DSC "/s.toml:4\n"
              "auth_token = \"***\"    # " SX_DSC "/s.toml:5\n"
              "secret = \"***\"    # " SX_DSC "/s.toml:6\n"
              "username = \"me\"    # " SX_DSC "/s.toml:7\n"
              "replicas = [\"postgresql://ro:***@r1/db\", \"plain\"]    # " SX_DSC "/s.toml:8\n"
              "secret_list = [\"***\", \"***\"]    # " SX_DSC "/s.toml:9\n"
              "quote = \"a \\\"b\\\" \\\\ c\"    # " SX_DSC "/s.toml:10\n"
              "\n[connections.pg.query]\n"
              "sslmode = \"require\"    # " SX_DSC "/s.toml:12\n"
              "pwd = \"***\"    # " SX_DSC "/s.toml:13\n"
              "\n[connections.pg.query.inline]\n"
              "user = \"u\"    # " SX_DSC "/s.toml:14\n"
              "passwd = \"***\"    # " SX_DSC "/s.toml:14\n");
    CHECK_NOT_CONTAINS(SX_DESC, "pa55word");
    CHECK_NOT_CONTAINS(SX_DESC, "12345");
    CHECK_NOT_CONTAINS(SX_DESC, "t0ken");
    CHECK_NOT_CONTAINS(SX_DESC, "s3cret");
    CHECK_NOT_CONTAINS(SX_DESC, "r3pl1ca");
    CHECK_NOT_CONTAINS(SX_DESC, "x1y2");
    CHECK_NOT_CONTAINS(SX_DESC, "inl1ne");
    dconn_close(ctx);
    tu_rmrf(SX_DSC);
}

/* A long key that ends in "password" is still a password. */
static void secrets_describe_masks_long_secret_key(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_DSC);
    tu_write(SX_DSC "/s.toml",
             "[connections.x]\n"
             "the_reporting_replica_in_the_secondary_region_for_nightly_jobs_password = \"l0ngk3y\"\n");
    ctx = sx_open(SX_DSC "/s.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(sx_describe(ctx, "x", &err), DCONN_OK);
    CHECK_CONTAINS(SX_DESC, "_password = \"***\"");
    CHECK_NOT_CONTAINS(SX_DESC, "l0ngk3y");
    dconn_close(ctx);
    tu_rmrf(SX_DSC);
}

/* An app's own secrets beside its connections (Streamlit keeps API keys
   at the top level, under keys that say nothing): describing all secrets
   shows none of their values, wherever they sit outside [connections]. */
static void secrets_describe_all_hides_app_secrets(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_DSC);
    tu_write(SX_DSC "/a.toml",
             "hf = \"hf_HuggingFaceQQQQ\"\n"
             "slack = \"https://hooks.slack.com/services/T000/B000/SlackSSSS\"\n"
             "curl = \"curl -H 'Authorization: Bearer BearerTokenF1234'\"\n"
             "ids = [\"sk_live_StripeRRRR\", 12345678]\n"
             "debug = true\n"
             "[stripe]\nsk = \"sk_live_StripeSSSS\"\n"
             "[connections.db]\nurl = \"sqlite:///x.db\"\n");
    ctx = sx_open(SX_DSC "/a.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(sx_describe(ctx, NULL, &err), DCONN_OK);
    CHECK_NOT_CONTAINS(SX_DESC, "QQQQ");
    CHECK_NOT_CONTAINS(SX_DESC, "SlackSSSS");
    CHECK_NOT_CONTAINS(SX_DESC, "BearerTokenF1234");
    CHECK_NOT_CONTAINS(SX_DESC, "RRRR");
    CHECK_NOT_CONTAINS(SX_DESC, "12345678");
    CHECK_NOT_CONTAINS(SX_DESC, "StripeSSSS");
    CHECK_CONTAINS(SX_DESC, "hf = \"***\"    # ");
    CHECK_CONTAINS(SX_DESC, "ids = [\"***\", \"***\"]    # ");
    CHECK_CONTAINS(SX_DESC, "debug = true    # ");
    CHECK_CONTAINS(SX_DESC, "[stripe]\nsk = \"***\"    # ");
    CHECK_CONTAINS(SX_DESC, "[connections.db]\nurl = \"sqlite:///x.db\"    # ");
    dconn_close(ctx);
    tu_rmrf(SX_DSC);
}

/* All secrets (name NULL), merged from two files. */
static void secrets_describe_all(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_DSC);
    tu_write(SX_DSC "/a.toml", "top = \"t\"\n[connections.a]\nurl = \"sqlite://\"\n[other]\nn = 1.5\nb = true\n");
    tu_write(SX_DSC "/b.toml", "[connections.b]\ntoken = \"zzz\"\nwhen = 1979-05-27\n[other]\nb = false\n[empty]\n");
    ctx = sx_open(SX_DSC "/a.toml" TU_LIST_SEP SX_DSC "/b.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(sx_describe(ctx, NULL, &err), DCONN_OK);
    /* outside [connections] (an app's own API keys and tokens) every value
       but a boolean is masked: the keys and where each was read stay */
    CHECK_STR(SX_DESC,
              "top = \"***\"    # " SX_DSC "/a.toml:1\n"
              "\n[connections.a]\n"
              "url = \"sqlite://\"    # " SX_DSC "/a.toml:3\n"
              "\n[connections.b]\n"
              "token = \"***\"    # " SX_DSC "/b.toml:2\n"
              "when = 1979-05-27    # " SX_DSC "/b.toml:3\n"
              "\n[other]\n"
              "n = \"***\"    # " SX_DSC "/a.toml:5\n"
              "b = false    # " SX_DSC "/b.toml:5\n"
              "\n[empty]\n");
    dconn_close(ctx);

    /* no files: an empty description, not an error */
    ctx = sx_open(SX_DSC "/none.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(sx_describe(ctx, NULL, &err), DCONN_OK);
    CHECK_STR(SX_DESC, "");
    dconn_close(ctx);
    tu_rmrf(SX_DSC);
}

/* Two TOML values equal in type and content, tables key by key in order
   (describe writes keys in their order). */
static int sx_toml_same(const dconn_toml_value *a, const dconn_toml_value *b) {
    dconn_toml_type t = dconn_toml_type_of(a);
    size_t i, n;
    if (!a || !b || t != dconn_toml_type_of(b)) return 0;
    switch (t) {
        case DCONN_TOML_STRING:
            return dconn_toml_string_len(a) == dconn_toml_string_len(b) && memcmp(dconn_toml_string(a, ""), dconn_toml_string(b, ""), dconn_toml_string_len(a)) == 0;
        case DCONN_TOML_INTEGER: return dconn_toml_int(a, 0) == dconn_toml_int(b, 1);
        case DCONN_TOML_FLOAT: {
            double x = dconn_toml_float(a, 0), y = dconn_toml_float(b, 1);
            return (x != x && y != y) || (x == y && signbit(x) == signbit(y));
        }
        case DCONN_TOML_BOOL: return dconn_toml_bool(a, 0) == dconn_toml_bool(b, 1);
        case DCONN_TOML_ARRAY:
        case DCONN_TOML_TABLE:
            n = dconn_toml_count(a);
            if (n != dconn_toml_count(b)) return 0;
            for (i = 0; i < n; i++) {
                if (t == DCONN_TOML_TABLE && (dconn_toml_key_len(a, i) != dconn_toml_key_len(b, i) ||
                                              memcmp(dconn_toml_key_at(a, i), dconn_toml_key_at(b, i), dconn_toml_key_len(a, i)) != 0))
                    return 0;
                if (!sx_toml_same(dconn_toml_at(a, i), dconn_toml_at(b, i))) return 0;
            }
            return 1;
        default: {
            dconn_toml_datetime x, y;
            return dconn_toml_datetime_get(a, &x) && dconn_toml_datetime_get(b, &y) && memcmp(&x, &y, sizeof x) == 0;
        }
    }
}

/* What describe writes parses back to the same values: keys that need
   quotes (in headers, in inline tables), date-times with their fraction
   and offset, escapes, special floats. */
static void secrets_describe_reads_back(void) {
    static const char text[] =
        "[connections.\"my.db\"]\n"
        "url = \"sqlite:///x.db\"\n"
        "s = \"tab\\there \\\"quoted\\\" back\\\\slash \\u00e9\"\n"
        "del = \"a\\u007Fb\\u0001c\"\n"
        "i = -9223372036854775808\n"
        "f = [1e300, -0.0, 0.1, inf, -inf, nan]\n"
        "b = [true, false]\n"
        "arr = [{ \"a b\" = 1, \"x.y\" = 2, plain = \"p\" }]\n"
        "odt = 1979-05-27T00:32:00.999999-07:00\n"
        "utc = 1979-05-27T07:32:00Z\n"
        "half = 1979-05-27T00:32:00.5+05:30\n"
        "ldt = 1979-05-27T07:32:00.123\n"
        "ld = 1979-05-27\n"
        "lt = 07:32:00.5\n"
        "nanos = 07:32:00.000000001\n"
        "[connections.\"my.db\".\"sub table\"]\n"
        "k = 1\n";
    dconn_ctx *ctx;
    dconn_error err;
    dconn_toml_doc *want, *got;
    tu_rmrf(SX_DSC);
    tu_write(SX_DSC "/r.toml", text);
    want = dconn_toml_parse(text, sizeof text - 1, "r.toml", &err);
    REQUIRE(want);
    ctx = sx_open(SX_DSC "/r.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    /* the one section, by its name: its header quotes the dot */
    CHECK_EQ_INT(sx_describe(ctx, "my.db", &err), DCONN_OK);
    CHECK(strncmp(sx_desc, "[connections.\"my.db\"]\n", 22) == 0);
    got = dconn_toml_parse(sx_desc, strlen(sx_desc), "described", &err);
    if (!got) fprintf(stdout, "  %s\n%s\n", err.message, sx_desc);
    CHECK(got != NULL);
    if (got) CHECK(sx_toml_same(dconn_toml_root(want), dconn_toml_root(got)));
    dconn_toml_free(got);
    /* and everything */
    CHECK_EQ_INT(sx_describe(ctx, NULL, &err), DCONN_OK);
    got = dconn_toml_parse(sx_desc, strlen(sx_desc), "described", &err);
    if (!got) fprintf(stdout, "  %s\n%s\n", err.message, sx_desc);
    CHECK(got != NULL);
    if (got) CHECK(sx_toml_same(dconn_toml_root(want), dconn_toml_root(got)));
    dconn_toml_free(got);
    dconn_close(ctx);
    dconn_toml_free(want);
    tu_rmrf(SX_DSC);
}

/* "env:VAR" names the section as dconn_connect reads it */
static void secrets_describe_env_name(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_DSC);
    tu_write(SX_DSC "/e.toml", "[connections.local]\nurl = \"sqlite:///l.db\"\n");
    ctx = sx_open(SX_DSC "/e.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    setenv("SX_DESCRIBE_CONN", "local", 1);
    CHECK_EQ_INT(sx_describe(ctx, "env:SX_DESCRIBE_CONN", &err), DCONN_OK);
    CHECK_STR(SX_DESC, "[connections.local]\nurl = \"sqlite:///l.db\"    # " SX_DSC "/e.toml:2\n");
    unsetenv("SX_DESCRIBE_CONN");
    CHECK_EQ_INT(sx_describe(ctx, "env:SX_DESCRIBE_CONN", &err), DCONN_ECONFIG);
    CHECK_STR(err.message, "connection name \"env:SX_DESCRIBE_CONN\": environment variable SX_DESCRIBE_CONN is not set; set it to the name of a "
                           "[connections.NAME] section, e.g. SX_DESCRIBE_CONN=local");
    CHECK_EQ_INT(sx_describe(ctx, "env:", &err), DCONN_EMISUSE);
    CHECK_STR(err.message, "dconn_secrets_describe: \"env:\" needs a variable name, as in \"env:DB_CONN\"");
    dconn_close(ctx);
    tu_rmrf(SX_DSC);
}

/* A line break in a file's path ends no comment of the output: it would
   begin a line of TOML there. */
static void secrets_describe_path_with_line_break(void) {
    dconn_ctx *ctx;
    dconn_error err;
    TU_POSIX_ONLY("a file name holding a line break (Windows refuses one)");
    tu_rmrf(SX_DSC);
    tu_write(SX_DSC "/a\n[evil]\nx = 1 #/e.toml", "[connections.local]\nurl = \"sqlite:///l.db\"\n");
    ctx = sx_open(SX_DSC "/a\n[evil]\nx = 1 #/e.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(sx_describe(ctx, NULL, &err), DCONN_OK);
    CHECK_STR(SX_DESC, "[connections.local]\nurl = \"sqlite:///l.db\"    # " SX_DSC "/a\\x0A[evil]\\x0Ax = 1 #/e.toml:2\n");
    dconn_close(ctx);
    tu_rmrf(SX_DSC);
}

/* A secret inside a string whose key does not say so: a service
   account's JSON, a PEM private key. */
static void secrets_describe_masks_json_and_pem(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_DSC);
    tu_write(SX_DSC "/e.toml",
             "[connections.gcp]\n"
             "service_account_info = '{\"type\": \"service_account\", \"private_key\": \"PkJsonSecret99\", \"client_email\": \"a@b\"}'\n"
             "cert = \"\"\"\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpemBodySecret77\n-----END RSA PRIVATE KEY-----\n\"\"\"\n"
             "public = \"-----BEGIN CERTIFICATE-----\\nMIIpublic\"\n"
             "note = '{\"name\": \"x\"}'\n"
             "escaped = '{\"note\": \"a 5\\\" pipe\", \"api_token\": \"Zq9xLmP4wR7t\"}'\n"
             "inside = '{\"pk\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq\\nBKcwggSjAgEA\\n-----END PRIVATE KEY-----\\n\"}'\n");
    ctx = sx_open(SX_DSC "/e.toml", NULL, NULL, NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(sx_describe(ctx, "gcp", &err), DCONN_OK);
    CHECK_CONTAINS(SX_DESC, "service_account_info = \"***\"");
    CHECK_CONTAINS(SX_DESC, "cert = \"***\"");
    CHECK_CONTAINS(SX_DESC, "MIIpublic");               /* a certificate is public */
    CHECK_CONTAINS(SX_DESC, "note = \"{\\\"name\\\": \\\"x\\\"}\"");
    CHECK_NOT_CONTAINS(SX_DESC, "PkJsonSecret99");
    CHECK_NOT_CONTAINS(SX_DESC, "MIIEpemBodySecret77");
    CHECK_CONTAINS(SX_DESC, "escaped = \"***\"");   /* an escaped quote before the secret member */
    CHECK_CONTAINS(SX_DESC, "inside = \"***\"");    /* a PEM key inside a JSON string */
    CHECK(dconn_connect(ctx, "Zq9xLmP4wR7t MIIEvQIBADANBgkq BKcwggSjAgEA", NULL, NULL, &err) == NULL);
    CHECK_NOT_CONTAINS(err.message, "Zq9xLmP4wR7t");
    CHECK_NOT_CONTAINS(err.message, "MIIEvQIBADANBgkq");
    CHECK_NOT_CONTAINS(err.message, "BKcwggSjAgEA");
    /* the secrets inside are known, and masked in messages; the public rest of the text is not */
    CHECK(dconn_connect(ctx, "key PkJsonSecret99 and MIIEpemBodySecret77", NULL, NULL, &err) == NULL);
    CHECK_NOT_CONTAINS(err.message, "PkJsonSecret99");
    CHECK_NOT_CONTAINS(err.message, "MIIEpemBodySecret77");
    CHECK(dconn_connect(ctx, "{\"type\": \"service_account\", x", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "no connection named \"{\"type\": \"service_account\", x\"");
    dconn_close(ctx);
    tu_rmrf(SX_DSC);
}

static void secrets_describe_unknown_section_lists_files(void) {
    dconn_ctx *ctx;
    dconn_error err;
    char *out = &sx_not_null;
    tu_rmrf(SX_DSC);
    unsetenv("DCONN_SECRETS");
    tu_write(SX_DSC "/h/.dconn/secrets.toml", "[connections.real]\nurl = \"sqlite://\"\nnot_a_table = 1\n");
    ctx = sx_open(NULL, SX_DSC "/h", SX_DSC "/p", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_describe(ctx, "nope", &out, &err), DCONN_ENOTFOUND);
    CHECK(out == NULL);
    CHECK_EQ_INT(err.code, DCONN_ENOTFOUND);
    CHECK_STR(err.message,
              "no connection named \"nope\": there is no [connections.nope] section in the secrets files. Searched: "
              SX_DSC "/h/.streamlit/secrets.toml (missing), "
              SX_DSC "/h/.dconn/secrets.toml (read), "
              SX_DSC "/p/.streamlit/secrets.toml (missing), "
              SX_DSC "/p/.dconn/secrets.toml (missing). Connections found: real");
    CHECK_EQ_INT(dconn_secrets_describe(ctx, "real", NULL, &err), DCONN_EMISUSE);
    out = (char *)&err;   /* whatever it held: on error it is NULL, so freeing it is safe */
    CHECK_EQ_INT(dconn_secrets_describe(NULL, "real", &out, &err), DCONN_EMISUSE);
    CHECK(out == NULL);
    dconn_free(NULL);
    dconn_close(ctx);
    tu_rmrf(SX_DSC);
}

/* --- dconn_url_redact ---------------------------------------------------- */

static const char *sx_redact(const char *url) {
    static char buf[512];
    size_t n = dconn_url_redact(url, buf, sizeof buf);
    if (n != strlen(buf)) {
        char m[700];
        snprintf(m, sizeof m, "dconn_url_redact returned %zu for \"%s\" (%zu bytes)", n, buf, strlen(buf));
        dtest_report(__FILE__, __LINE__, m);
    }
    return buf;
}

static void secrets_url_redact(void) {
    CHECK_STR(sx_redact("postgresql://me:secret@h/db"), "postgresql://me:***@h/db");
    CHECK_STR(sx_redact("postgresql+psycopg2://me:secret@db.example.com:5432/app"), "postgresql+psycopg2://me:***@db.example.com:5432/app");
    CHECK_STR(sx_redact("mysql://me:p@ss@h/db"), "mysql://me:***@h/db");
    CHECK_STR(sx_redact("mysql://me:@h/db"), "mysql://me:***@h/db");
    CHECK_STR(sx_redact("postgresql://me@h/db"), "postgresql://me@h/db");
    CHECK_STR(sx_redact("postgresql://h:5432/db"), "postgresql://h:5432/db");
    CHECK_STR(sx_redact("postgresql://[::1]:5432/db"), "postgresql://[::1]:5432/db");
    CHECK_STR(sx_redact("postgresql://me:pw@[::1]:5432/db"), "postgresql://me:***@[::1]:5432/db");
    CHECK_STR(sx_redact("sqlite:///rel/path.db"), "sqlite:///rel/path.db");
    CHECK_STR(sx_redact("sqlite://"), "sqlite://");
    CHECK_STR(sx_redact("postgresql://h/db?password=pw&sslmode=require"), "postgresql://h/db?password=***&sslmode=require");
    CHECK_STR(sx_redact("postgresql://h/db?sslmode=require&PASSWORD=pw"), "postgresql://h/db?sslmode=require&PASSWORD=***");
    CHECK_STR(sx_redact("mssql://u:p@h/db?token=abc&api_key=k&x=1"), "mssql://u:***@h/db?token=***&api_key=***&x=1");
    CHECK_STR(sx_redact("postgresql://h/db?password"), "postgresql://h/db?password");
    CHECK_STR(sx_redact("postgresql://h/db?"), "postgresql://h/db?");
    CHECK_STR(sx_redact("file:data.db?mode=ro"), "file:data.db?mode=ro");
    /* not URLs: unchanged */
    CHECK_STR(sx_redact(""), "");
    CHECK_STR(sx_redact("just some text"), "just some text");
    CHECK_STR(sx_redact("/abs/path/to.db"), "/abs/path/to.db");
    CHECK_STR(sx_redact(":memory:"), ":memory:");
    CHECK_STR(sx_redact(NULL), "");
}

/* Passwords with '/', '?' or ':' written unescaped (SQLAlchemy reads the
   password up to the '@'): the password must still not show. */
static void secrets_url_redact_unescaped_password(void) {
    CHECK_STR(sx_redact("postgresql://me:pa/ss@h/db"), "postgresql://me:***@h/db");
    CHECK_STR(sx_redact("postgresql://me:pa?ss@h/db"), "postgresql://me:***@h/db");
    CHECK_STR(sx_redact("postgresql://me:pa:ss@h/db"), "postgresql://me:***@h/db");
    CHECK_NOT_CONTAINS(sx_redact("postgresql://me:s3cr/et@h:5432/db?sslmode=require"), "s3cr");
}

static void secrets_url_redact_truncates(void) {
    char small[12];
    char one[1];
    const char *url = "postgresql://me:secret@h/db";   /* redacted: 24 bytes */
    memset(small, 'x', sizeof small);
    CHECK_EQ_INT(dconn_url_redact(url, small, sizeof small), 24);
    CHECK_STR(small, "postgresql:");
    CHECK_EQ_INT(strlen(small), sizeof small - 1);
    one[0] = 'x';
    CHECK_EQ_INT(dconn_url_redact(url, one, 1), 24);
    CHECK_EQ_INT(one[0], '\0');
    CHECK_EQ_INT(dconn_url_redact(url, NULL, 0), 24);
    {
        char exact[25];
        CHECK_EQ_INT(dconn_url_redact(url, exact, sizeof exact), 24);
        CHECK_STR(exact, "postgresql://me:***@h/db");
    }
    /* a cut never exposes the part of the password that was masked */
    {
        char cut[18];
        CHECK_EQ_INT(dconn_url_redact(url, cut, sizeof cut), 24);
        CHECK_STR(cut, "postgresql://me:*");
    }
}

/* --- dconn_ttl_parse ------------------------------------------------------- */

static void sx_ttl_ok(const char *text, int64_t want, int line) {
    dconn_error err;
    int64_t got = -123;
    dconn_status st = dconn_ttl_parse(text, &got, &err);
    if (st != DCONN_OK || got != want) {
        char m[1400];
        snprintf(m, sizeof m, "dconn_ttl_parse(\"%s\") = %d, %lld; want %lld (line %d): %s",
                 text ? text : "(NULL)", (int)st, (long long)got, (long long)want, line, err.message);
        dtest_report(__FILE__, line, m);
    }
}

static void sx_ttl_bad(const char *text, const char *why, int line) {
    dconn_error err;
    int64_t got = -123;
    dconn_status st = dconn_ttl_parse(text, &got, &err);
    if (st != DCONN_ECONFIG || err.code != DCONN_ECONFIG || got != -123 ||
        !strstr(err.message, why) ||
        !strstr(err.message, "\"10m\", \"1h30m\", \"1.5h\", \"2 days\"; \"0\" = off, \"forever\"") ||
        !strstr(err.message, "ms, s, m, h, d, w")) {
        char m[2400];
        snprintf(m, sizeof m, "dconn_ttl_parse(\"%s\") = %d, %lld: want DCONN_ECONFIG, \"%s\" and the grammar; got: %s",
                 text, (int)st, (long long)got, why, err.message);
        dtest_report(__FILE__, line, m);
    }
}

static void secrets_ttl_parse_accepts(void) {
    sx_ttl_ok("3600", 3600 * SX_SEC, __LINE__);
    sx_ttl_ok("10m", 600 * SX_SEC, __LINE__);
    sx_ttl_ok("1h30m", 5400 * SX_SEC, __LINE__);
    sx_ttl_ok("1h 30m", 5400 * SX_SEC, __LINE__);
    sx_ttl_ok("1.5h", 5400 * SX_SEC, __LINE__);
    sx_ttl_ok("2 days", 2 * (86400 * SX_SEC), __LINE__);
    sx_ttl_ok("1 day", 86400 * SX_SEC, __LINE__);
    sx_ttl_ok("500ms", 500000000, __LINE__);
    sx_ttl_ok("1w", 604800 * SX_SEC, __LINE__);
    sx_ttl_ok("2 weeks", 2 * (604800 * SX_SEC), __LINE__);
    sx_ttl_ok("90s", 90 * SX_SEC, __LINE__);
    sx_ttl_ok("5 min", 300 * SX_SEC, __LINE__);
    sx_ttl_ok("2 hours", 7200 * SX_SEC, __LINE__);
    sx_ttl_ok("1d12h", 129600 * SX_SEC, __LINE__);
    sx_ttl_ok("0.5", 500000000, __LINE__);
    sx_ttl_ok("  10m", 600 * SX_SEC, __LINE__);
    sx_ttl_ok("10m  ", 600 * SX_SEC, __LINE__);
    sx_ttl_ok("0", 0, __LINE__);
    sx_ttl_ok("0s", 0, __LINE__);
    sx_ttl_ok("0.0000000001s", 1, __LINE__);   /* tiny but not zero: not "off" */
    sx_ttl_ok("forever", -1, __LINE__);
    sx_ttl_ok("FOREVER", -1, __LINE__);
    sx_ttl_ok("never", -1, __LINE__);
    sx_ttl_ok(" forever", -1, __LINE__);
    sx_ttl_ok("forever ", -1, __LINE__);      /* trailing blanks, as "10m " allows */
    sx_ttl_ok(NULL, -1, __LINE__);
    {
        dconn_error err;
        CHECK_EQ_INT(dconn_ttl_parse("10m", NULL, &err), DCONN_EMISUSE);
        CHECK_EQ_INT(dconn_ttl_parse("abc", NULL, NULL), DCONN_EMISUSE);
    }
}

static void secrets_ttl_parse_rejects(void) {
    sx_ttl_bad("-5s", "invalid duration \"-5s\": negative durations are not allowed", __LINE__);
    sx_ttl_bad("1M", "invalid duration \"1M\": months and years are not supported", __LINE__);
    sx_ttl_bad("1Y", "invalid duration \"1Y\": months and years are not supported", __LINE__);
    sx_ttl_bad("2 months", "months and years are not supported", __LINE__);
    sx_ttl_bad("abc", "invalid duration \"abc\": expected a number", __LINE__);
    sx_ttl_bad("10 parsecs", "invalid duration \"10 parsecs\": unknown unit \"parsecs\"", __LINE__);
    sx_ttl_bad("", "invalid duration \"\": empty", __LINE__);
    sx_ttl_bad("   ", "empty", __LINE__);
    sx_ttl_bad("5 5", "invalid duration \"5 5\": every number after the first needs a unit", __LINE__);
    sx_ttl_bad("1h30", "every number after the first needs a unit", __LINE__);
    sx_ttl_bad("10m!", "expected a number", __LINE__);
    sx_ttl_bad("1e3", "unknown unit \"e\"", __LINE__);
    sx_ttl_bad("10X", "unknown unit \"X\"", __LINE__);
    sx_ttl_bad(".", "expected a number", __LINE__);
    sx_ttl_bad("1m-5s", "negative durations are not allowed", __LINE__);
    sx_ttl_bad("10 verylongunitname", "unknown unit", __LINE__);
    {
        /* too long for nanoseconds in int64 */
        dconn_error err;
        int64_t got = 5;
        CHECK_EQ_INT(dconn_ttl_parse("300000w", &got, &err), DCONN_ECONFIG);
        CHECK_CONTAINS(err.message, "too long (use \"forever\")");
        CHECK_EQ_INT(got, 5);
        CHECK_EQ_INT(dconn_ttl_parse("9223372036854775808ns", &got, &err), DCONN_ECONFIG);
        /* ... but all that fits is taken */
        CHECK_EQ_INT(dconn_ttl_parse("106751d", &got, &err), DCONN_OK);
        CHECK(got == INT64_C(106751) * 86400 * INT64_C(1000000000));
        CHECK_EQ_INT(dconn_ttl_parse("2562047h", &got, &err), DCONN_OK);
        CHECK(got == INT64_C(2562047) * 3600 * INT64_C(1000000000));
    }
}

/* --- out of memory ------------------------------------------------------------ */

#define SX_MEM TU_DIR "/secrets-nomem"

static void secrets_enomem_every_allocation(void) {
    long start, k, last = -1;
    int successes = 0, failures = 0;
    tu_rmrf(SX_MEM);
    unsetenv("DCONN_SECRETS");
    setenv("SX_MEM_USER", "memuser", 1);
    tu_write(SX_MEM "/h/.dconn/secrets.toml",
             "[connections.prod]\nurl = \"postgresql://u:${SX_MEM_PW:-pw}@h/db\"\n"
             "[connections.dev]\nhost = \"g\"\nport = 1\n[connections.dev.connect_args]\ntimeout = 5\nsslmode = \"require\"\n"
             "[[servers]]\nname = \"a\"\n[[servers]]\nname = \"b\"\n");
    tu_write(SX_MEM "/p/.dconn/secrets.toml",
             "[connections.dev]\nhost = \"l\"\nuser = \"${SX_MEM_USER}\"\n[connections.dev.connect_args]\ntimeout = 9\n"
             "[extra]\nlist = [1, 2, { a = \"b\" }]\n");
    start = talloc_live_blocks();
    for (k = 0; k < 5000; k++) {
        dconn_options o = tu_options(NULL);
        dconn_error err;
        dconn_ctx *ctx;
        dconn_status st = DCONN_OK;
        int injected;
        o.home_dir = SX_MEM "/h";
        o.project_dir = SX_MEM "/p";
        memset(&err, 0, sizeof err);
        talloc_fail_at(k);
        ctx = dconn_open(&o, &err);
        if (ctx) st = dconn_secrets_check(ctx, &err);
        injected = talloc_was_injected();
        talloc_fail_at(-1);
        if (!ctx) {
            CHECK_EQ_INT(err.code, DCONN_ENOMEM);
            failures++;
        } else if (st) {
            CHECK_EQ_INT(st, DCONN_ENOMEM);
            CHECK_EQ_INT(err.code, DCONN_ENOMEM);
            failures++;
            /* a later check, with memory, loads them */
            CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
            CHECK_STR(tu_secret(ctx, "connections.dev.user", ""), "memuser");
        } else {
            CHECK(!injected);
            successes++;
        }
        if (ctx) {
            CHECK_STR(tu_secret(ctx, "connections.dev.host", ""), "l");
            CHECK_EQ_INT(dconn_secret_int(ctx, "connections.dev.port", 0), 1);
            CHECK_EQ_INT(dconn_secret_int(ctx, "connections.dev.connect_args.timeout", 0), 9);
            CHECK_STR(tu_secret(ctx, "connections.dev.connect_args.sslmode", ""), "require");
            CHECK_STR(tu_secret(ctx, "connections.prod.url", ""), "postgresql://u:pw@h/db");
            CHECK_STR(tu_secret(ctx, "servers.1.name", ""), "b");
        }
        dconn_close(ctx);
        if (talloc_live_blocks() != start) {
            char m[200];
            snprintf(m, sizeof m, "k = %ld: %ld live blocks after dconn_close, %ld before", k, talloc_live_blocks(), start);
            dtest_report(__FILE__, __LINE__, m);
            break;
        }
        if (!injected) { last = k; break; }
    }
    CHECK(last > 10);          /* the loop reached the end of the allocations */
    CHECK_EQ_INT(successes, 1);
    CHECK_EQ_INT(failures, last);
    unsetenv("SX_MEM_USER");
    tu_rmrf(SX_MEM);
}

/* The same while loading is lazy: a getter that hits ENOMEM returns the
   default, and a later getter (memory back) returns the value. */
static void secrets_enomem_in_getter_recovers(void) {
    long start, k;
    tu_rmrf(SX_MEM);
    tu_write(SX_MEM "/a.toml", "[v]\ns = \"a\"\n[w]\nx = 1\n");
    tu_write(SX_MEM "/b.toml", "[v]\ns = \"b\"\n");
    start = talloc_live_blocks();
    for (k = 0; k < 2000; k++) {
        dconn_ctx *ctx = sx_open(SX_MEM "/a.toml" TU_LIST_SEP SX_MEM "/b.toml", NULL, NULL, "0");
        const char *got;
        int injected;
        if (!ctx) break;
        talloc_fail_at(k);
        got = tu_secret(ctx, "v.s", "dflt");
        injected = talloc_was_injected();
        talloc_fail_at(-1);
        if (injected) CHECK_STR(got, "dflt");
        else CHECK_STR(got, "b");
        CHECK_STR(tu_secret(ctx, "v.s", "dflt"), "b");
        dconn_close(ctx);
        CHECK_EQ_INT(talloc_live_blocks(), start);
        if (!injected) break;
    }
    /* the same on a reload: the edit is picked up once memory is back */
    for (k = 0; k < 2000; k++) {
        dconn_ctx *ctx = sx_open(SX_MEM "/a.toml" TU_LIST_SEP SX_MEM "/b.toml", NULL, NULL, "0");
        const char *got;
        int injected;
        if (!ctx) break;
        tu_write(SX_MEM "/b.toml", "[v]\ns = \"b\"\n");
        CHECK_STR(tu_secret(ctx, "v.s", "dflt"), "b");
        tu_write(SX_MEM "/b.toml", "[v]\ns = \"b2\"\n");
        talloc_fail_at(k);
        got = tu_secret(ctx, "v.s", "dflt");
        injected = talloc_was_injected();
        talloc_fail_at(-1);
        CHECK_STR(got, injected ? "b" : "b2");
        CHECK_STR(tu_secret(ctx, "v.s", "dflt"), "b2");
        dconn_close(ctx);
        CHECK_EQ_INT(talloc_live_blocks(), start);
        if (!injected) break;
    }
    tu_rmrf(SX_MEM);
}

/* A long-running program that rotates its credentials stays flat: old
   versions of the secrets and of a connection's settings are freed once
   nothing uses them. 600 edits, each moving a connection in use to a new
   password (and so new settings), a query and a held version between. */
static void secrets_edits_stay_flat(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    long after_warmup = 0;
    int i;
    tu_rmrf(SX_MEM);
    ctx = tu_open(SX_MEM "/flat.toml");
    REQUIRE(ctx);
    for (i = 0; i < 600; i++) {
        char text[200];
        dconn_result *r;
        dconn_secrets *held;
        snprintf(text, sizeof text, "[connections.db]\nurl = \"sqlite://\"\npassword = \"Rotated-%06d\"\n%*s\n", i, i % 7, "");
        tu_write(SX_MEM "/flat.toml", text);
        if (i == 0) { c = dconn_connect(ctx, "db", NULL, NULL, &err); REQUIRE(c); }
        r = dconn_query(c, "SELECT 1", NULL, 0, NULL, &err);   /* re-checks the files (interval 0), moves the connection */
        CHECK(r != NULL);
        dconn_result_release(r);
        held = dconn_secrets_hold(ctx, &err);
        CHECK(held != NULL);
        dconn_secrets_release(held);
        if (i == 200) after_warmup = talloc_live_blocks();   /* past the 64 retired values kept masked */
    }
    /* a few blocks of slack: the cache and the known values have settled by then */
    if (talloc_live_blocks() > after_warmup + 8)
        dtest_reportf(__FILE__, __LINE__, "%ld blocks live after 600 edits, %ld after 200: old versions are kept", talloc_live_blocks(), after_warmup);
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(SX_MEM);
}

/* Numbers are written and read the same under every locale: a comma-decimal
   locale changes neither describe's output (TOML) nor a float pragma (SQL). */
static void secrets_numbers_under_comma_locale(void) {
    static const char *const locales[] = { "de_DE.UTF-8", "de_DE.utf8", "de_DE" };
    const char *got = NULL;
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    char *text = NULL;
    size_t i;
    int64_t n = 0;
    for (i = 0; i < sizeof locales / sizeof locales[0] && !got; i++) got = setlocale(LC_NUMERIC, locales[i]);
    if (!got) SKIP("no de_DE locale installed (Debian: add de_DE.UTF-8 to /etc/locale.gen and run locale-gen)");
    tu_rmrf(SX_MEM);
    tu_write(SX_MEM "/locale.toml", "[connections.db]\nurl = \"sqlite://\"\n[connections.db.connect_args.pragmas]\ncache_size = 2000.0\n"
                                  "[connections.other]\nratio = 1.5\n");
    ctx = tu_open(SX_MEM "/locale.toml");
    if (ctx) {
        CHECK_EQ_INT(dconn_secrets_describe(ctx, "db", &text, &err), DCONN_OK);
        CHECK_CONTAINS(text, "cache_size = 2000.0 ");
        dconn_free(text);
        CHECK_EQ_INT(dconn_secrets_describe(ctx, "other", &text, &err), DCONN_OK);
        CHECK_CONTAINS(text, "ratio = 1.5 ");
        dconn_free(text);
        c = dconn_connect(ctx, "db", NULL, NULL, &err);
        CHECK(c != NULL);
        if (!c) fprintf(stdout, "  %s\n", err.message);
        r = dconn_query(c, "PRAGMA cache_size", NULL, 0, NULL, &err);
        CHECK(r != NULL && dconn_result_get_int(r, 0, 0, &n) == DCONN_OK && n == 2000);
        dconn_result_release(r);
        dconn_release(c);
        dconn_close(ctx);
    }
    CHECK(setlocale(LC_NUMERIC, "C") != NULL);
    tu_rmrf(SX_MEM);
}

/* An edit in the same second, to the same size, in the same file: stat
   sees nothing, the content does. 20 rotations in a row, each seen. */
static void secrets_same_second_edit_seen(void) {
    dconn_ctx *ctx;
    int i;
    tu_rmrf(SX_MEM);
    tu_write(SX_MEM "/racy.toml", "key = \"value-00\"\n");
    ctx = tu_open(SX_MEM "/racy.toml");
    REQUIRE(ctx);
    CHECK_STR(tu_secret(ctx, "key", ""), "value-00");
    for (i = 1; i <= 20; i++) {
        char text[64], want[16];
        snprintf(text, sizeof text, "key = \"value-%02d\"\n", i);
        snprintf(want, sizeof want, "value-%02d", i);
        tu_write(SX_MEM "/racy.toml", text);   /* same size, same inode, most likely the same second */
        CHECK_STR(tu_secret(ctx, "key", ""), want);
    }
    dconn_close(ctx);
    tu_rmrf(SX_MEM);
}

/* Streamlit's files (in a .streamlit directory) read exactly as Streamlit
   reads them: "${...}" is text there, even when broken; dconn's own files
   expand it. */
static void secrets_streamlit_files_read_verbatim(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(SX_MEM);
    setenv("DCONN_SX_VERBATIM", "expanded", 1);
    tu_write(SX_MEM "/p/.streamlit/secrets.toml", "[connections.db]\npassword = \"Ab${DCONN_SX_VERBATIM}cd\"\nbroken = \"x${y\"\n");
    tu_write(SX_MEM "/p/.dconn/secrets.toml", "[ours]\nvalue = \"Ab${DCONN_SX_VERBATIM}cd\"\n");
    ctx = sx_open(NULL, SX_MEM "/nohome", SX_MEM "/p", NULL);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
    CHECK_STR(tu_secret(ctx, "connections.db.password", ""), "Ab${DCONN_SX_VERBATIM}cd");
    CHECK_STR(tu_secret(ctx, "connections.db.broken", ""), "x${y");
    CHECK_STR(tu_secret(ctx, "ours.value", ""), "Abexpandedcd");
    dconn_close(ctx);
    /* the folder as the system reads the path: "a/./b" and "a//b" are "a/b" */
    {
        static const char *const spelled[] = {SX_MEM "/p/.streamlit/./secrets.toml", SX_MEM "/p/.streamlit//secrets.toml",
                                              SX_MEM "/p/.streamlit/.//./secrets.toml"};
        size_t i;
        for (i = 0; i < sizeof spelled / sizeof spelled[0]; i++) {
            ctx = sx_open(spelled[i], NULL, NULL, NULL);
            REQUIRE(ctx);
            CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_OK);
            CHECK_STR(tu_secret(ctx, "connections.db.password", ""), "Ab${DCONN_SX_VERBATIM}cd");
            dconn_close(ctx);
        }
    }
    unsetenv("DCONN_SX_VERBATIM");
    tu_rmrf(SX_MEM);
}

static const dtest_case secrets_tests[] = {
    {"secrets_streamlit_files_read_verbatim", secrets_streamlit_files_read_verbatim},
    {"secrets_same_second_edit_seen", secrets_same_second_edit_seen},
    {"secrets_numbers_under_comma_locale", secrets_numbers_under_comma_locale},
    {"secrets_edits_stay_flat", secrets_edits_stay_flat},
    {"secrets_getter_without_files", secrets_getter_without_files},
    {"secrets_platform_paths", secrets_platform_paths},
    {"secrets_search_list_default_order", secrets_search_list_default_order},
    {"secrets_search_list_missing_files_skipped", secrets_search_list_missing_files_skipped},
    {"secrets_path_option_replaces_list", secrets_path_option_replaces_list},
    {"secrets_env_var_replaces_list", secrets_env_var_replaces_list},
    {"secrets_path_empty_means_no_files", secrets_path_empty_means_no_files},
    {"secrets_env_connection_name", secrets_env_connection_name},
    {"secrets_merge_deep_key_by_key", secrets_merge_deep_key_by_key},
    {"secrets_merge_provenance_in_settings", secrets_merge_provenance_in_settings},
    {"secrets_merge_table_and_value_replace_each_other", secrets_merge_table_and_value_replace_each_other},
    {"secrets_parse_error_everywhere", secrets_parse_error_everywhere},
    {"secrets_unreadable_file_is_an_error", secrets_unreadable_file_is_an_error},
    {"secrets_unreachable_file_is_skipped_and_said", secrets_unreachable_file_is_skipped_and_said},
    {"secrets_env_not_utf8_is_an_error", secrets_env_not_utf8_is_an_error},
    {"secrets_describe_path_with_line_break", secrets_describe_path_with_line_break},
    {"secrets_describe_masks_json_and_pem", secrets_describe_masks_json_and_pem},
    {"secrets_env_expansion_forms", secrets_env_expansion_forms},
    {"secrets_env_unterminated_is_an_error", secrets_env_unterminated_is_an_error},
    {"secrets_env_bad_name_is_an_error", secrets_env_bad_name_is_an_error},
    {"secrets_env_unset_names_variable_not_value", secrets_env_unset_names_variable_not_value},
    {"secrets_env_values_never_shown", secrets_env_values_never_shown},
    {"secrets_permissions_warn_when_readable_by_others", secrets_permissions_warn_when_readable_by_others},
    {"secrets_permissions_quiet_when_private", secrets_permissions_quiet_when_private},
    {"secrets_reload_after_interval", secrets_reload_after_interval},
    {"secrets_reload_every_call_with_zero", secrets_reload_every_call_with_zero},
    {"secrets_reload_never", secrets_reload_never},
    {"secrets_reload_file_created_and_removed", secrets_reload_file_created_and_removed},
    {"secrets_reload_bad_edit_keeps_last_good", secrets_reload_bad_edit_keeps_last_good},
    {"secrets_check_reports_bad_edit", secrets_check_reports_bad_edit},
    {"secrets_check_unchanged_is_quiet", secrets_check_unchanged_is_quiet},
    {"secrets_reload_applies_new_query_ttl", secrets_reload_applies_new_query_ttl},
    {"secrets_reload_resets_changed_connection", secrets_reload_resets_changed_connection},
    {"secrets_reload_keeps_unchanged_twin", secrets_reload_keeps_unchanged_twin},
    {"secrets_reload_removed_section_keeps_connection", secrets_reload_removed_section_keeps_connection},
    {"secrets_describe_masks_secrets", secrets_describe_masks_secrets},
    {"secrets_describe_masks_long_secret_key", secrets_describe_masks_long_secret_key},
    {"secrets_describe_all", secrets_describe_all},
    {"secrets_describe_all_hides_app_secrets", secrets_describe_all_hides_app_secrets},
    {"secrets_describe_unknown_section_lists_files", secrets_describe_unknown_section_lists_files},
    {"secrets_describe_reads_back", secrets_describe_reads_back},
    {"secrets_describe_env_name", secrets_describe_env_name},
    {"secrets_url_redact", secrets_url_redact},
    {"secrets_url_redact_unescaped_password", secrets_url_redact_unescaped_password},
    {"secrets_url_redact_truncates", secrets_url_redact_truncates},
    {"secrets_ttl_parse_accepts", secrets_ttl_parse_accepts},
    {"secrets_ttl_parse_rejects", secrets_ttl_parse_rejects},
    {"secrets_enomem_every_allocation", secrets_enomem_every_allocation},
    {"secrets_enomem_in_getter_recovers", secrets_enomem_in_getter_recovers},
};
