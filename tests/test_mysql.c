/* The MySQL/MariaDB driver against a real server (make test-mysql starts
   one and sets DCONN_TEST_MYSQL_SOCKET, _PORT and _DIR). */
#include "test_alloc.h"
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#define DCONN_MYSQL_IMPLEMENTATION
#include "../examples/drivers/dconn_mysql.h"
#include "dtest.h"
#include "test_util.h"
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sys/wait.h>
extern int setenv(const char *name, const char *value, int overwrite);
extern int unsetenv(const char *name);
extern int symlink(const char *target, const char *linkpath);
extern int kill(pid_t pid, int sig);

static const char *my_sock(void) { return getenv("DCONN_TEST_MYSQL_SOCKET"); }
static int my_port(void) {
    const char *p = getenv("DCONN_TEST_MYSQL_PORT");
    return p ? (int)strtol(p, NULL, 10) : 0;
}

static dconn_ctx *my_open(const char *secrets_path) {
    dconn_ctx *ctx = tu_open(secrets_path);
    dconn_error err;
    if (ctx && dconn_mysql_register(ctx, &err)) { fprintf(stdout, "  register: %s\n", err.message); dconn_close(ctx); return NULL; }
    return ctx;
}

/* A connection through code settings; `extra` is more TOML. */
static dconn_conn *my_connect(dconn_ctx *ctx, const char *name, const char *extra) {
    dconn_error err;
    dconn_connect_options co;
    dconn_conn *c;
    char settings[2048];
    snprintf(settings, sizeof settings, "%s", extra ? extra : "");
    memset(&co, 0, sizeof co);
    co.settings = settings;
    c = dconn_connect(ctx, name, "mysql", &co, &err);
    if (!c) fprintf(stdout, "  connect %s: %s\n", name, err.message);
    return c;
}

/* root through the test server's socket */
static dconn_conn *my_root(dconn_ctx *ctx) {
    char extra[1024];
    snprintf(extra, sizeof extra, "username = \"root\"\nquery = { unix_socket = \"%s\" }\n", my_sock());
    return my_connect(ctx, "root", extra);
}



/* The guide's two databases and users, made once. */
static void my_setup(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *root;
    dconn_error err;
    if (!ctx) return;
    root = my_root(ctx);
    if (root && dconn_exec_script(root,
                                  "CREATE DATABASE IF NOT EXISTS local_db; CREATE DATABASE IF NOT EXISTS staging_db; "
                                  "CREATE USER IF NOT EXISTS 'me'@'%' IDENTIFIED BY 'me-secret-1'; "
                                  "CREATE USER IF NOT EXISTS 'jdoe'@'%' IDENTIFIED BY 'jd:o@e/pw#2'; "
                                  "GRANT ALL ON local_db.* TO 'me'@'%'; GRANT ALL ON staging_db.* TO 'jdoe'@'%'; "
                                  "GRANT PROCESS, CONNECTION ADMIN ON *.* TO 'me'@'%'; "
                                  "CREATE TABLE IF NOT EXISTS local_db.mytable (id int PRIMARY KEY, name varchar(40)); "
                                  "CREATE TABLE IF NOT EXISTS staging_db.mytable (id int PRIMARY KEY, name varchar(40)); "
                                  "REPLACE INTO local_db.mytable VALUES (1, 'local row'); REPLACE INTO staging_db.mytable VALUES (1, 'staging row')",
                                  &err))
        fprintf(stdout, "  setup: %s\n", err.message);
    dconn_release(root);
    dconn_close(ctx);
}

/* Every URL form SQLAlchemy users write reaches the server. */
static void my_url_forms(void) {
    static const char *const schemes[] = {"mysql", "mysql+pymysql", "mysql+mysqldb", "mysql+mysqlconnector", "mariadb", "mariadb+mariadbconnector"};
    char secrets[4096], path[256];
    size_t i, at = 0;
    dconn_ctx *ctx;
    snprintf(path, sizeof path, "%s/urls/secrets.toml", TU_DIR);
    for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        at += (size_t)snprintf(secrets + at, sizeof secrets - at, "[connections.c%zu]\nurl = \"%s://me:me-secret-1@127.0.0.1:%d/local_db\"\n", i, schemes[i], my_port());
    /* a password with URL characters, percent-encoded as in the guide */
    at += (size_t)snprintf(secrets + at, sizeof secrets - at, "[connections.enc]\nurl = \"mysql://jdoe:jd%%3Ao%%40e%%2Fpw%%232@127.0.0.1:%d/staging_db?charset=utf8mb4\"\n", my_port());
    /* parts, and a socket given as ?unix_socket= and as a socket-directory host */
    (void)snprintf(secrets + at, sizeof secrets - at,
                           "[connections.parts]\ndialect = \"mysql\"\nhost = \"127.0.0.1\"\nport = %d\nusername = \"me\"\npassword = \"me-secret-1\"\ndatabase = \"local_db\"\n"
                           "[connections.sock]\nurl = \"mysql://me:me-secret-1@localhost/local_db?unix_socket=%s\"\n"
                           "[connections.sockdir]\ndialect = \"mysql\"\nhost = \"%s\"\nusername = \"me\"\npassword = \"me-secret-1\"\ndatabase = \"local_db\"\n",
                           my_port(), my_sock(), getenv("DCONN_TEST_MYSQL_DIR"));
    tu_write(path, secrets);
    {
        /* the directory holds mysqld.sock: the test server's socket is mysql.sock, so link it */
        char link_path[512];
        snprintf(link_path, sizeof link_path, "%s/mysqld.sock", getenv("DCONN_TEST_MYSQL_DIR"));
        if (access(link_path, F_OK) != 0) CHECK(symlink(my_sock(), link_path) == 0);
    }
    ctx = my_open(path);
    REQUIRE(ctx);
    for (i = 0; i < sizeof schemes / sizeof schemes[0] + 4; i++) {
        char name[16];
        dconn_error err;
        dconn_conn *c;
        char *who;
        if (i < sizeof schemes / sizeof schemes[0]) snprintf(name, sizeof name, "c%zu", i);
        else snprintf(name, sizeof name, "%s", (const char *[]){"enc", "parts", "sock", "sockdir"}[i - sizeof schemes / sizeof schemes[0]]);
        c = dconn_connect(ctx, name, "sql", NULL, &err);
        if (!c) { fprintf(stdout, "  %s: %s\n", name, err.message); CHECK(c != NULL); continue; }
        CHECK_STR(dconn_conn_type(c), "mysql");
        who = tu_query_csv(c, "SELECT CURRENT_USER() AS u, DATABASE() AS d");
        CHECK(who != NULL);
        if (who) CHECK_STR(who, strcmp(name, "enc") ? "u,d\r\nme@%,local_db\r\n" : "u,d\r\njdoe@%,staging_db\r\n");
        dconn_free(who);
        dconn_release(c);
    }
    dconn_close(ctx);
}

/* Bad settings are refused before connecting, at their place, with what to write. */
static void my_bad_settings(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_connect_options co;
    char url[256];
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.settings = "url = \"mysql://me:me-secret-1@127.0.0.1/local_db\"\nconnect_args = { conect_timeout = 5 }";
    CHECK(dconn_connect(ctx, "typo", "mysql", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "connect_args.conect_timeout is not a MySQL connection setting; the MySQL driver takes charset, connect_timeout");
    co.settings = "url = \"mysql://me:me-secret-1@127.0.0.1/local_db?sslmode=require\"";
    CHECK(dconn_connect(ctx, "typo2", "mysql", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "?sslmode= is not a MySQL setting");
    co.settings = "url = \"mysql://me:me-secret-1@127.0.0.1/local_db?ssl_mode=sometimes\"";
    CHECK(dconn_connect(ctx, "typo3", "mysql", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY");
    CHECK(strstr(err.message, "me-secret-1") == NULL);
    /* a flag that is neither true nor false must not turn a check off */
    co.settings = "url = \"mysql://me:me-secret-1@127.0.0.1/local_db?ssl_verify_cert=maybe\"";
    CHECK(dconn_connect(ctx, "typo4", "mysql", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "ssl_verify_cert \"maybe\" is not true or false");
    co.settings = "url = \"mysql://me:me-secret-1@127.0.0.1/local_db\"\nconnect_args = { ssl = { check_hostname = \"nope\" } }";
    CHECK(dconn_connect(ctx, "typo5", "mysql", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "connect_args.ssl.check_hostname must be true or false");
    co.settings = "url = \"mysql://me:me-secret-1@127.0.0.1/local_db\"\nconnect_args = { ssl = { ca = [\"ca.pem\"] } }";   /* not ignored */
    CHECK(dconn_connect(ctx, "typo5b", "mysql", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "connect_args.ssl.ca must be a string");
    /* a URL the parser refuses: its own reason, the password masked */
    co.settings = "url = \"mysql://me:me-secret-1@127.0.0.1:0/local_db\"";
    CHECK(dconn_connect(ctx, "typo6", "mysql", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "is not a number from 1 to 65535");
    CHECK(strstr(err.message, "me-secret-1") == NULL);
    /* what SQLAlchemy's mysqldb dialect passes on from the url's query */
    co.settings = "url = \"mysql://me:me-secret-1@127.0.0.1/local_db?connect_timeout=soon\"";
    CHECK(dconn_connect(ctx, "typo7", "mysql", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "the url's connect_timeout \"soon\" is not a whole number of seconds");
    co.settings = "url = \"mysql+pyodbc://me:me-secret-1@dsn\"";
    CHECK(dconn_connect(ctx, "typo8", "mysql", &co, &err) == NULL);
    CHECK_CONTAINS(err.message, "ODBC data source");
    {
        char ok_url[300];
        dconn_conn *ok;
        snprintf(ok_url, sizeof ok_url, "url = \"mysql://me:me-secret-1@127.0.0.1:%d/local_db?connect_timeout=3&read_timeout=30&local_infile=false\"", my_port());
        co.settings = ok_url;
        ok = dconn_connect(ctx, "urlkeys", "mysql", &co, &err);
        if (!ok) fprintf(stdout, "  %s\n", err.message);
        CHECK(ok != NULL);
        if (ok) CHECK_EQ_INT(tu_query_int(ok, "SELECT 7"), 7);
        dconn_release(ok);
    }
    /* a wrong password: the server's words, never the password */
    snprintf(url, sizeof url, "url = \"mysql://me:not-the-pw-77@127.0.0.1:%d/local_db\"", my_port());
    co.settings = url;
    c = dconn_connect(ctx, "wrongpw", "mysql", &co, &err);
    if (c) {
        CHECK_EQ_INT(dconn_ping(c, &err), DCONN_EDRIVER);
        dconn_release(c);
    }
    CHECK_CONTAINS(err.message, "Access denied for user 'me'");
    CHECK(strstr(err.message, "not-the-pw-77") == NULL);
    dconn_close(ctx);
}

/* Connects `name` with `extra` settings and checks who and where it is ("u,d" CSV). */
static void my_who(dconn_ctx *ctx, const char *name, const char *extra, const char *want) {
    dconn_conn *c = my_connect(ctx, name, extra);
    char *who;
    REQUIRE(c);
    who = tu_query_csv(c, "SELECT CURRENT_USER() AS u, DATABASE() AS d");
    CHECK_STR(who, want);
    dconn_free(who);
    dconn_release(c);
}

/* Option files are the lowest layer: they fill what the secrets leave out,
   and the secrets win where both say something. */
static void my_option_file_precedence(void) {
    char cnf[600], path[256], extra[1024];
    dconn_ctx *ctx = my_open("");
    REQUIRE(ctx);
    snprintf(path, sizeof path, "%s/my/client.cnf", TU_DIR);
    snprintf(cnf, sizeof cnf, "[client]\nuser=me\npassword=me-secret-1\nhost=127.0.0.1\nport=%d\ndatabase=local_db\n[other]\nuser=jdoe\npassword=jd:o@e/pw#2\n", my_port());
    tu_write(path, cnf);
    /* everything from the file */
    snprintf(extra, sizeof extra, "connect_args = { read_default_file = \"%s\" }", path);
    my_who(ctx, "fromfile", extra, "u,d\r\nme@%,local_db\r\n");
    /* the secrets' user, password and database win over the file's */
    snprintf(extra, sizeof extra, "username = \"jdoe\"\npassword = \"jd:o@e/pw#2\"\ndatabase = \"staging_db\"\nconnect_args = { read_default_file = \"%s\" }", path);
    my_who(ctx, "secretswin", extra, "u,d\r\njdoe@%,staging_db\r\n");
    /* the client's MYSQL_PWD, when nothing else gives a password */
    setenv("MYSQL_PWD", "me-secret-1", 1);
    snprintf(extra, sizeof extra, "url = \"mysql://me@127.0.0.1:%d/local_db\"", my_port());
    my_who(ctx, "pwenv", extra, "u,d\r\nme@%,local_db\r\n");
    unsetenv("MYSQL_PWD");
    /* code (connect_args) over secrets: the group named there */
    snprintf(extra, sizeof extra, "connect_args = { read_default_file = \"%s\", read_default_group = \"other\", database = \"staging_db\" }", path);
    my_who(ctx, "group", extra, "u,d\r\njdoe@%,staging_db\r\n");
    dconn_close(ctx);
}

/* A connection of its own (connections with the same settings share their handles: the name goes in them). */
static dconn_conn *my_me(dconn_ctx *ctx, const char *name) {
    char extra[512];
    snprintf(extra, sizeof extra, "url = \"mysql://me:me-secret-1@127.0.0.1:%d/local_db\"\npool_size = 1\n"
                                  "connect_args = { init_command = \"SET @dconn_test = '%s'\" }", my_port(), name);
    return my_connect(ctx, name, extra);
}

/* Every type, both ways. */
static void my_types_round_trip(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    char *text;
    REQUIRE(ctx);
    c = my_me(ctx, "types");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS ty; CREATE TABLE ty (i8 tinyint, u64 bigint unsigned, i64 bigint, d decimal(30,10), "
                                      "f float, db double, b bit(12), dt date, tm time(3), dtm datetime(3), ts timestamp NULL, y year, "
                                      "j json, t text, bl blob, vb varbinary(10), e enum('a','b'), s set('x','y'), n int)", &err), DCONN_OK);
    {
        dconn_value v[13];
        v[0] = dconn_int(-128);
        v[1] = dconn_uint(UINT64_MAX);
        v[2] = dconn_int(INT64_MIN);
        v[3] = dconn_decimal("12345678901234567890.0123456789");
        v[4] = dconn_real(1.5);
        v[5] = dconn_real(0.1);
        v[6] = dconn_text("2024-02-29");
        v[7] = dconn_text("-838:59:59.5");
        v[8] = dconn_text("2024-05-01 12:30:00.25");
        v[9] = dconn_text("{\"a\": [1, \"é\"]}");
        v[10] = dconn_text("héllo 😀");
        v[11] = dconn_blob("\0\1\xff", 3);
        v[12] = dconn_null();
        CHECK_EQ_INT(dconn_exec(c, "INSERT INTO ty (i8, u64, i64, d, f, db, b, dt, tm, dtm, ts, y, j, t, bl, vb, e, s, n) "
                                   "VALUES (?, ?, ?, ?, ?, ?, b'101000000001', ?, ?, ?, '2024-05-01 00:00:01', 2024, ?, ?, ?, x'00ff', 'b', 'x,y', ?)",
                                v, 13, NULL, NULL, &err), DCONN_OK);
        if (err.code) fprintf(stdout, "  %s\n", err.message);
    }
    r = dconn_query(c, "SELECT * FROM ty", NULL, 0, NULL, &err);
    REQUIRE(r);
    {
        int64_t i;
        uint64_t u;
        double d;
        size_t n;
        const void *p;
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &i), DCONN_OK);
        CHECK(i == -128);
        CHECK(dconn_result_type(r, 0, 1) == DCONN_UINT);
        CHECK_EQ_INT(dconn_result_get_uint(r, 0, 1, &u), DCONN_OK);
        CHECK(u == UINT64_MAX);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 2, &i), DCONN_OK);
        CHECK(i == INT64_MIN);
        CHECK(dconn_result_type(r, 0, 3) == DCONN_DECIMAL);
        CHECK_STR(dconn_result_text(r, 0, 3), "12345678901234567890.0123456789");
        CHECK_EQ_INT(dconn_result_get_real(r, 0, 4, &d), DCONN_OK);
        CHECK(d == 1.5);
        CHECK_EQ_INT(dconn_result_get_real(r, 0, 5, &d), DCONN_OK);
        CHECK(d == 0.1);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 6, &i), DCONN_OK);
        CHECK_EQ_INT(i, 0xA01);
        CHECK_STR(dconn_result_text(r, 0, 7), "2024-02-29");
        CHECK_STR(dconn_result_text(r, 0, 8), "-838:59:59.500");   /* a TIME is a duration: hours past 24, a sign */
        CHECK_STR(dconn_result_text(r, 0, 9), "2024-05-01 12:30:00.250");
        CHECK_STR(dconn_result_text(r, 0, 10), "2024-05-01 00:00:01");
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 11, &i), DCONN_OK);
        CHECK_EQ_INT(i, 2024);
        CHECK(dconn_result_type(r, 0, 12) == DCONN_TEXT);
        CHECK_CONTAINS(dconn_result_text(r, 0, 12), "\"é\"");
        CHECK_STR(dconn_result_text(r, 0, 13), "héllo 😀");
        CHECK(dconn_result_type(r, 0, 14) == DCONN_BLOB);
        p = dconn_result_blob(r, 0, 14, &n);
        CHECK(n == 3 && p && memcmp(p, "\0\1\xff", 3) == 0);
        CHECK(dconn_result_type(r, 0, 15) == DCONN_BLOB);
        CHECK_STR(dconn_result_text(r, 0, 16), "b");
        CHECK_STR(dconn_result_text(r, 0, 17), "x,y");
        CHECK(dconn_result_type(r, 0, 18) == DCONN_NULL);
        CHECK_STR(dconn_result_column_decltype(r, 1), "bigint");
        CHECK_STR(dconn_result_column_decltype(r, 3), "decimal");
        CHECK_STR(dconn_result_column_decltype(r, 9), "datetime");
    }
    dconn_result_release(r);
    /* a zero date comes back as the server writes it */
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS zd; CREATE TABLE zd (d date, t datetime)", &err), DCONN_OK);
    {
        /* a SET lasts as long as its session: outside one it is refused */
        dconn_session *s = dconn_session_begin(c, &err);
        REQUIRE(s);
        CHECK_EQ_INT(dconn_session_exec(s, "SET SESSION sql_mode = ''", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO zd VALUES ('0000-00-00', '0000-00-00 00:00:00')", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        dconn_session_end(s);
    }
    CHECK_EQ_INT(dconn_exec(c, "SET SESSION sql_mode = ''", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "session");
    text = tu_query_csv(c, "SELECT d, t FROM zd");
    CHECK_STR(text, "d,t\r\n0000-00-00,0000-00-00 00:00:00\r\n");
    dconn_free(text);
    /* named parameters, one used twice; values of every type through :name */
    {
        dconn_value v[3];
        v[0] = dconn_named(":a", dconn_int(20));
        v[1] = dconn_named("b", dconn_text("x"));
        v[2] = dconn_int(1);
        r = dconn_query(c, "SELECT :a + :a AS s, CONCAT(:b, '?', ':c') AS t, ? AS p, @nothing AS u", v, 3, NULL, &err);
        if (!r) fprintf(stdout, "  %s\n", err.message);
        REQUIRE(r);
        CHECK_STR(dconn_result_text(r, 0, 1), "x?:c");
        {
            int64_t s = 0;
            CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &s), DCONN_OK);
            CHECK_EQ_INT(s, 40);
        }
        dconn_result_release(r);
    }
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE ty; DROP TABLE zd", &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* Values are read where the binary protocol puts them: every integer
   width at both ends, signed and unsigned; texts whose length takes one,
   three, four and nine bytes; dates and times in each of their lengths;
   NULLs across the null bitmap's bytes. The same through a stream, and a
   stream closed early skips the rest. */
static size_t value_len(const dconn_result *r, size_t row, size_t col) {
    size_t n = 0;
    (void)dconn_result_blob(r, row, col, &n);
    return n;
}

static void my_values_in_every_form(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    dconn_stream *st = NULL;
    int pass;
    REQUIRE(ctx);
    c = my_me(ctx, "forms");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS wf; CREATE TABLE wf (k int PRIMARY KEY, a tinyint, b tinyint unsigned, c smallint, "
                                      "d smallint unsigned, e mediumint, f mediumint unsigned, g int, h int unsigned, i bigint, j bigint unsigned, "
                                      "y year, fl float, t longtext, dt date, tm time(6), dtm datetime(6)); "
                                      "INSERT INTO wf VALUES (1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, 1901, "
                                      "-3.25, REPEAT('a', 250), '1000-01-01', '-00:00:01', '2024-01-02 00:00:00'), "
                                      "(2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, "
                                      "18446744073709551615, 2155, 0.1, REPEAT('b', 251), '9999-12-31', '00:00:00', '2024-01-02 03:04:05'), "
                                      "(3, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, NULL, NULL, REPEAT('c', 70000), NULL, '838:59:59.999999', "
                                      "'2024-01-02 03:04:05.000001'), "
                                      "(4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, REPEAT('d', 17000000), NULL, NULL, NULL)",
                                   &err), DCONN_OK);
    if (err.code) fprintf(stdout, "  %s\n", err.message);
    for (pass = 0; pass < 2; pass++) {
        const char *sql = "SELECT * FROM wf ORDER BY k";
        int64_t i;
        uint64_t u;
        double d;
        size_t n;
        if (pass == 0) r = dconn_query(c, sql, NULL, 0, NULL, &err);
        else {
            dconn_stream_options so;
            memset(&so, 0, sizeof so);
            so.chunk_rows = 10;   /* all four rows in one batch */
            st = dconn_stream_query(c, sql, NULL, 0, &so, &err);
            REQUIRE(st);
            r = dconn_stream_next(st, &err);
        }
        if (!r) fprintf(stdout, "  %s\n", err.message);
        REQUIRE(r);
        REQUIRE(dconn_result_rows(r) == 4);
        /* row 1: the lowest values */
        CHECK(dconn_result_get_int(r, 0, 1, &i) == DCONN_OK && i == -128);
        CHECK(dconn_result_get_int(r, 0, 2, &i) == DCONN_OK && i == 0);
        CHECK(dconn_result_get_int(r, 0, 3, &i) == DCONN_OK && i == -32768);
        CHECK(dconn_result_get_int(r, 0, 5, &i) == DCONN_OK && i == -8388608);
        CHECK(dconn_result_get_int(r, 0, 7, &i) == DCONN_OK && i == INT32_MIN);
        CHECK(dconn_result_get_int(r, 0, 9, &i) == DCONN_OK && i == INT64_MIN);
        CHECK(dconn_result_get_int(r, 0, 11, &i) == DCONN_OK && i == 1901);
        CHECK(dconn_result_get_real(r, 0, 12, &d) == DCONN_OK && d == -3.25);
        CHECK(value_len(r, 0, 13) == 250);
        CHECK_STR(dconn_result_text(r, 0, 14), "1000-01-01");
        CHECK_STR(dconn_result_text(r, 0, 15), "-00:00:01.000000");
        CHECK_STR(dconn_result_text(r, 0, 16), "2024-01-02 00:00:00.000000");
        /* row 2: the highest */
        CHECK(dconn_result_get_int(r, 1, 1, &i) == DCONN_OK && i == 127);
        CHECK(dconn_result_get_int(r, 1, 2, &i) == DCONN_OK && i == 255);
        CHECK(dconn_result_get_int(r, 1, 3, &i) == DCONN_OK && i == 32767);
        CHECK(dconn_result_get_int(r, 1, 4, &i) == DCONN_OK && i == 65535);
        CHECK(dconn_result_get_int(r, 1, 5, &i) == DCONN_OK && i == 8388607);
        CHECK(dconn_result_get_int(r, 1, 6, &i) == DCONN_OK && i == 16777215);
        CHECK(dconn_result_get_int(r, 1, 7, &i) == DCONN_OK && i == INT32_MAX);
        CHECK(dconn_result_get_int(r, 1, 8, &i) == DCONN_OK && i == 4294967295);
        CHECK(dconn_result_get_int(r, 1, 9, &i) == DCONN_OK && i == INT64_MAX);
        CHECK(dconn_result_type(r, 1, 10) == DCONN_UINT);
        CHECK(dconn_result_get_uint(r, 1, 10, &u) == DCONN_OK && u == UINT64_MAX);
        CHECK(dconn_result_get_int(r, 1, 11, &i) == DCONN_OK && i == 2155);
        CHECK(dconn_result_get_real(r, 1, 12, &d) == DCONN_OK && d == 0.1);
        CHECK(value_len(r, 1, 13) == 251);
        CHECK_STR(dconn_result_text(r, 1, 15), "00:00:00.000000");
        CHECK_STR(dconn_result_text(r, 1, 16), "2024-01-02 03:04:05.000000");
        /* row 3: -1 in every signed width, 1 in every unsigned one */
        for (n = 1; n <= 10; n++) CHECK(dconn_result_get_int(r, 2, n, &i) == DCONN_OK && i == (n % 2 ? -1 : 1));
        CHECK(dconn_result_type(r, 2, 11) == DCONN_NULL && dconn_result_type(r, 2, 12) == DCONN_NULL);
        CHECK(value_len(r, 2, 13) == 70000 && dconn_result_text(r, 2, 13)[69999] == 'c');
        CHECK_STR(dconn_result_text(r, 2, 15), "838:59:59.999999");
        CHECK_STR(dconn_result_text(r, 2, 16), "2024-01-02 03:04:05.000001");
        /* row 4: NULLs around a text whose length takes nine bytes */
        for (n = 1; n <= 12; n++) CHECK(dconn_result_type(r, 3, n) == DCONN_NULL);
        CHECK(value_len(r, 3, 13) == 17000000 && dconn_result_text(r, 3, 13)[16999999] == 'd');
        for (n = 14; n <= 16; n++) CHECK(dconn_result_type(r, 3, n) == DCONN_NULL);
        CHECK(dconn_result_get_int(r, 3, 0, &i) == DCONN_OK && i == 4);
        if (pass == 0) dconn_result_release(r);
        else CHECK_EQ_INT(dconn_stream_close(st), DCONN_OK);   /* its chunks are borrowed */
    }
    /* read by rows, in place: the same values as the whole result */
    {
        dconn_result *whole = dconn_query(c, "SELECT * FROM wf ORDER BY k", NULL, 0, NULL, &err);
        const dconn_value *row;
        dconn_value want[17];
        size_t rows = 0, col;
        REQUIRE(whole);
        st = dconn_stream_query(c, "SELECT * FROM wf ORDER BY k", NULL, 0, NULL, &err);
        REQUIRE(st);
        while ((row = dconn_stream_row(st, &err)) != NULL) {
            REQUIRE(dconn_result_row(whole, rows, want, 17) == 17);
            for (col = 0; col < 17; col++) {
                const dconn_value *g = &row[col], *w = &want[col];
                CHECK(g->type == w->type);
                CHECK_STR(g->name, w->name);
                if (g->type != w->type) continue;
                if (g->type == DCONN_INT) CHECK(g->i == w->i);
                else if (g->type == DCONN_UINT) CHECK(g->u == w->u);
                else if (g->type == DCONN_REAL) CHECK(g->d == w->d);
                else if (g->type != DCONN_NULL) CHECK(g->n == w->n && memcmp(g->p, w->p, w->n) == 0);
                else CHECK(g->p == NULL && g->n == 0);
            }
            rows++;
        }
        CHECK_EQ_INT(err.code, DCONN_OK);
        CHECK(rows == 4);
        CHECK_EQ_INT(dconn_stream_close(st), DCONN_OK);
        dconn_result_release(whole);
        /* stopped after one row: the connection serves the next statement */
        st = dconn_stream_query(c, "SELECT * FROM wf ORDER BY k", NULL, 0, NULL, &err);
        REQUIRE(st);
        CHECK((row = dconn_stream_row(st, &err)) != NULL && row[0].i == 1);
        CHECK_EQ_INT(dconn_stream_close(st), DCONN_OK);
    }
    /* a stream closed after its first row: the rest is skipped, and the connection serves the next query */
    {
        dconn_stream_options so;
        memset(&so, 0, sizeof so);
        so.chunk_rows = 1;
        st = dconn_stream_query(c, "SELECT k, t FROM wf ORDER BY k", NULL, 0, &so, &err);
    }
    REQUIRE(st);
    r = dconn_stream_next(st, &err);
    REQUIRE(r);
    CHECK(value_len(r, 0, 1) == 250);
    CHECK_EQ_INT(dconn_stream_close(st), DCONN_OK);
    r = dconn_query(c, "SELECT COUNT(*) FROM wf", NULL, 0, NULL, &err);
    REQUIRE(r);
    {
        int64_t rows = 0;
        CHECK(dconn_result_get_int(r, 0, 0, &rows) == DCONN_OK && rows == 4);
    }
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE wf", &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* A statement run again is found by its text and its values bound in
   order; anything else (other counts, names) is checked as the first time. */
static void my_statement_run_again(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    dconn_value v[2];
    int64_t i = 0;
    int k;
    REQUIRE(ctx);
    c = my_me(ctx, "again");
    REQUIRE(c);
    for (k = 0; k < 3; k++) {
        v[0] = dconn_int(40 + k);
        r = dconn_query(c, "SELECT ? AS a, '?' AS q", v, 1, NULL, &err);
        REQUIRE(r);
        CHECK(dconn_result_get_int(r, 0, 0, &i) == DCONN_OK && i == 40 + k);
        CHECK_STR(dconn_result_text(r, 0, 1), "?");
        dconn_result_release(r);
    }
    CHECK(dconn_query(c, "SELECT ? AS a, '?' AS q", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "more ? parameters than the 0 positional values given");
    v[1] = dconn_int(2);
    CHECK(dconn_query(c, "SELECT ? AS a, '?' AS q", v, 2, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "2 positional values were given but the SQL has 1");
    v[0] = dconn_named("x", dconn_int(1));
    CHECK(dconn_query(c, "SELECT ? AS a, '?' AS q", v, 1, NULL, &err) == NULL);
    CHECK(err.code == DCONN_EQUERY);
    /* named and positional together: rewritten each time, the same answer each time */
    for (k = 0; k < 3; k++) {
        v[0] = dconn_named(":a", dconn_int(k));
        v[1] = dconn_int(100);
        r = dconn_query(c, "SELECT :a + ? AS s", v, 2, NULL, &err);
        REQUIRE(r);
        CHECK(dconn_result_get_int(r, 0, 0, &i) == DCONN_OK && i == 100 + k);
        dconn_result_release(r);
    }
    dconn_release(c);
    dconn_close(ctx);
}

/* A CALL's result may have other columns each run; an error after its
   first result ends a stream with that error; MariaDB's own executable
   comments are SQL; a stream's error midway points nowhere in the SQL. */
static void my_procedures_and_comments(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    dconn_stream *s;
    dconn_value v;
    dconn_query_options q;
    int k;
    REQUIRE(ctx);
    c = my_me(ctx, "procs");
    REQUIRE(c);
    memset(&q, 0, sizeof q);
    q.ttl = "0";
    CHECK_EQ_INT(dconn_exec_script(c, "DROP PROCEDURE IF EXISTS pn; CREATE PROCEDURE pn(IN k INT) BEGIN "
                                      "IF k = 1 THEN SELECT 1 AS a, 'x' AS b; ELSE SELECT 2 AS zzz, 'y' AS www; END IF; END; "
                                      "DROP PROCEDURE IF EXISTS pe; CREATE PROCEDURE pe() BEGIN SELECT 1 AS a; SELECT * FROM no_such_table_here; END",
                                   &err), DCONN_OK);
    for (k = 0; k < 4; k++) {
        v = dconn_int(k % 2 ? 2 : 1);
        r = dconn_query(c, "CALL pn(?)", &v, 1, &q, &err);
        REQUIRE(r);
        CHECK_STR(dconn_result_column_name(r, 0), k % 2 ? "zzz" : "a");
        CHECK_STR(dconn_result_column_name(r, 1), k % 2 ? "www" : "b");
        dconn_result_release(r);
    }
    v = dconn_int(2);
    s = dconn_stream_query(c, "CALL pn(?)", &v, 1, NULL, &err);
    REQUIRE(s);
    CHECK_STR(dconn_result_column_name(dconn_stream_columns(s), 0), "zzz");
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    /* the error after the first result: by chunks and by rows */
    for (k = 0; k < 2; k++) {
        long rows = 0;
        s = dconn_stream_query(c, "CALL pe()", NULL, 0, NULL, &err);
        REQUIRE(s);
        if (k == 0) while (dconn_stream_next(s, &err) != NULL) rows++;
        else while (dconn_stream_row(s, &err) != NULL) rows++;
        CHECK(err.code == DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "ERROR 1146");
        CHECK(dconn_stream_close(s) != DCONN_OK);
        CHECK(rows == 1);
    }
    /* the error among a later result's rows, by query and by stream */
    CHECK_EQ_INT(dconn_exec_script(c, "DROP PROCEDURE IF EXISTS pr; CREATE PROCEDURE pr() BEGIN SELECT 1 AS a; SELECT (SELECT 1 UNION SELECT 2) AS b; END",
                                   &err), DCONN_OK);
    CHECK(dconn_query(c, "CALL pr()", NULL, 0, &q, &err) == NULL);
    CHECK_CONTAINS(err.message, "ERROR 1242");
    s = dconn_stream_query(c, "CALL pr()", NULL, 0, NULL, &err);
    REQUIRE(s);
    while (dconn_stream_row(s, &err) != NULL) {}
    CHECK_CONTAINS(err.message, "ERROR 1242");
    CHECK(dconn_stream_close(s) != DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 41 + 1"), 42);
    /* slash-star-M-bang runs on MariaDB: a SET in it leaves state, refused outside a session */
    CHECK_EQ_INT(dconn_exec(c, "/*M! SET @x = 6 */", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_exec(c, "/*M!100000 SET sql_mode = 'ANSI_QUOTES' */", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    {
        dconn_value two[2];
        two[0] = dconn_int(1);
        two[1] = dconn_int(2);
        r = dconn_query(c, "SELECT ? AS a /*M!100000 , ? AS b */", two, 2, &q, &err);
        if (!r) fprintf(stdout, "  %s\n", err.message);
        REQUIRE(r);
        CHECK(dconn_result_cols(r) == 2);
        dconn_result_release(r);
    }
    /* an error while a stream's rows come: no place in the SQL */
    s = dconn_stream_query(c, "SELECT seq, IF(seq = 300, (SELECT 1 UNION SELECT 2), 1) FROM seq_1_to_1000", NULL, 0, NULL, &err);
    REQUIRE(s);
    while (dconn_stream_next(s, &err) != NULL) {}
    CHECK_CONTAINS(err.message, "ERROR 1242");
    CHECK_EQ_INT(err.sql_offset, -1);
    dconn_stream_close(s);
    /* closed early with much left: after 1 MiB the connection is dropped rather than read on (a fresh one next) */
    {
        int64_t before = 0, after = 0;
        dconn_result *id = dconn_query(c, "SELECT CONNECTION_ID()", NULL, 0, &q, &err);
        REQUIRE(id);
        CHECK(dconn_result_get_int(id, 0, 0, &before) == DCONN_OK);
        dconn_result_release(id);
        s = dconn_stream_query(c, "SELECT seq, REPEAT('x', 65536) AS big FROM seq_1_to_300", NULL, 0, NULL, &err);
        REQUIRE(s);
        CHECK(dconn_stream_row(s, &err) != NULL);
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
        id = dconn_query(c, "SELECT CONNECTION_ID()", NULL, 0, &q, &err);
        REQUIRE(id);
        CHECK(dconn_result_get_int(id, 0, 0, &after) == DCONN_OK);
        CHECK(after != before);
        dconn_result_release(id);
    }
    CHECK_EQ_INT(dconn_exec_script(c, "DROP PROCEDURE pn; DROP PROCEDURE pe; DROP PROCEDURE pr", &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* dconn_exec's changes are rows matched (CLIENT_FOUND_ROWS, as SQLAlchemy),
   last_insert_id the AUTO_INCREMENT value; sessions commit and roll back. */
static void my_writes_and_sessions(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_exec_info info;
    dconn_session *s;
    int k;
    REQUIRE(ctx);
    c = my_me(ctx, "writes");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS w; CREATE TABLE w (id int AUTO_INCREMENT PRIMARY KEY, n int)", &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO w (n) VALUES (1), (1)", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 2);
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO w (n) VALUES (5)", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.last_insert_id, 3);
    CHECK_EQ_INT(dconn_exec(c, "SELECT 1", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.last_insert_id, 0);   /* not the INSERT's before it */
    CHECK_EQ_INT(dconn_exec(c, "SELECT n FROM w", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 0);   /* rows read, none changed */
    CHECK_EQ_INT(dconn_exec(c, "UPDATE w SET n = 1 WHERE n = 1", NULL, 0, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 2);   /* matched, though none changed */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO w (n) VALUES (7)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM w WHERE n = 7"), 0);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO w (n) VALUES (8)", NULL, 0, NULL, &err), DCONN_OK);
    {
        dconn_result *r = dconn_session_query(s, "SELECT count(*) FROM w WHERE n = 8", NULL, 0, &err);
        int64_t n = 0;
        REQUIRE(r);
        CHECK_EQ_INT(dconn_result_get_int(r, 0, 0, &n), DCONN_OK);
        CHECK_EQ_INT(n, 1);
        dconn_result_release(r);
    }
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM w WHERE n = 8"), 1);
    /* DDL commits implicitly: the session says so, and a rollback does not pretend to undo it */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO w (n) VALUES (9)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "CREATE TABLE IF NOT EXISTS w_ddl (v INT)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO w (n) VALUES (10)", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "implicitly");
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "nothing to roll back");
    CHECK_CONTAINS(err.message, "stays committed");
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM w WHERE n = 9"), 1);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM w WHERE n = 10"), 0);
    /* a DDL statement that fails commits first all the same; START TRANSACTION inside one commits it (a new one
       stays open); an executable comment's ROLLBACK is a ROLLBACK */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO w (n) VALUES (11)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "CREATE TABLE w_ddl (v INT)", NULL, 0, NULL, &err), DCONN_EQUERY);   /* it exists */
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "stays committed");
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO w (n) VALUES (12)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "START TRANSACTION", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "stays committed");
    CHECK_EQ_INT(dconn_session_exec(s, "CREATE OR REPLACE TEMPORARY TABLE w_tmp (a INT)", NULL, 0, NULL, &err), DCONN_OK);   /* no commit */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO w (n) VALUES (13)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "/*!ROLLBACK */", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "a ROLLBACK ran as a statement");
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM w WHERE n IN (11, 12)"), 2);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM w WHERE n = 13"), 0);
    CHECK_EQ_INT(dconn_exec(c, "DELETE FROM w WHERE n IN (11, 12)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    /* a procedure that turns autocommit off does not leave a pooled handle that opens a transaction with every statement */
    CHECK_EQ_INT(dconn_exec(c, "CREATE PROCEDURE w_ac_off() BEGIN SET autocommit = 0; END", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK(dconn_exec(c, "CALL w_ac_off()", NULL, 0, NULL, NULL, &err) != DCONN_OK);
    CHECK_CONTAINS(err.message, "left state");
    for (k = 0; k < 3; k++) CHECK_EQ_INT(dconn_exec(c, "INSERT INTO w (n) VALUES (14)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM w WHERE n = 14"), 3);
    CHECK_EQ_INT(dconn_exec(c, "DELETE FROM w WHERE n = 14", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "DROP PROCEDURE w_ac_off", NULL, 0, NULL, NULL, &err), DCONN_OK);
    /* a rollback that MyISAM's rows outlive says so */
    CHECK_EQ_INT(dconn_exec(c, "CREATE TABLE w_myi (a INT) ENGINE=MyISAM", NULL, 0, NULL, NULL, &err), DCONN_OK);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO w_myi VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "could not undo the writes to tables without transactions");
    /* that failed rollback is not a lost connection: a DDL statement failing after it has still committed first */
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO w (n) VALUES (15)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "CREATE TABLE w_ddl (v INT)", NULL, 0, NULL, NULL), DCONN_EQUERY);   /* it exists; no err given */
    CHECK_EQ_INT(dconn_session_rollback(s, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "stays committed");
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM w WHERE n = 15"), 1);
    CHECK_EQ_INT(dconn_exec(c, "DELETE FROM w WHERE n = 15", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM w_myi"), 1);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE w_myi", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE w_ddl", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "DELETE FROM w WHERE n = 9", NULL, 0, NULL, NULL, &err), DCONN_OK);
    /* a cached read, dropped by a write */
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM w"), 4);
    /* errors say what the server said, with the SQL */
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO nowhere VALUES (1)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "ERROR 1146 (42S02): Table 'local_db.nowhere' doesn't exist");
    CHECK_CONTAINS(err.message, "INSERT INTO nowhere");
    CHECK_EQ_INT(err.native_code, 1146);
    CHECK_EQ_INT(dconn_exec(c, "SELEC 1", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "ERROR 1064 (42000)");
    CHECK_NOT_CONTAINS(err.message, "more than one statement");
    /* two statements where one goes: the server's words, and what to use instead */
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO w (n) VALUES (90); INSERT INTO w (n) VALUES (91)", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "ERROR 1064 (42000)");
    CHECK_CONTAINS(err.message, "use dconn_exec_script for several");
    CHECK_EQ_INT(dconn_exec(c, "SELEC 1; -- one statement\n", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_NOT_CONTAINS(err.message, "more than one statement");
    /* SET GLOBAL changes the server, not the pooled handle: it runs outside a session; SET SESSION is refused */
    {
        int64_t before = tu_query_int(c, "SELECT @@global.max_connections");
        char undo[96];
        CHECK_EQ_INT(dconn_exec(c, "SET GLOBAL max_connections = 77", NULL, 0, NULL, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(tu_query_int(c, "SELECT @@global.max_connections"), 77);
        snprintf(undo, sizeof undo, "SET @@global.max_connections = %lld", (long long)before);
        CHECK_EQ_INT(dconn_exec(c, undo, NULL, 0, NULL, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_exec(c, "SET GLOBAL max_connections = 90, @v = 1", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);   /* a user variable too */
        CHECK_EQ_INT(dconn_exec(c, undo, NULL, 0, NULL, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_exec(c, "SET SESSION sql_mode = ''", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
        CHECK_CONTAINS(err.message, "connect_args.init_command");
        {
            /* which SETs are the session's, as the driver reads them */
            static const struct { const char *sql; int state; } sets[] = {
                {"SET GLOBAL max_connections = 500", 0}, {"SET @@global.max_connections = 500", 0}, {"set persist x = 1", 0},
                {"SET GLOBAL max_connections = 500, @@sql_mode = ''", 1}, {"SET @@global.max_connections = 500, sql_mode = ''", 1},
                {"SET @@persist.x = 1, names utf8mb4", 1}, {"SET @@sql_mode = ''", 1}, {"SET NAMES utf8mb4", 1}, {"SET x = 1", 1},
                {"SET", 1}, {"/*!SET GLOBAL x = 1 */", 0}, {"SET GLOBAL x = 1; SET y = 2", 1},
                /* SET STATEMENT's settings last one statement; a routine's body runs later; CREATE OR REPLACE TEMPORARY is one */
                {"SET STATEMENT max_statement_time = 10 FOR UPDATE k SET c = 1", 0}, {"SET STATEMENT x = 1 FOR SET @a := 1", 1},
                {"CREATE PROCEDURE p() BEGIN DECLARE x INT; SET x = 1; SET @s := 1; IF x THEN SET @t = 2; END IF; END", 0},
                {"CREATE DEFINER = `root`@`%` PROCEDURE p() BEGIN CASE WHEN 1 THEN SET @a = 1; END CASE; SELECT CASE 1 WHEN 1 THEN 2 END; END; SET @b = 1", 1},
                {"CREATE TRIGGER tr BEFORE INSERT ON k FOR EACH ROW SET @n := NEW.a", 0},
                {"CREATE TABLE ev (event INT); SET @x = 1", 1}, {"CREATE TABLE ev (event INT)", 0},
                {"CREATE OR REPLACE TEMPORARY TABLE x (a INT)", 1}, {"create or replace procedure p() set @z := 1", 0},
                {"SET @statement = 1", 1}, {"SET @global = 1", 1}, {"SET @statement := 5, @x = 2", 1}};
            size_t k2;
            for (k2 = 0; k2 < sizeof sets / sizeof sets[0]; k2++) {
                int state = -1;
                (void)dconn_my__classify(sets[k2].sql, &state);
                if (state != sets[k2].state) fprintf(stdout, "  %s: state %d\n", sets[k2].sql, state);
                CHECK_EQ_INT(state, sets[k2].state);
            }
            /* the statement after SET STATEMENT ... FOR is read as any: a SELECT is a read, cached */
            CHECK_EQ_INT(dconn_my__classify("SET STATEMENT max_statement_time = 10 FOR SELECT 1", &k), 1);
            CHECK_EQ_INT(dconn_my__classify("SET STATEMENT max_statement_time = 10 FOR DELETE FROM t", &k), 0);
        }
    }
    /* a script that fails midway says which statement, and that the ones before it stay */
    CHECK_EQ_INT(dconn_exec_script(c, "INSERT INTO w (n) VALUES (21); INSERT INTO w (n) VALUES (22); SELECT * FROM nowhere; "
                                      "INSERT INTO w (n) VALUES (23)", &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "(at the script's statement 3: the 2 before it ran and were committed)");
    CHECK_EQ_INT(err.sql_offset, 62);   /* the failing statement's start: the CLI tells its line in the file */
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM w WHERE n IN (21, 22, 23)"), 2);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE w", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* A script written for the mysql client with DELIMITER (mysqldump's
   routines and triggers) runs as the client runs it. */
static void my_script_delimiter(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_exec_options eo;
    REQUIRE(ctx);
    c = my_me(ctx, "delimiter");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c,
                                   "DROP TABLE IF EXISTS dl; DROP PROCEDURE IF EXISTS dl_p;\n"
                                   "CREATE TABLE dl (n int);\n"
                                   "-- as mysqldump writes a trigger\n"
                                   "DELIMITER ;;\n"
                                   "/*!50003 CREATE*/ /*!50003 TRIGGER dl_bi BEFORE INSERT ON dl FOR EACH ROW BEGIN\n"
                                   "  SET NEW.n = NEW.n * 10;\n"
                                   "  SET NEW.n = NEW.n + 1;\n"
                                   "END */;;\n"
                                   "CREATE PROCEDURE dl_p() BEGIN INSERT INTO dl VALUES (5); INSERT INTO dl VALUES (6); END;;\n"
                                   "DELIMITER ;\n"
                                   "CALL dl_p(); INSERT INTO dl VALUES (7);\n"
                                   "delimiter //\n"
                                   "INSERT INTO dl VALUES (8) // INSERT INTO dl VALUES (';;') //\n",
                                   &err), DCONN_EQUERY);   /* ';;' is no int: the last statement fails, the others stay */
    CHECK_CONTAINS(err.message, "before it ran and were committed)");   /* (a CALL's results are counted as statements: not numbered) */
    CHECK_EQ_INT(tu_query_int(c, "SELECT sum(n) FROM dl"), 51 + 61 + 71 + 81);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM information_schema.triggers WHERE trigger_name = 'dl_bi'"), 1);
    /* a failure names its statement, counted across the delimiters */
    CHECK_EQ_INT(dconn_exec_script(c, "DELIMITER $$\nINSERT INTO dl VALUES (1)$$\nINSERT INTO nowhere VALUES (1)$$\nDELIMITER ;\nINSERT INTO dl VALUES (2);\n", &err),
                 DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "nowhere");
    CHECK_CONTAINS(err.message, "(at the script's statement 2: the 1 before it ran and were committed)");
    CHECK_EQ_INT(err.sql_offset, 41);   /* its line: the third */
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM dl WHERE n IN (11, 21)"), 1);
    /* under ';', after a DELIMITER's piece */
    CHECK_EQ_INT(dconn_exec_script(c, "DELIMITER $$\nINSERT INTO dl VALUES (1)$$\nDELIMITER ;\nINSERT INTO dl VALUES (2);\n-- x;\n  INSERT INTO nowhere VALUES (1);\n",
                                   &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "(at the script's statement 3: the 2 before it ran and were committed)");
    CHECK_EQ_INT(err.sql_offset, 88);
    CHECK_EQ_INT(dconn_exec(c, "DELETE FROM dl WHERE n IN (11, 21)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    /* a DELIMITER that is not first on its line, or inside a string, is SQL: the server says what is wrong */
    CHECK_EQ_INT(dconn_exec_script(c, "INSERT INTO dl VALUES (3); SELECT 'x\nDELIMITER //\n' FROM dl; INSERT INTO dl VALUES (4)", &err), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM dl WHERE n IN (31, 41)"), 2);
    /* a cancel stops the script at the statement it reached: the rest never runs */
    memset(&eo, 0, sizeof eo);
    eo.script = 1;
    eo.timeout = "300ms";
    CHECK(dconn_exec(c, "DELIMITER //\nDO SLEEP(3) //\nINSERT INTO dl VALUES (9) //\n", NULL, 0, &eo, NULL, &err) != DCONN_OK);
    CHECK_CONTAINS(err.message, "interrupted");
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM dl WHERE n = 91"), 0);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE dl; DROP PROCEDURE dl_p", &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* A stream reads rows as they come, on an unbuffered statement. */
static void my_stream(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_stream *s;
    dconn_result *chunk;
    long rows = 0;
    int64_t sum = 0;
    REQUIRE(ctx);
    c = my_me(ctx, "stream");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS g; CREATE TABLE g (n int PRIMARY KEY); "
                                      "INSERT INTO g SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 1 FROM "
                                      "(SELECT 0 d UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9) a, "
                                      "(SELECT 0 d UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9) b, "
                                      "(SELECT 0 d UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9) c, "
                                      "(SELECT 0 d UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4) e", &err), DCONN_OK);
    s = dconn_stream_query(c, "SELECT n, REPEAT('x', n % 700) AS pad FROM g ORDER BY n", NULL, 0, NULL, &err);
    REQUIRE(s);
    while ((chunk = dconn_stream_next(s, &err)) != NULL) {
        size_t i;
        for (i = 0; i < dconn_result_rows(chunk); i++) {
            int64_t n = 0;
            size_t len = 0;
            dconn_result_get_int(chunk, i, 0, &n);
            (void)dconn_result_blob(chunk, i, 1, &len);
            CHECK_EQ_INT((int64_t)len, n % 700);
            sum += n;
            rows++;
        }
    }
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    CHECK_EQ_INT(rows, 5000);
    CHECK(sum == 5000 * 5001 / 2);
    /* closed early: the connection is usable at once */
    s = dconn_stream_query(c, "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3", NULL, 0, NULL, &err);
    REQUIRE(s);
    CHECK(dconn_stream_next(s, &err) != NULL);
    CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 42"), 42);
    dconn_release(c);
    dconn_close(ctx);
}

/* The guide's example word for word: one global secrets file, two
   connections, env:DB_CONN picks one at run time. */
static void my_env_db_conn(void) {
    char secrets[1024], path[256];
    int round;
    snprintf(path, sizeof path, "%s/guide/secrets.toml", TU_DIR);
    snprintf(secrets, sizeof secrets,
             "[connections.local]\nurl = \"mysql://me:me-secret-1@127.0.0.1:%d/local_db\"\n\n"
             "[connections.staging]\nurl = \"mysql://jdoe:jd%%3Ao%%40e%%2Fpw%%232@127.0.0.1:%d/staging_db\"\n", my_port(), my_port());
    tu_write(path, secrets);
    for (round = 0; round < 2; round++) {
        dconn_ctx *ctx;
        dconn_conn *c;
        dconn_error err;
        char *text;
        setenv("DB_CONN", round ? "staging" : "local", 1);
        ctx = my_open(path);
        REQUIRE(ctx);
        c = dconn_connect(ctx, "env:DB_CONN", "sql", NULL, &err);
        if (!c) fprintf(stdout, "  %s\n", err.message);
        REQUIRE(c);
        text = tu_query_csv(c, "select * from mytable");
        CHECK_STR(text, round ? "id,name\r\n1,staging row\r\n" : "id,name\r\n1,local row\r\n");
        dconn_free(text);
        dconn_release(c);
        dconn_close(ctx);
    }
    unsetenv("DB_CONN");
}

/* The server ends the session while the handle sits idle (KILL, a
   restart): the next statement finds out before sending and reconnects,
   with no error and no retry. */
static void my_idle_session_ended(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c, *root;
    dconn_error err;
    char sql[80];
    int64_t id;
    REQUIRE(ctx);
    c = my_me(ctx, "idle");
    root = my_root(ctx);
    REQUIRE(c && root);
    id = tu_query_int(c, "SELECT CONNECTION_ID()");
    snprintf(sql, sizeof sql, "KILL CONNECTION %lld", (long long)id);
    CHECK_EQ_INT(dconn_exec(root, sql, NULL, 0, NULL, NULL, &err), DCONN_OK);
    tu_sleep_ms((long)((DCONN_MY__FRESH + 0.05) * 1000));
    tu_log_reset();
    CHECK(tu_query_int(c, "SELECT CONNECTION_ID()") != id);
    CHECK_EQ_INT(tu_sleeps, 0);
    dconn_release(root);
    dconn_release(c);
    dconn_close(ctx);
}

/* --- faults: a helper thread holds a row lock in a session of its own, so
   the statement under test waits on it, with no timing guesswork; the
   waits poll the server (10 ms steps, at most 10 s). */


/* The connection id of the statement whose text holds `marker`, once it runs (0 if none shows). */
static int64_t my_wait_running(dconn_conn *root, const char *marker) {
    char sql[300];
    int i;
    snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(ID), 0) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%%%s%%' AND ID <> CONNECTION_ID()", marker);
    for (i = 0; i < 1000; i++) {
        int64_t id = tu_query_int(root, sql);
        if (id > 0) return id;
        tu_sleep_ms(10);
    }
    return 0;
}

typedef struct my_fault {
    dconn_conn *locker, *root;
    const char *marker, *kill;      /* "KILL QUERY" or "KILL CONNECTION" */
    int locked;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} my_fault;

static void *my_fault_thread(void *arg) {
    my_fault *f = (my_fault *)arg;
    dconn_error err;
    dconn_session *s = dconn_session_begin(f->locker, &err);
    int64_t id;
    char sql[80];
    if (!s) fprintf(stdout, "  locker: %s\n", err.message);
    if (s && dconn_session_exec(s, "SELECT n FROM k WHERE id = 1 FOR UPDATE", NULL, 0, NULL, &err)) fprintf(stdout, "  locker: %s\n", err.message);
    pthread_mutex_lock(&f->mu);
    f->locked = s ? 1 : -1;
    pthread_cond_signal(&f->cv);
    pthread_mutex_unlock(&f->mu);
    if (!s) return NULL;
    id = my_wait_running(f->root, f->marker);
    snprintf(sql, sizeof sql, "%s %lld", f->kill, (long long)id);
    if (id) dconn_exec(f->root, sql, NULL, 0, NULL, NULL, &err);
    tu_sleep_ms(100);   /* the killed statement's retry, if any, waits on the lock again */
    dconn_session_commit(s, &err);
    dconn_session_end(s);
    return NULL;
}

/* KILL QUERY and KILL CONNECTION while a statement waits on a row lock:
   a read is retried and succeeds; a write is never applied twice, and
   the message says what happened. */
static void my_killed_while_running(void) {
    static const char *const kills[] = {"KILL QUERY", "KILL CONNECTION"};
    dconn_ctx *ctx = my_open("");
    dconn_conn *c, *root, *locker;
    dconn_error err;
    size_t k;
    REQUIRE(ctx);
    c = my_me(ctx, "victim");
    root = my_root(ctx);
    locker = my_me(ctx, "locker");
    REQUIRE(c && root && locker);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS k; CREATE TABLE k (id int PRIMARY KEY, n int); INSERT INTO k VALUES (1, 0)", &err), DCONN_OK);
    for (k = 0; k < 2; k++) {
        int write;
        for (write = 0; write < 2; write++) {
            my_fault f;
            pthread_t th;
            char sql[160], marker[40];
            int64_t before = tu_query_int(root, "SELECT n FROM local_db.k WHERE id = 1"), after;
            dconn_status st;
            memset(&f, 0, sizeof f);
            snprintf(marker, sizeof marker, "fault_%zu_%d", k, write);
            f.locker = locker;
            f.root = root;
            f.marker = marker;
            f.kill = kills[k];
            pthread_mutex_init(&f.mu, NULL);
            pthread_cond_init(&f.cv, NULL);
            REQUIRE(pthread_create(&th, NULL, my_fault_thread, &f) == 0);
            pthread_mutex_lock(&f.mu);
            while (!f.locked) pthread_cond_wait(&f.cv, &f.mu);
            pthread_mutex_unlock(&f.mu);
            tu_log_reset();
            if (write) {
                snprintf(sql, sizeof sql, "UPDATE k SET n = n + 1 WHERE id = 1 /* %s */", marker);
                st = dconn_exec(c, sql, NULL, 0, NULL, NULL, &err);
            } else {
                dconn_query_options qo;
                dconn_result *r;
                memset(&qo, 0, sizeof qo);
                qo.ttl = "0";
                snprintf(sql, sizeof sql, "SELECT n FROM k WHERE id = 1 FOR UPDATE /* %s */", marker);
                r = dconn_query(c, sql, NULL, 0, &qo, &err);
                st = r ? DCONN_OK : err.code;
                dconn_result_release(r);
            }
            pthread_join(th, NULL);
            after = tu_query_int(root, "SELECT n FROM local_db.k WHERE id = 1");
            if (!write) {
                if (st) fprintf(stdout, "  %s, read: %s\n", kills[k], err.message);
                CHECK_EQ_INT(st, DCONN_OK);   /* retried */
                CHECK(tu_sleeps >= 1);
            } else if (k == 0) {
                /* KILL QUERY: InnoDB rolled the statement back; someone stopped it on purpose: not retried */
                CHECK_EQ_INT(st, DCONN_EQUERY);
                CHECK_CONTAINS(err.message, "ERROR 1317");
                CHECK_CONTAINS(err.message, "KILL QUERY");
                CHECK(after == before);
            } else {
                /* KILL CONNECTION: retried when the server said so (the statement was rolled back), else "may or may not" */
                if (st) CHECK_CONTAINS(err.message, "may or may not have applied it");
                CHECK(after == before + (st == DCONN_OK));
            }
            pthread_mutex_destroy(&f.mu);
            pthread_cond_destroy(&f.cv);
        }
    }
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE k", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(locker);
    dconn_release(root);
    dconn_release(c);
    dconn_close(ctx);
}

/* A deadlock between a session and a plain statement: the plain
   statement, InnoDB's victim (the session wrote more), is retried and
   succeeds; a session that is the victim fails, and says that InnoDB
   rolled its whole transaction back. */
typedef struct my_dead {
    dconn_conn *c;
    const char *sql;
    int in_session;
    dconn_status st, after;
    dconn_error err;
} my_dead;

static void *my_dead_thread(void *arg) {
    my_dead *d = (my_dead *)arg;
    if (!d->in_session) {
        d->st = dconn_exec(d->c, d->sql, NULL, 0, NULL, NULL, &d->err);
    } else {
        dconn_session *s = dconn_session_begin(d->c, &d->err);
        d->st = s ? dconn_session_exec(s, "UPDATE d SET n = n + 1 WHERE id = 2", NULL, 0, NULL, &d->err) : DCONN_EQUERY;
        if (!d->st) d->st = dconn_session_exec(s, d->sql, NULL, 0, NULL, &d->err);
        if (!d->st) d->st = dconn_session_commit(s, &d->err);
        else {
            /* InnoDB rolled the transaction back: the session runs nothing more, and never autocommits */
            dconn_error again;
            d->after = dconn_session_exec(s, "UPDATE d SET n = n + 100 WHERE id = 2", NULL, 0, NULL, &again);
        }
        dconn_session_end(s);
    }
    return NULL;
}

static void my_deadlock(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *a, *b, *root;
    dconn_error err;
    int in_session;
    REQUIRE(ctx);
    a = my_me(ctx, "heavy");
    b = my_me(ctx, "light");
    root = my_root(ctx);
    REQUIRE(a && b && root);
    for (in_session = 0; in_session < 2; in_session++) {
        dconn_session *s;
        my_dead d;
        pthread_t th;
        int64_t n1, n2;
        CHECK_EQ_INT(dconn_exec_script(a, "DROP TABLE IF EXISTS d; CREATE TABLE d (id int PRIMARY KEY, n int); INSERT INTO d VALUES (1, 0), (2, 0); "
                                          "DROP TABLE IF EXISTS ballast; CREATE TABLE ballast (x int)", &err), DCONN_OK);
        s = dconn_session_begin(a, &err);
        REQUIRE(s);
        /* the session writes more than the other side, so InnoDB picks the other side */
        CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO ballast SELECT seq FROM (SELECT 1 seq UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5) x", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_exec(s, "UPDATE d SET n = n + 1 WHERE id = 1", NULL, 0, NULL, &err), DCONN_OK);
        memset(&d, 0, sizeof d);
        d.c = b;
        d.in_session = in_session;
        d.sql = in_session ? "UPDATE d SET n = n + 10 WHERE id = 1 /* dead_b */" : "UPDATE d SET n = n + 10 ORDER BY id DESC LIMIT 2 /* dead_b */";
        tu_log_reset();
        REQUIRE(pthread_create(&th, NULL, my_dead_thread, &d) == 0);
        CHECK(my_wait_running(root, "dead_b") > 0);
        tu_sleep_ms(50);
        /* closes the cycle: b holds 2 and waits for 1; a holds 1 and now wants 2 */
        CHECK_EQ_INT(dconn_session_exec(s, "UPDATE d SET n = n + 1 WHERE id = 2", NULL, 0, NULL, &err), DCONN_OK);
        CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
        dconn_session_end(s);
        pthread_join(th, NULL);
        n1 = tu_query_int(root, "SELECT n FROM local_db.d WHERE id = 1");
        n2 = tu_query_int(root, "SELECT n FROM local_db.d WHERE id = 2");
        if (!in_session) {
            if (d.st) fprintf(stdout, "  plain: %s\n", d.err.message);
            CHECK_EQ_INT(d.st, DCONN_OK);
            CHECK(tu_sleeps >= 1);   /* retried */
            CHECK_EQ_INT(n1, 11);
            CHECK_EQ_INT(n2, 11);
        } else {
            CHECK_EQ_INT(d.st, DCONN_EQUERY);
            CHECK_CONTAINS(d.err.message, "ERROR 1213");
            CHECK_CONTAINS(d.err.message, "InnoDB rolled the whole transaction back");
            CHECK(d.after != DCONN_OK);
            CHECK_EQ_INT(n1, 1);
            CHECK_EQ_INT(n2, 1);
        }
    }
    CHECK_EQ_INT(dconn_exec_script(a, "DROP TABLE d; DROP TABLE ballast", &err), DCONN_OK);
    dconn_release(root);
    dconn_release(b);
    dconn_release(a);
    dconn_close(ctx);
}

/* The server restarts between two queries: the next query finds the
   connection closed before sending, and reconnects, with no error. */
static void my_server_restart(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    char path[512], cmd[1200];
    FILE *f;
    long pid = 0;
    int i;
    REQUIRE(ctx);
    c = my_me(ctx, "restart");
    REQUIRE(c);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 1"), 1);
    snprintf(path, sizeof path, "%s/mariadbd.pid", getenv("DCONN_TEST_MYSQL_DIR"));
    f = fopen(path, "r");
    REQUIRE(f);
    if (fgets(cmd, (int)sizeof cmd, f)) pid = strtol(cmd, NULL, 10);
    fclose(f);
    REQUIRE(pid > 0);
    kill((pid_t)pid, SIGTERM);
    for (i = 0; i < 600 && kill((pid_t)pid, 0) == 0; i++) tu_sleep_ms(50);
    snprintf(path, sizeof path, "%s/server.cmd", getenv("DCONN_TEST_MYSQL_DIR"));
    f = fopen(path, "r");
    REQUIRE(f);
    {
        char line[1100];
        if (!fgets(line, (int)sizeof line, f)) line[0] = '\0';
        line[strcspn(line, "\n")] = '\0';
        snprintf(cmd, sizeof cmd, "%s >/dev/null 2>&1 &", line);
    }
    fclose(f);
    REQUIRE(system(cmd) == 0);   /* NOLINT(cert-env33-c): the test server's own command line */
    snprintf(cmd, sizeof cmd, "i=0; until mariadb-admin --no-defaults -S '%s' -uroot ping >/dev/null 2>&1; do i=$((i+1)); [ $i -gt 300 ] && exit 1; sleep 0.1; done", my_sock());
    REQUIRE(system(cmd) == 0);   /* NOLINT(cert-env33-c) */
    tu_log_reset();
    CHECK_EQ_INT(tu_query_int(c, "SELECT 2"), 2);
    CHECK_EQ_INT(tu_sleeps, 0);
    dconn_release(c);
    dconn_close(ctx);
}

/* TLS, with the certificates tests/mysql.sh made for the server: off
   unless asked for; REQUIRED encrypts; VERIFY_IDENTITY with the right CA
   connects to 127.0.0.1 (in the certificate), with another CA it fails
   and says why. */
static void my_tls(void) {
    static const struct { const char *query, *want; int ok; } cases[] = {
        {"", "", 1},
        {"?ssl_mode=REQUIRED", "TLS", 1},
        {"?ssl_mode=PREFERRED", "TLS", 1},   /* the server offers TLS: taken */
        {"?ssl_mode=VERIFY_IDENTITY&ssl_ca=%s/tls/ca.pem", "TLS", 1},
        {"?ssl_mode=VERIFY_CA&ssl_ca=%s/tls/other-ca.pem", NULL, 0},
        {"?ssl_capath=%s/tls/no-such-dir&ssl_verify_cert=true", NULL, 0},   /* capath is used, not dropped */
        {"?ssl_mode=DISABLED&ssl_ca=%s/tls/ca.pem", "", 1},   /* DISABLED wins over a CA given, as in the mysql client */
        {"?ssl_mode=disabled&ssl_ca=%s/tls/other-ca.pem", "", 1},
        {"?ssl_mode=DISABLED&ssl_verify_cert=true&ssl_ca=%s/tls/ca.pem", "", 1},
    };
    char ca[600];
    dconn_ctx *ctx;
    size_t i;
    snprintf(ca, sizeof ca, "%s/tls/ca.pem", getenv("DCONN_TEST_MYSQL_DIR"));
    if (access(ca, R_OK) != 0) SKIP("no TLS certificates: tests/mysql.sh makes them with openssl (apt-get install openssl)");
    ctx = my_open("");
    REQUIRE(ctx);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char query[700], extra[1200], name[16];
        dconn_connect_options co;
        dconn_error err;
        dconn_conn *c;
        snprintf(query, sizeof query, cases[i].query, getenv("DCONN_TEST_MYSQL_DIR"));
        snprintf(extra, sizeof extra, "url = \"mysql://me:me-secret-1@127.0.0.1:%d/local_db%s\"", my_port(), query);
        snprintf(name, sizeof name, "tls%zu", i);
        memset(&co, 0, sizeof co);
        co.settings = extra;
        c = dconn_connect(ctx, name, "mysql", &co, &err);
        if (c && cases[i].ok) {
            char *text = tu_query_csv(c, "SELECT VARIABLE_VALUE AS v FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_version'");
            REQUIRE(text);
            if (*cases[i].want) CHECK_CONTAINS(text, cases[i].want);
            else CHECK_STR(text, "v\r\n\"\"\r\n");   /* empty: no TLS */
            dconn_free(text);
        } else if (c) {
            CHECK_EQ_INT(dconn_ping(c, &err), DCONN_EDRIVER);
        }
        if (!cases[i].ok) {
            CHECK(c == NULL || err.code != DCONN_OK);
            if (!strstr(err.message, "certificate") && !strstr(err.message, "SSL") && !strstr(err.message, "TLS")) CHECK_CONTAINS(err.message, "certificate");
            CHECK(strstr(err.message, "me-secret-1") == NULL);
        } else if (!c) {
            fprintf(stdout, "  %s: %s\n", name, err.message);
            CHECK(c != NULL);
        }
        dconn_release(c);
    }
    dconn_close(ctx);
}

/* A value past the server's max_allowed_packet: the server closes the
   connection; the error says why, and a read is not sent again. */
static void my_value_past_max_packet(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *admin, *c;
    dconn_error err;
    dconn_value v;
    dconn_result *r;
    char *big;
    int64_t before;
    REQUIRE(ctx);
    admin = my_root(ctx);
    REQUIRE(admin);
    before = tu_query_int(admin, "SELECT @@global.max_allowed_packet");
    CHECK_EQ_INT(dconn_exec(admin, "SET GLOBAL max_allowed_packet = 1048576", NULL, 0, NULL, NULL, &err), DCONN_OK);
    c = my_me(ctx, "packet");   /* its handle opens now, under the small limit */
    REQUIRE(c);
    big = (char *)malloc(3u << 20);
    REQUIRE(big);
    memset(big, 'x', 3u << 20);
    v = dconn_blob(big, 3u << 20);
    tu_log_reset();
    r = dconn_query(c, "SELECT length(?) AS n", &v, 1, NULL, &err);
    CHECK(r == NULL);
    CHECK_CONTAINS(err.message, "3.0 MB, may pass the server's max_allowed_packet");
    CHECK_EQ_INT(tu_sleeps, 0);   /* not sent again */
    dconn_result_release(r);
    {
        char undo[96];
        snprintf(undo, sizeof undo, "SET GLOBAL max_allowed_packet = %lld", (long long)before);
        CHECK_EQ_INT(dconn_exec(admin, undo, NULL, 0, NULL, NULL, &err), DCONN_OK);
    }
    free(big);
    dconn_release(c);
    dconn_release(admin);
    dconn_close(ctx);
}

/* What a review without the tests found: long values side by side, a
   stream that fails midway, a CALL whose later statement fails, state
   through a query or an executable comment, LOAD DATA LOCAL, option
   files against the caller's charset, a stream closed early. */
static void my_review_cases(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c, *c2;
    dconn_error err;
    dconn_result *r;
    dconn_stream *s;
    dconn_result *chunk;
    long rows = 0;
    int k;
    REQUIRE(ctx);
    c = my_me(ctx, "review");
    REQUIRE(c);
    /* two values longer than the first buffers in one row, by query and by stream */
    for (k = 0; k < 2; k++) {
        const char *sql = "SELECT REPEAT('x', 1000) AS a, REPEAT('y', 3000) AS b, 7 AS n";
        size_t na = 0, nb = 0, i;
        const char *a, *b;
        int ok = 1;
        if (k == 0) r = dconn_query(c, sql, NULL, 0, NULL, &err);
        else {
            s = dconn_stream_query(c, sql, NULL, 0, NULL, &err);
            REQUIRE(s);
            r = dconn_result_retain(dconn_stream_next(s, &err));
            CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
        }
        REQUIRE(r);
        a = (const char *)dconn_result_blob(r, 0, 0, &na);
        b = (const char *)dconn_result_blob(r, 0, 1, &nb);
        CHECK(na == 1000 && nb == 3000);
        for (i = 0; a && i < na; i++) ok &= a[i] == 'x';
        for (i = 0; b && i < nb; i++) ok &= b[i] == 'y';
        CHECK(ok);
        dconn_result_release(r);
    }
    /* a stream whose statement fails after rows came: the close says so */
    s = dconn_stream_query(c, "SELECT IF(seq = 3000, 18446744073709551615 + seq, seq) AS v FROM seq_1_to_5000", NULL, 0, NULL, &err);
    REQUIRE(s);
    while ((chunk = dconn_stream_next(s, &err)) != NULL) rows += (long)dconn_result_rows(chunk);
    CHECK(rows < 5000);
    CHECK(dconn_stream_close(s) != DCONN_OK);
    CHECK_CONTAINS(err.message, "ERROR 1690");
    /* the same read by rows: every row before the failing one, then the error */
    s = dconn_stream_query(c, "SELECT IF(seq = 3000, 18446744073709551615 + seq, seq) AS v FROM seq_1_to_5000", NULL, 0, NULL, &err);
    REQUIRE(s);
    {
        const dconn_value *row;
        long by_rows = 0;
        while ((row = dconn_stream_row(s, &err)) != NULL) CHECK(row[0].type == DCONN_INT && row[0].i == ++by_rows);
        CHECK(err.code == DCONN_EQUERY);
        CHECK_CONTAINS(err.message, "ERROR 1690");
        CHECK(by_rows < 3000);
    }
    CHECK(dconn_stream_close(s) != DCONN_OK);
    /* the same error in a query is the query's, with its number */
    CHECK(dconn_query(c, "SELECT 18446744073709551615 + 1", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "ERROR 1690");
    CHECK_EQ_INT(dconn_exec(c, "SELECT 18446744073709551615 + 1", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    /* a CALL whose second statement fails */
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS uq; CREATE TABLE uq (n int PRIMARY KEY); DROP PROCEDURE IF EXISTS p2; "
                                      "CREATE PROCEDURE p2() BEGIN SELECT 1; INSERT INTO uq VALUES (1); INSERT INTO uq VALUES (1); END", &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "CALL p2()", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "ERROR 1062");
    /* state through a query, or hidden in an executable comment, is refused outside a session */
    CHECK(dconn_query(c, "SET @x = 1", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "session");
    CHECK_EQ_INT(dconn_exec(c, "/*!40101 SET sql_mode = 'NO_BACKSLASH_ESCAPES' */", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_exec(c, "SELECT GET_LOCK('dconn', 1)", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    /* a write that also assigns a variable ran and committed: the error says so, and the cache is dropped */
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM uq"), 1);   /* cached */
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO uq (n) SELECT @v := 7", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    CHECK_CONTAINS(err.message, "what it wrote stays committed");
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM uq"), 2);
    /* a stream of one is refused too, and its lock does not stay on a pooled handle */
    CHECK(dconn_stream_query(c, "SELECT GET_LOCK('dconn_stream', 0)", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "left state");
    CHECK_EQ_INT(tu_query_int(c, "SELECT IS_USED_LOCK('dconn_stream') IS NULL"), 1);
    /* CREATE OR REPLACE TEMPORARY is refused as CREATE TEMPORARY is; a routine's body and SET STATEMENT are no state */
    CHECK_EQ_INT(dconn_exec(c, "CREATE OR REPLACE TEMPORARY TABLE uq (a INT)", NULL, 0, NULL, NULL, &err), DCONN_EMISUSE);
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO uq (n) VALUES (8)", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM uq"), 3);
    CHECK_EQ_INT(dconn_exec(c, "CREATE PROCEDURE p3() BEGIN SET @s := 1; END", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "DROP PROCEDURE p3", NULL, 0, NULL, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_exec(c, "SET STATEMENT max_statement_time = 10 FOR DELETE FROM uq WHERE n = 8", NULL, 0, NULL, NULL, &err), DCONN_OK);
    /* a dump's SETs in a script: the script runs, its settings end with it */
    CHECK_EQ_INT(dconn_exec_script(c, "/*!40101 SET @OLD_SQL_MODE = @@SQL_MODE */; SET FOREIGN_KEY_CHECKS = 0; DELETE FROM uq WHERE n = 7; "
                                      "SET FOREIGN_KEY_CHECKS = 1", &err), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM uq"), 1);
    CHECK_EQ_INT(tu_query_int(c, "SELECT @OLD_SQL_MODE IS NULL"), 1);
    /* and what it set where the driver does not read (a procedure's SET) */
    CHECK_EQ_INT(dconn_exec_script(c, "CREATE PROCEDURE p4() SET @from_p4 = 1; CALL p4(); DROP PROCEDURE p4", &err), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT @from_p4 IS NULL"), 1);
    /* LOAD DATA LOCAL reads the client's files: off unless asked for */
    CHECK_EQ_INT(dconn_exec(c, "LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE uq", NULL, 0, NULL, NULL, &err), DCONN_EQUERY);
    /* a stream closed early with a long rest: the connection is dropped, not read to the end */
    {
        int64_t before = tu_query_int(c, "SELECT CONNECTION_ID()");
        s = dconn_stream_query(c, "SELECT seq FROM seq_1_to_5000000", NULL, 0, NULL, &err);
        REQUIRE(s);
        CHECK(dconn_stream_next(s, &err) != NULL);
        CHECK_EQ_INT(dconn_stream_close(s), DCONN_OK);
        CHECK(tu_query_int(c, "SELECT CONNECTION_ID()") != before);
        CHECK_EQ_INT(tu_query_int(c, "SELECT 3"), 3);
    }
    CHECK_EQ_INT(dconn_exec_script(c, "DROP PROCEDURE p2; DROP TABLE uq", &err), DCONN_OK);
    /* DDL runs prepared but is not kept: the kept statements are the repeated ones */
    {
        const char *count = "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'PREPARED_STMT_COUNT'";
        int64_t before = tu_query_int(c, count), after;
        for (k = 0; k < 10; k++) {
            char sql[80];
            snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS ddl%d (a int)", k);
            CHECK_EQ_INT(dconn_exec(c, sql, NULL, 0, NULL, NULL, &err), DCONN_OK);
            snprintf(sql, sizeof sql, "DROP TABLE ddl%d", k);
            CHECK_EQ_INT(dconn_exec(c, sql, NULL, 0, NULL, NULL, &err), DCONN_OK);
        }
        after = tu_query_int(c, count);
        CHECK(after >= 0 && after <= before);
    }
    /* an option file's default charset beats dconn's default, and loses to the caller's */
    {
        char cnf[128], path[256], extra[1024];
        char *text;
        snprintf(path, sizeof path, "%s/my/latin1.cnf", TU_DIR);
        snprintf(cnf, sizeof cnf, "[client]\ndefault-character-set=latin1\n");
        tu_write(path, cnf);
        for (k = 0; k < 2; k++) {
            snprintf(extra, sizeof extra, "url = \"mysql://me:me-secret-1@127.0.0.1:%d/local_db%s\"\nconnect_args = { read_default_file = \"%s\" }",
                     my_port(), k ? "?charset=utf8mb4" : "", path);
            c2 = my_connect(ctx, k ? "cs1" : "cs0", extra);
            REQUIRE(c2);
            text = tu_query_csv(c2, "SELECT @@character_set_client AS cs");
            CHECK_STR(text, k ? "cs\r\nutf8mb4\r\n" : "cs\r\nlatin1\r\n");
            dconn_free(text);
            dconn_release(c2);
        }
        snprintf(extra, sizeof extra, "url = \"mysql://me:me-secret-1@127.0.0.1:%d/local_db\"\nconnect_args = { read_default_file = \"/nonexistent.cnf\" }", my_port());
        CHECK(my_connect(ctx, "nofile", extra) == NULL);
    }
    dconn_release(c);
    dconn_close(ctx);
}

/* Timeouts and cancels: KILL QUERY from a second connection stops the
   statement (1317), the call fails saying so, is never retried, and the
   handle goes on with its kept statements. */
#define MY_RUNAWAY "SELECT max(seq % 1000003) FROM seq_1_to_1000000000000"   /* MariaDB's Sequence engine: rows for hours */

static void my_timeouts_and_cancels(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_exec_options eo;
    dconn_cancel *token;
    dconn_session *s;
    tu_firer f;
    double t0, took;
    int k;
    REQUIRE(ctx);
    c = my_me(ctx, "timeouts");
    REQUIRE(c);
    tu_log_reset();
    t0 = tu_seconds();
    CHECK(tu_timed_query(c, MY_RUNAWAY, NULL, 0, "200ms", NULL, &err) == NULL);
    took = tu_seconds() - t0;
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "query failed: timed out after ");
    CHECK_CONTAINS(err.message, "(its timeout is 0.200 s): ERROR 1317 (70100)");
    CHECK(took >= 0.199 && took < 10);
    CHECK_EQ_INT(tu_sleeps, 0);
    /* the same connection goes on, its kept statements too */
    for (k = 0; k < 3; k++) CHECK_EQ_INT(tu_query_int(c, "SELECT 40 + 2"), 42);
    CHECK(tu_timed_query(c, MY_RUNAWAY, NULL, 0, "100ms", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 40 + 2"), 42);
    CHECK_EQ_INT(tu_query_int(c, "SELECT @dconn_test = 'timeouts'"), 1);
    /* SLEEP fails when stopped; BENCHMARK ends early without an error: the read fails all the same */
    CHECK(tu_timed_query(c, "SELECT SLEEP(30)", NULL, 0, "150ms", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "ERROR 1317 (70100): Query execution was interrupted");
    CHECK(tu_timed_query(c, "SELECT BENCHMARK(100000000000, SHA2('dconn', 512))", NULL, 0, "150ms", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "ERROR 1317 (70100): Query execution was interrupted (it ended early without an error");
    /* a write stopped midway leaves nothing */
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS tto; CREATE TABLE tto (n bigint)", &err), DCONN_OK);
    memset(&eo, 0, sizeof eo);
    eo.timeout = "150ms";
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO tto SELECT seq FROM seq_1_to_1000000000000", NULL, 0, &eo, NULL, &err), DCONN_ETIMEOUT);
    CHECK_CONTAINS(err.message, "write failed: timed out after");
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM tto"), 0);
    /* a token fired from another thread */
    token = dconn_cancel_new(ctx, &err);
    REQUIRE(token);
    tu_fire_later(&f, token, 100);
    CHECK(tu_timed_query(c, MY_RUNAWAY, NULL, 0, NULL, token, &err) == NULL);
    tu_fire_join(&f);
    CHECK_EQ_INT(err.code, DCONN_ECANCELED);
    CHECK_CONTAINS(err.message, "query failed: cancelled after ");
    dconn_cancel_free(token);
    dconn_release(c);
    /* query_timeout reaches session statements; the session may then only roll back */
    {
        char extra[512];
        snprintf(extra, sizeof extra, "url = \"mysql://me:me-secret-1@127.0.0.1:%d/local_db\"\npool_size = 1\nquery_timeout = \"300ms\"\n"
                                      "connect_args = { init_command = \"SET @dconn_test = 'session-timeouts'\" }", my_port());
        c = my_connect(ctx, "session-timeouts", extra);
    }
    REQUIRE(c);
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tto VALUES (1)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK(dconn_session_query(s, MY_RUNAWAY, NULL, 0, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETIMEOUT);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tto VALUES (2)", NULL, 0, NULL, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "an earlier statement timed out or was cancelled");
    CHECK(dconn_session_commit(s, &err) != DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO tto VALUES (3)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT sum(n) FROM tto"), 3);
    CHECK_EQ_INT(dconn_exec(c, "DROP TABLE tto", NULL, 0, NULL, NULL, &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* fork(): the child opens its own sessions and never closes the parent's
   (mysql_close would send COM_QUIT on the parent's socket). */
static void my_fork_leaves_the_parent_alone(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    REQUIRE(ctx);
    c = my_me(ctx, "fork");
    REQUIRE(c);
    tu_fork_leaves_the_parent_alone(ctx, c, "SELECT CONNECTION_ID()");
    dconn_release(c);
    dconn_close(ctx);
}

/* dconn_exec_many (the checks are tu_exec_many_checks'). */
static void my_exec_many(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    REQUIRE(ctx);
    c = my_me(ctx, "exec-many");
    REQUIRE(c);
    tu_exec_many_checks(c);
    dconn_release(c);
    dconn_close(ctx);
}

/* exec_many's bulk requests: every type, a NULL before its slot's type is
   known, rows whose types or names change (new chunks), a batch of
   several chunks, the failing row named (the server does not say which),
   the last row's insert id, a session that goes on after a failure (as
   MySQL's transactions do) and a timeout part way. */
static void my_exec_many_bulk(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_exec_info info;
    dconn_exec_options eo;
    dconn_session *s;
    dconn_value v[4 * 6], w[2 * 10], *big;
    char *csv;
    size_t i;
    double t0;
    REQUIRE(ctx);
    c = my_me(ctx, "exec-many-bulk");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS emb; CREATE TABLE emb (id bigint PRIMARY KEY, r double, t text, b blob, d decimal(30,3), "
                                      "u bigint unsigned) ENGINE=InnoDB", &err), DCONN_OK);
    v[0] = dconn_int(1); v[1] = dconn_null(); v[2] = dconn_text("a"); v[3] = dconn_blob("\x00\xff", 2); v[4] = dconn_decimal("1.500");
    v[5] = dconn_uint(UINT64_MAX);
    v[6] = dconn_int(2); v[7] = dconn_real(2.5); v[8] = dconn_null(); v[9] = dconn_null(); v[10] = dconn_decimal("12345678901234567890.123");
    v[11] = dconn_null();
    v[12] = dconn_int(3); v[13] = dconn_real(0.25); v[14] = dconn_text("xyz"); v[15] = dconn_blob("", 0); v[16] = dconn_decimal("-0.001");
    v[17] = dconn_uint(7);
    v[18] = dconn_int(4); v[19] = dconn_real(1); v[20] = dconn_text("last"); v[21] = dconn_null(); v[22] = dconn_null(); v[23] = dconn_null();
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emb VALUES (?, ?, ?, ?, ?, ?)", v, 6, 4, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 4);
    csv = tu_query_csv(c, "SELECT id, r, t, hex(b), d, u FROM emb ORDER BY id");
    CHECK_STR(csv, "id,r,t,hex(b),d,u\r\n1,,a,00FF,1.500,18446744073709551615\r\n2,2.5,,,12345678901234567890.123,\r\n3,0.25,xyz,\"\",-0.001,7\r\n"
                   "4,1.0,last,,,\r\n");
    dconn_free(csv);

    /* types that change from row to row, an INT then a UINT, then a failure: its row is named right */
    for (i = 0; i < 10; i++) {
        w[2 * i] = dconn_int(50 + (int64_t)i);
        w[2 * i + 1] = (i & 1) ? dconn_real(0.5) : i == 2 ? dconn_null() : dconn_int(1);
    }
    w[15] = dconn_uint(2);
    w[14] = dconn_int(50);
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emb (id, r) VALUES (?, ?)", w, 2, 10, NULL, &info, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "row 8 of 10: ERROR 1062");
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emb WHERE id BETWEEN 51 AND 59"), 0);
    w[14] = dconn_int(57);
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emb (id, r) VALUES (?, ?)", w, 2, 10, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 10);
    CHECK_EQ_INT(tu_query_int(c, "SELECT CAST(sum(r) * 10 AS SIGNED) FROM emb WHERE id BETWEEN 50 AND 59"), 80);
    /* names out of the first row's order, and a row without one of them */
    for (i = 0; i < 4; i++) {
        w[2 * i] = dconn_named(i == 2 ? ":t" : ":id", i == 2 ? dconn_text("z") : dconn_int(60 + (int64_t)i));
        w[2 * i + 1] = dconn_named(i == 2 ? ":id" : ":t", i == 2 ? dconn_int(62) : dconn_text("y"));
    }
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emb (id, t) VALUES (:id, :t)", w, 2, 4, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emb WHERE id BETWEEN 60 AND 63 AND t IN ('y', 'z')"), 4);
    CHECK_EQ_INT(dconn_exec(c, "DELETE FROM emb WHERE id BETWEEN 60 AND 63", NULL, 0, NULL, NULL, &err), DCONN_OK);
    w[5] = dconn_named(":tt", dconn_text("y"));
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emb (id, t) VALUES (:id, :t)", w, 2, 4, NULL, &info, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "row 3 of 4: parameter :id has no value");

    /* 30,000 rows of 300 bytes: several chunks; then a row in the middle of one fails */
    tu_exec_many_big(c, "emb", 20001, "row 20001 of 30000: ERROR 1062");

    /* the last row's insert id */
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS emb_ai; CREATE TABLE emb_ai (id int AUTO_INCREMENT PRIMARY KEY, t text) ENGINE=InnoDB", &err),
                 DCONN_OK);
    for (i = 0; i < 5; i++) w[i] = dconn_text("x");
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emb_ai (t) VALUES (?)", w, 1, 5, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.last_insert_id, tu_query_int(c, "SELECT max(id) FROM emb_ai"));
    CHECK_EQ_INT(info.changes, 5);

    /* in a session: a failure undoes that statement only, and the session goes on */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    for (i = 0; i < 5; i++) w[i] = dconn_int(70 + (int64_t)i);
    w[3] = dconn_int(70);
    CHECK_EQ_INT(dconn_session_exec_many(s, "INSERT INTO emb (id) VALUES (?)", w, 1, 5, &info, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "row 4 of 5: ERROR 1062");
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO emb (id) VALUES (80)", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emb WHERE id BETWEEN 70 AND 80"), 4);   /* the rows before the failing one, and 80 */

    /* a timeout part way through one chunk: 40 rows of 50 ms against 0.3 s */
    memset(&eo, 0, sizeof eo);
    eo.timeout = "0.3";
    for (i = 0; i < 10; i++) { w[2 * i] = dconn_real(0.05); w[2 * i + 1] = dconn_int(1); }
    big = (dconn_value *)malloc(80 * sizeof *big);
    REQUIRE(big);
    for (i = 0; i < 40; i++) { big[2 * i] = dconn_real(0.05); big[2 * i + 1] = dconn_int(1); }
    t0 = tu_seconds();
    CHECK_EQ_INT(dconn_exec_many(c, "UPDATE emb SET r = SLEEP(?) WHERE id = ?", big, 2, 40, &eo, NULL, &err), DCONN_ETIMEOUT);
    CHECK(tu_seconds() - t0 < 1.5);
    free(big);
    CHECK_EQ_INT(tu_query_int(c, "SELECT 2"), 2);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE emb; DROP TABLE emb_ai", &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* What a review found in the bulk path: statements the bulk protocol
   refuses (run one by one instead), values it refuses that a single
   statement takes, a table without transactions (its rows never run
   twice) and a timeout, which MariaDB ignores during a bulk request. */
static void my_exec_many_edges(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_exec_info info;
    dconn_exec_options eo;
    dconn_session *s;
    dconn_value v[5], *big;
    size_t i;
    REQUIRE(ctx);
    c = my_me(ctx, "exec-many-edges");
    REQUIRE(c);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS emr; CREATE TABLE emr (a int, e decimal(10,2)) ENGINE=InnoDB; "
                                      "DROP TABLE IF EXISTS emm; CREATE TABLE emm (a int) ENGINE=MyISAM; "
                                      "CREATE TRIGGER emm_no3 BEFORE INSERT ON emm FOR EACH ROW IF NEW.a = 3 THEN "
                                      "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no 3'; END IF", &err), DCONN_OK);
    for (i = 0; i < 5; i++) v[i] = dconn_int((int64_t)i + 1);
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emr (a) SELECT ? FROM dual", v, 1, 5, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(info.changes, 5);
    CHECK_EQ_INT(tu_query_int(c, "SELECT sum(a) FROM emr"), 15);
    /* a decimal the bulk request refuses and a single statement takes (as 0, with a warning): as dconn_exec would */
    v[0] = dconn_decimal("1.5"); v[1] = dconn_decimal("abc"); v[2] = dconn_decimal("2.5"); v[3] = dconn_decimal("3");
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec_many(s, "INSERT INTO emr (e) VALUES (?)", v, 1, 4, &info, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emr WHERE e IS NOT NULL"), 4);
    /* MyISAM took rows 1 and 2 before row 3 failed: they are not run again */
    for (i = 0; i < 5; i++) v[i] = dconn_int((int64_t)i + 1);
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emm VALUES (?)", v, 1, 5, NULL, &info, &err), DCONN_EQUERY);
    CHECK_CONTAINS(err.message, "no 3");
    CHECK_CONTAINS(err.message, "the transaction changed a table without transactions");
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emm"), 2);
    /* a timeout: the batch stops between two bulk requests, and nothing stays */
    big = (dconn_value *)malloc((size_t)300000 * sizeof *big);
    REQUIRE(big);
    for (i = 0; i < 300000; i++) big[i] = dconn_int((int64_t)i);
    memset(&eo, 0, sizeof eo);
    eo.timeout = "0.05";
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emr (a) VALUES (?)", big, 1, 300000, &eo, &info, &err), DCONN_ETIMEOUT);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emr WHERE a > 100"), 0);
    free(big);
    /* that cancel is not the next batch's (it has no timeout): two rows into MyISAM, once each */
    v[0] = dconn_int(7); v[1] = dconn_int(8);
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO emm VALUES (?)", v, 1, 2, NULL, &info, &err), DCONN_OK);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emm WHERE a IN (7, 8)"), 2);
    /* a caller's own savepoint, even one named as dconn might name its own, is left alone */
    s = dconn_session_begin(c, &err);
    REQUIRE(s);
    CHECK_EQ_INT(dconn_session_exec(s, "SAVEPOINT dconn_bulk", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "INSERT INTO emr (a) VALUES (100)", NULL, 0, NULL, &err), DCONN_OK);
    for (i = 0; i < 4; i++) v[i] = dconn_int(101 + (int64_t)i);
    CHECK_EQ_INT(dconn_session_exec_many(s, "INSERT INTO emr (a) VALUES (?)", v, 1, 4, &info, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_exec(s, "ROLLBACK TO SAVEPOINT dconn_bulk", NULL, 0, NULL, &err), DCONN_OK);
    CHECK_EQ_INT(dconn_session_commit(s, &err), DCONN_OK);
    dconn_session_end(s);
    CHECK_EQ_INT(tu_query_int(c, "SELECT count(*) FROM emr WHERE a >= 100"), 0);
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE emr; DROP TABLE emm", &err), DCONN_OK);
    dconn_release(c);
    dconn_close(ctx);
}

/* A statement run again reads into the results it bound the last time:
   still right after a value outgrows its buffer, after the table changes
   under it, and after other statements took the handle meanwhile. */
/* One kept statement run with values of changing types: numbers alone are
   bound once to the statement's own buffers, any other value binds anew;
   each run answers with its own values, also after a bulk run bound the
   same statement to its arrays. */
static void my_values_change_types(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *c;
    dconn_error err;
    dconn_result *r;
    dconn_value v[2], rows[6];
    dconn_query_options uncached;
    dconn_text_buf tb;
    const char *sql = "SELECT ? AS a, ? AS b";
    int k;
    memset(&uncached, 0, sizeof uncached);
    uncached.ttl = "0";
    REQUIRE(ctx);
    c = my_me(ctx, "retype");
    REQUIRE(c);
    for (k = 0; k < 14; k++) {
        const char *want_a, *want_b;
        char a[32], b[32];
        switch (k % 7) {
            case 0: v[0] = dconn_int(k); v[1] = dconn_real(0.5); snprintf(a, sizeof a, "%d", k); snprintf(b, sizeof b, "0.5"); break;
            case 1: v[0] = dconn_int(-k); v[1] = dconn_real(1.25); snprintf(a, sizeof a, "%d", -k); snprintf(b, sizeof b, "1.25"); break;
            case 2: v[0] = dconn_text("seven"); v[1] = dconn_int(8); snprintf(a, sizeof a, "seven"); snprintf(b, sizeof b, "8"); break;
            case 3: v[0] = dconn_int(3); v[1] = dconn_real(4.5); snprintf(a, sizeof a, "3"); snprintf(b, sizeof b, "4.5"); break;
            case 4: v[0] = dconn_null(); v[1] = dconn_int(5); a[0] = '\0'; snprintf(b, sizeof b, "5"); break;
            case 5: v[0] = dconn_uint(UINT64_MAX); v[1] = dconn_null(); snprintf(a, sizeof a, "18446744073709551615"); b[0] = '\0'; break;
            default: v[0] = dconn_int(INT64_MIN); v[1] = dconn_blob("x\0y", 3); snprintf(a, sizeof a, "-9223372036854775808"); snprintf(b, sizeof b, "x"); break;
        }
        want_a = a;
        want_b = b;
        r = dconn_query(c, sql, v, 2, &uncached, &err);
        REQUIRE(r);
        if (v[0].type == DCONN_NULL) CHECK(dconn_result_is_null(r, 0, 0));
        else CHECK_STR(dconn_result_as_text(r, 0, 0, &tb), want_a);
        if (v[1].type == DCONN_NULL) CHECK(dconn_result_is_null(r, 0, 1));
        else if (v[1].type == DCONN_BLOB) {
            size_t n = 0;
            const void *p = dconn_result_blob(r, 0, 1, &n);
            CHECK(n == 3 && p && memcmp(p, "x\0y", 3) == 0);
        } else CHECK_STR(dconn_result_as_text(r, 0, 1, &tb), want_b);
        dconn_result_release(r);
    }
    /* a bulk insert binds its statement to arrays; the same statement run
       alone afterwards inserts its own values */
    CHECK_EQ_INT(dconn_exec_script(c, "DROP TABLE IF EXISTS retype_t; CREATE TABLE retype_t (id int, x double)", &err), DCONN_OK);
    v[0] = dconn_int(1);
    v[1] = dconn_real(1.5);
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO retype_t VALUES (?, ?)", v, 2, NULL, NULL, &err), DCONN_OK);
    for (k = 0; k < 3; k++) {
        rows[2 * (size_t)k] = dconn_int(10 + k);
        rows[2 * (size_t)k + 1] = dconn_real(k);
    }
    CHECK_EQ_INT(dconn_exec_many(c, "INSERT INTO retype_t VALUES (?, ?)", rows, 2, 3, NULL, NULL, &err), DCONN_OK);
    v[0] = dconn_int(2);
    v[1] = dconn_real(2.5);
    CHECK_EQ_INT(dconn_exec(c, "INSERT INTO retype_t VALUES (?, ?)", v, 2, NULL, NULL, &err), DCONN_OK);
    r = dconn_query(c, "SELECT group_concat(id ORDER BY id) AS ids, sum(x) AS s FROM retype_t", NULL, 0, &uncached, &err);
    REQUIRE(r);
    CHECK_STR(dconn_result_text(r, 0, 0), "1,2,10,11,12");
    CHECK_STR(dconn_result_as_text(r, 0, 1, &tb), "7.0");
    dconn_result_release(r);
    dconn_release(c);
    dconn_close(ctx);
}

static void my_same_statement_again(void) {
    dconn_ctx *ctx = my_open("");
    dconn_conn *root;
    dconn_error err;
    dconn_result *r;
    dconn_value id;
    char sql[64], longtext[3000];
    int i, k;
    int64_t iv;
    double dv;
    dconn_query_options uncached;
    memset(&uncached, 0, sizeof uncached);
    uncached.ttl = "0";   /* every run reaches the driver */
    REQUIRE(ctx);
    root = my_root(ctx);
    REQUIRE(root);
    memset(longtext, 'L', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    CHECK_EQ_INT(dconn_exec_script(root, "CREATE DATABASE IF NOT EXISTS again_db; DROP TABLE IF EXISTS again_db.t; "
                                         "CREATE TABLE again_db.t (id int PRIMARY KEY, name varchar(4000), score double); "
                                         "INSERT INTO again_db.t VALUES (1, 'short', 0.5), (2, REPEAT('L', 2999), 1.5), (3, 'x', 2.5)", &err), DCONN_OK);
    for (k = 0; k < 3; k++) {
        for (i = 1; i <= 3; i++) {
            id = dconn_int(i);
            r = dconn_query(root, "SELECT * FROM again_db.t WHERE id = ?", &id, 1, &uncached, &err);
            REQUIRE(r);
            CHECK_EQ_INT(dconn_result_rows(r), 1);
            CHECK(dconn_result_get_int(r, 0, 0, &iv) == DCONN_OK && iv == i);
            CHECK_STR(dconn_result_text(r, 0, 1), i == 1 ? "short" : i == 2 ? longtext : "x");
            CHECK(dconn_result_get_real(r, 0, 2, &dv) == DCONN_OK && dv == i - 0.5);
            CHECK_STR(dconn_result_column_name(r, 1), "name");
            dconn_result_release(r);
        }
    }
    /* the table changes: other columns, other types, the same SQL */
    CHECK_EQ_INT(dconn_exec(root, "ALTER TABLE again_db.t CHANGE name label text, MODIFY score decimal(10,2), ADD COLUMN extra int DEFAULT 7", NULL, 0, NULL, NULL, &err), DCONN_OK);
    id = dconn_int(2);
    r = dconn_query(root, "SELECT * FROM again_db.t WHERE id = ?", &id, 1, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_cols(r), 4);
    CHECK_STR(dconn_result_column_name(r, 1), "label");
    CHECK_STR(dconn_result_text(r, 0, 1), longtext);
    CHECK_STR(dconn_result_text(r, 0, 2), "1.50");
    CHECK(dconn_result_get_int(r, 0, 3, &iv) == DCONN_OK && iv == 7);
    dconn_result_release(r);
    id = dconn_int(3);
    r = dconn_query(root, "SELECT * FROM again_db.t WHERE id = ?", &id, 1, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_cols(r), 4);
    CHECK_STR(dconn_result_text(r, 0, 1), "x");
    dconn_result_release(r);
    /* a change that keeps the names: the types are what tell */
    CHECK_EQ_INT(dconn_exec(root, "ALTER TABLE again_db.t MODIFY extra varchar(10) DEFAULT 'seven'", NULL, 0, NULL, NULL, &err), DCONN_OK);
    r = dconn_query(root, "SELECT * FROM again_db.t WHERE id = ?", &id, 1, NULL, &err);
    REQUIRE(r);
    CHECK_EQ_INT(dconn_result_type(r, 0, 3), DCONN_TEXT);
    CHECK_STR(dconn_result_text(r, 0, 3), "7");
    dconn_result_release(r);
    /* a write that returns rows is not run again: it ran */
    CHECK_EQ_INT(dconn_exec_script(root, "DROP TABLE IF EXISTS again_db.w; CREATE TABLE again_db.w (v int)", &err), DCONN_OK);
    id = dconn_int(1);
    r = dconn_query(root, "INSERT INTO again_db.w (v) VALUES (?) RETURNING *", &id, 1, NULL, &err);
    REQUIRE(r);
    dconn_result_release(r);
    CHECK_EQ_INT(dconn_exec(root, "ALTER TABLE again_db.w ADD COLUMN u int", NULL, 0, NULL, NULL, &err), DCONN_OK);   /* not a script: its handle stays */
    id = dconn_int(2);
    r = dconn_query(root, "INSERT INTO again_db.w (v) VALUES (?) RETURNING *", &id, 1, NULL, &err);
    CHECK(r == NULL);
    if (!r) CHECK_CONTAINS(err.message, "the server ran it, but its result could not be read");
    dconn_result_release(r);
    r = dconn_query(root, "SELECT COUNT(*) FROM again_db.w", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK(dconn_result_get_int(r, 0, 0, &iv) == DCONN_OK && iv == 2);
    dconn_result_release(r);
    /* a sequence's next value is a write: never cached, never run twice */
    CHECK_EQ_INT(dconn_exec_script(root, "DROP SEQUENCE IF EXISTS again_db.sq; CREATE SEQUENCE again_db.sq", &err), DCONN_OK);
    for (i = 1; i <= 2; i++) {
        r = dconn_query(root, "SELECT NEXTVAL(again_db.sq) AS n", NULL, 0, NULL, &err);
        REQUIRE(r);
        CHECK(dconn_result_get_int(r, 0, 0, &iv) == DCONN_OK && iv == i);
        dconn_result_release(r);
    }
    r = dconn_query(root, "SELECT NEXT VALUE FOR again_db.sq AS n", NULL, 0, NULL, &err);
    REQUIRE(r);
    CHECK(dconn_result_get_int(r, 0, 0, &iv) == DCONN_OK && iv == 3);
    dconn_result_release(r);
    /* more statements than the handle keeps, between two runs of the first */
    for (i = 0; i < 40; i++) {
        snprintf(sql, sizeof sql, "SELECT %d AS n, label FROM again_db.t WHERE id = ?", i);
        id = dconn_int(1 + i % 3);
        r = dconn_query(root, sql, &id, 1, NULL, &err);
        REQUIRE(r);
        CHECK(dconn_result_get_int(r, 0, 0, &iv) == DCONN_OK && iv == i);
        CHECK_STR(dconn_result_column_name(r, 0), "n");
        dconn_result_release(r);
    }
    id = dconn_int(3);
    r = dconn_query(root, "SELECT id, label, score FROM again_db.t WHERE id = ?", &id, 1, NULL, &err);
    REQUIRE(r);
    CHECK_STR(dconn_result_text(r, 0, 1), "x");
    CHECK_STR(dconn_result_text(r, 0, 2), "2.50");
    dconn_result_release(r);
    dconn_release(root);
    dconn_close(ctx);
}

static const dtest_case my_tests[] = {
    {"my_url_forms", my_url_forms},
    {"my_bad_settings", my_bad_settings},
    {"my_option_file_precedence", my_option_file_precedence},
    {"my_types_round_trip", my_types_round_trip},
    {"my_values_in_every_form", my_values_in_every_form},
    {"my_statement_run_again", my_statement_run_again},
    {"my_procedures_and_comments", my_procedures_and_comments},
    {"my_writes_and_sessions", my_writes_and_sessions},
    {"my_script_delimiter", my_script_delimiter},
    {"my_stream", my_stream},
    {"my_env_db_conn", my_env_db_conn},
    {"my_idle_session_ended", my_idle_session_ended},
    {"my_killed_while_running", my_killed_while_running},
    {"my_deadlock", my_deadlock},
    {"my_server_restart", my_server_restart},
    {"my_tls", my_tls},
    {"my_value_past_max_packet", my_value_past_max_packet},
    {"my_review_cases", my_review_cases},
    {"my_timeouts_and_cancels", my_timeouts_and_cancels},
    {"my_fork_leaves_the_parent_alone", my_fork_leaves_the_parent_alone},
    {"my_exec_many", my_exec_many},
    {"my_exec_many_bulk", my_exec_many_bulk},
    {"my_exec_many_edges", my_exec_many_edges},
    {"my_same_statement_again", my_same_statement_again},
    {"my_values_change_types", my_values_change_types},
};

int main(int argc, char **argv) {
    static const dtest_case *const groups[] = { my_tests };
    static const size_t counts[] = { sizeof my_tests / sizeof my_tests[0] };
    long before;
    int rc;
    if (!my_sock() || !my_port()) { fprintf(stdout, "test-mysql: run through tests/mysql.sh (make test-mysql), which starts the server\n"); return 1; }
    tu_mkdirs_for(TU_DIR "/x");
    my_setup();
    before = talloc_live_blocks();
    rc = dtest_run(groups, counts, 1, argc, argv);
    if (talloc_live_blocks() != before) { fprintf(stdout, "leak: %ld blocks\n", talloc_live_blocks() - before); rc = 1; }
    return rc;
}
