/* test_redaction.c - the one way out for text the library writes.

   Every secret value the context knows (under any password-like key, in a
   URL or a key=value string, given in the secrets files, through ${VAR} or
   in code) is planted again where the library will quote it: in a type
   name, in SQL that fails, in a database path, in a non-secret key shown
   by describe, on a TOML line that breaks. Every output (error messages
   and their file field, log lines, describe, printed URLs) is collected
   and searched for every planted value, as written and percent-encoded. */

#define RD_DIR TU_DIR "/redaction"
#define RD_SECRETS RD_DIR "/secrets.toml"

/* Values of 6 bytes and more are masked wherever they appear. */
static const char *const rd_planted[] = {
    "Pl4nt-password", "Pl4nt-passwd", "Pl4nt-pwd-x", "Pl4nt-apikey", "Pl4nt-token", "Pl4nt-secret",
    "Pl4nt-private", "Pl4nt-credential", "Pl4nt-db_password", "Pl4nt-nested", "Pl4nt-table", "Pl4nt-array",
    "Pl4nt-urlpw", "Pl4nt:with@signs", "Pl4nt-query", "Pl4nt-conninfo", "Pl4nt-quoted pw", "Pl4nt-env",
    "Pl4nt-code-url", "Pl4nt-code-set", "Pl4nt-userinfo", "Pl4nt-integer-like"
};

static const char rd_secrets_text[] =
    "[connections.a]\nurl = \"sqlite://\"\npassword = \"Pl4nt-password\"\n"
    "[connections.b]\nurl = \"sqlite://\"\npasswd = \"Pl4nt-passwd\"\npwd = \"Pl4nt-pwd-x\"\napi_key = \"Pl4nt-apikey\"\n"
    "[connections.c]\nurl = \"sqlite://\"\nauth_token = \"Pl4nt-token\"\nclient_secret = \"Pl4nt-secret\"\nprivate_key = \"Pl4nt-private\"\n"
    "credential = \"Pl4nt-credential\"\ndb_password = \"Pl4nt-db_password\"\n"
    "[connections.d]\nurl = \"sqlite://\"\n[connections.d.connect_args]\npassword = \"Pl4nt-nested\"\n"
    "[connections.e]\nurl = \"sqlite://\"\n[connections.e.secrets]\nanything = \"Pl4nt-table\"\nlist = [\"Pl4nt-array\"]\n"
    "[connections.f]\nurl = \"postgresql://me:Pl4nt-urlpw@db.example/app\"\n"
    "[connections.g]\nurl = \"postgresql://me:Pl4nt%3Awith%40signs@db.example/app\"\n"
    "[connections.h]\nurl = \"postgresql://db.example/app?user=me&password=Pl4nt-query\"\n"
    "[connections.i]\ndsn = \"host=db password=Pl4nt-conninfo dbname=app\"\nother = \"host=db password='Pl4nt-quoted pw'\"\n"
    "[connections.j]\nurl = \"sqlite://\"\npassword = \"${DCONN_RD_PW}\"\n"
    "[connections.k]\nlegacy = \"me:Pl4nt-userinfo@db.example\"\n"
    "[connections.l]\nurl = \"sqlite://\"\ntoken = \"Pl4nt-integer-like\"\n"
    /* the same values again where they are no secret: describe shows them */
    "[notes]\nplain = \"Pl4nt-password and Pl4nt-passwd and Pl4nt-pwd-x and Pl4nt-apikey and Pl4nt-token and Pl4nt-secret and Pl4nt-private and Pl4nt-credential and Pl4nt-db_password and Pl4nt-nested and Pl4nt-table and Pl4nt-array and Pl4nt-urlpw and Pl4nt:with@signs and Pl4nt%3Awith%40signs and Pl4nt-query and Pl4nt-conninfo and Pl4nt-quoted pw and Pl4nt-env and Pl4nt-userinfo and Pl4nt-integer-like\"\n";

static char rd_out[65536];

static void rd_collect(const char *what, const char *text) {
    size_t n = strlen(rd_out);
    snprintf(rd_out + n, sizeof rd_out - n, "[%s] %s\n", what, text ? text : "(null)");
}

static void rd_collect_err(const char *what, const dconn_error *err) {
    rd_collect(what, err->message);
    rd_collect(what, err->file);
}

static void rd_check_clean(void) {
    size_t i;
    for (i = 0; i < sizeof rd_planted / sizeof rd_planted[0]; i++) {
        char enc[128];
        size_t j, n = 0;
        if (strstr(rd_out, rd_planted[i])) dtest_reportf(__FILE__, __LINE__, "\"%s\" reached an output:\n%s", rd_planted[i], rd_out);
        for (j = 0; rd_planted[i][j] && n + 4 < sizeof enc; j++) {
            unsigned char c = (unsigned char)rd_planted[i][j];
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') enc[n++] = (char)c;
            else n += (size_t)snprintf(enc + n, sizeof enc - n, "%%%02X", c);
        }
        enc[n] = '\0';
        if (strcmp(enc, rd_planted[i]) != 0 && strstr(rd_out, enc)) dtest_reportf(__FILE__, __LINE__, "\"%s\" (encoded) reached an output", enc);
    }
}

static void redaction_planted_values_never_leave(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    char *text = NULL;
    size_t i;
    static const char *const conns[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
    rd_out[0] = '\0';
    tu_rmrf(RD_DIR);
    setenv("DCONN_RD_PW", "Pl4nt-env", 1);
    tu_write(RD_SECRETS, rd_secrets_text);
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    /* describe: all, and each connection */
    CHECK_EQ_INT(dconn_secrets_describe(ctx, NULL, &text, &err), DCONN_OK);
    rd_collect("describe", text);
    CHECK_CONTAINS(text, "plain = ");          /* the non-secret key is shown, its secrets masked */
    dconn_free(text);
    for (i = 0; i < sizeof conns / sizeof conns[0]; i++) {
        text = NULL;
        if (dconn_secrets_describe(ctx, conns[i], &text, &err) == DCONN_OK) rd_collect("describe one", text);
        else rd_collect_err("describe one", &err);
        dconn_free(text);
    }
    /* connecting: URLs printed, errors quoting the URLs and types */
    for (i = 0; i < sizeof conns / sizeof conns[0]; i++) {
        c = dconn_connect(ctx, conns[i], NULL, NULL, &err);
        if (!c) { rd_collect_err("connect", &err); continue; }
        rd_collect("url", tu_conn_url(c));
        dconn_release(c);
    }
    c = dconn_connect(ctx, "a", "Pl4nt-password", NULL, &err);   /* a secret written as the type */
    CHECK(c == NULL);
    rd_collect_err("type", &err);
    {
        /* given in code: a URL and settings */
        dconn_connect_options o;
        memset(&o, 0, sizeof o);
        o.url = "sqlite:///" RD_DIR "/Pl4nt-code-url/x.db?password=Pl4nt-code-url";
        o.settings = "password = 'Pl4nt-code-set'";
        c = dconn_connect(ctx, "a", NULL, &o, &err);
        CHECK(c == NULL);   /* the folder does not exist */
        rd_collect_err("code url", &err);
        o.url = NULL;
        c = dconn_connect(ctx, "a", NULL, &o, &err);
        REQUIRE(c != NULL);
        rd_collect("code url ok", tu_conn_url(c));
        /* SQL that quotes the secrets: the error repeats it */
        CHECK(dconn_query(c, "SELECT * FROM \"Pl4nt-code-set\" WHERE x = 'Pl4nt-password'", NULL, 0, NULL, &err) == NULL);
        rd_collect_err("query", &err);
        CHECK(dconn_exec(c, "INSERT INTO \"Pl4nt-secret\" VALUES (1)", NULL, 0, NULL, NULL, &err) != DCONN_OK);
        rd_collect_err("exec", &err);
        CHECK(dconn_exec_script(c, "CREATE TABLE t(x); SELECT Pl4nt-token FROM nowhere;", &err) != DCONN_OK);
        rd_collect_err("script", &err);
        {
            dconn_session *s = dconn_session_begin(c, &err);
            REQUIRE(s != NULL);
            CHECK(dconn_session_exec(s, "UPDATE \"Pl4nt-nested\" SET x = 1", NULL, 0, NULL, &err) != DCONN_OK);
            rd_collect_err("session exec", &err);
            CHECK(dconn_session_query(s, "SELECT \"Pl4nt-apikey\" FROM nowhere", NULL, 0, &err) == NULL);
            rd_collect_err("session query", &err);
            dconn_session_end(s);
        }
        dconn_release(c);
    }
    /* a broken edit quoting a secret under a key that is no secret: the
       reload keeps the old secrets and logs the TOML error */
    tu_write(RD_SECRETS, "[connections.a]\nurl = \"sqlite://\"\nnote = \"Pl4nt-password\" oops\n");
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ETOML);
    rd_collect_err("toml", &err);
    c = dconn_connect(ctx, "a", NULL, NULL, &err);   /* logs the bad file */
    dconn_release(c);
    rd_collect("log", tu_logbuf);
    rd_check_clean();
    /* the masking did not eat ordinary text */
    CHECK_CONTAINS(rd_out, "[describe] [connections.a]");
    CHECK_CONTAINS(rd_out, "no such table");
    dconn_close(ctx);
    unsetenv("DCONN_RD_PW");
    tu_rmrf(RD_DIR);
}

/* A value shorter than 6 bytes is masked only where it sits in a secret
   position: the password "root" leaves the "root" of a path alone. */
static void redaction_short_values_only_in_place(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    char *text = NULL;
    tu_rmrf(RD_DIR);
    tu_write(RD_DIR "/root/secrets.toml", "[connections.a]\nurl = \"postgresql://root:root@db/app\"\npassword = \"root\"\n");
    ctx = tu_open(RD_DIR "/root/secrets.toml");
    REQUIRE(ctx);
    c = dconn_connect(ctx, "nosuch", NULL, NULL, &err);
    CHECK(c == NULL);
    CHECK_CONTAINS(err.message, RD_DIR "/root/secrets.toml (read)");
    CHECK_EQ_INT(dconn_secrets_describe(ctx, "a", &text, &err), DCONN_OK);
    CHECK_CONTAINS(text, "password = \"***\"");
    CHECK_CONTAINS(text, "postgresql://root:***@db/app");
    dconn_free(text);
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
}

/* A URL's password percent-encoded in the file ("Pa%27ss"), written in
   the SQL as SQL or MySQL quote it ('Pa''ss', 'Pa\'ss'): masked as the
   value under a password key is. */
static void redaction_url_password_quoted_in_sql(void) {
    static const char *const sqls[] = {"INSERT INTO cfg (k, v) VALUES ('pg', 'Pa''ss-Secr3t') FRM", "INSERT INTO cfg (k, v) VALUES ('pg', E'Pa\\'ss-Secr3t') FRM",
                                       "SELECT 'Back\\\\slash-Secr3t' FRM t",
                                       /* a mix: each quote written its own way, a backslash doubled or not */
                                       "SELECT 'Mix''d\\\\\"Secr3t' FRM t", "SELECT \"Mix'd\\\\\"\"Secr3t\" FRM t", "SELECT 'Mix\\'d\\\\\\\"Secr3t' FRM t"};
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    size_t i;
    tu_rmrf(RD_DIR);
    tu_write(RD_SECRETS, "[connections.db]\nurl = \"sqlite://\"\n[connections.pg]\nurl = \"postgresql://bob:Pa%27ss-Secr3t@db/app\"\n"
                         "[connections.my]\nurl = \"mysql://bob:Back%5cslash-Secr3t@db/app\"\n"
                         "[connections.mix]\nurl = \"sqlite://\"\npassword = \"Mix'd\\\\\\\"Secr3t\"\n");
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    c = dconn_connect(ctx, "db", NULL, NULL, &err);
    REQUIRE(c);
    for (i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
        CHECK(dconn_exec(c, sqls[i], NULL, 0, NULL, NULL, &err) != DCONN_OK);
        CHECK_NOT_CONTAINS(err.message, "Secr3t");
        CHECK_CONTAINS(err.message, "***");
    }
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
}

/* Keys that name a secret without the usual words: auth, Authorization,
   access_key, a key named "key" (SQLCipher's PRAGMA key) or ending in _key. */
static void redaction_more_secret_key_names(void) {
    static const char *const values[] = {"HunterAuth99xx", "Bearer HunterBearer77", "HunterAccess55", "HunterCipherKey88", "HunterSsh33",
                                         "HunterPswd12", "HunterJwt34", "sessionid=HunterCookie", "HunterHook56"};
    dconn_ctx *ctx;
    dconn_error err;
    char *text = NULL;
    size_t i;
    tu_rmrf(RD_DIR);
    tu_write(RD_DIR "/k/secrets.toml", "[connections.a]\nurl = \"sqlite://\"\nauth = \"HunterAuth99xx\"\n"
                                        "headers = { Authorization = \"Bearer HunterBearer77\" }\naccess_key = \"HunterAccess55\"\n"
                                        "connect_args = { pragmas = { key = \"HunterCipherKey88\" } }\nssh_key = \"HunterSsh33\"\n"
                                        "pswd = \"HunterPswd12\"\njwt = \"HunterJwt34\"\ncookie = \"sessionid=HunterCookie\"\n"
                                        "slack_webhook = \"https://hooks.example/services/HunterHook56\"\n"
                                        "monkey_name = \"visible-value\"\n");
    ctx = tu_open(RD_DIR "/k/secrets.toml");
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_describe(ctx, "a", &text, &err), DCONN_OK);
    REQUIRE(text);
    for (i = 0; i < sizeof values / sizeof values[0]; i++) CHECK_NOT_CONTAINS(text, values[i]);
    CHECK_CONTAINS(text, "auth = \"***\"");
    CHECK_CONTAINS(text, "visible-value");
    dconn_free(text);
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
}

/* After an edit the new password is masked too, and the old one stays
   masked while results or connections may still quote it. */
static void redaction_follows_reloads(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    tu_rmrf(RD_DIR);
    tu_write(RD_SECRETS, "[connections.a]\nurl = \"sqlite://\"\npassword = \"Fir5t-secret\"\n");
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    c = dconn_connect(ctx, "a", NULL, NULL, &err);
    REQUIRE(c != NULL);
    tu_write(RD_SECRETS, "[connections.a]\nurl = \"sqlite://\"\npassword = \"Sec0nd-secret\"\n\n");
    CHECK(dconn_query(c, "SELECT 'Fir5t-secret' FROM \"Sec0nd-secret\"", NULL, 0, NULL, &err) == NULL);
    CHECK_NOT_CONTAINS(err.message, "Fir5t-secret");
    CHECK_NOT_CONTAINS(err.message, "Sec0nd-secret");
    CHECK_CONTAINS(err.message, "no such table: ***");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
}

/* A TOML error in a secrets file shows the key, never the value, whatever
   the key or the table it sits in. */
static void redaction_toml_excerpt_hides_values(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(RD_DIR);
    tu_write(RD_SECRETS, "[api_tokens]\ngithub = \"ghp_R3alT0kenValue\n");
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ETOML);
    CHECK_CONTAINS(err.message, RD_SECRETS ":2:");
    CHECK_NOT_CONTAINS(err.message, "ghp_R3al");
    CHECK_NOT_CONTAINS(tu_logbuf, "ghp_R3al");
    tu_write(RD_SECRETS, "[connections.a]\nurl = \"sqlite://\"\nnote = \"plain words\" oops\n");
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ETOML);
    CHECK_CONTAINS(err.message, "note = (value not shown)");
    CHECK_NOT_CONTAINS(err.message, "plain words");
    /* the public parser too, a line ending in "file" included (a key ending so names a path; a line is no key) */
    {
        static const char line[] = "password = hunter2-S3cret-from-file\n";
        dconn_toml_doc *doc = dconn_toml_parse(line, sizeof line - 1, NULL, &err);
        CHECK(doc == NULL);
        CHECK_NOT_CONTAINS(err.message, "hunter2");
        dconn_toml_free(doc);
    }
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
}

/* Forms a review found: connection strings inside URL queries (raw and
   percent-encoded), a password ending at the ';' of the next setting, key
   names in camelCase, a token as a URL's user, SQL's quoting of a known
   value, and TOML errors that quoted a character of a value or a pasted
   token. */
static void redaction_review_forms(void) {
    static const struct { const char *url, *secret, *shown; } urls[] = {
        {"mssql+pyodbc:///?odbc_connect=DRIVER%3D%7BODBC%7D%3BUID%3Du%3BPWD%3DOdbcPw9876%3B", "OdbcPw9876", "odbc_connect=***"},
        {"mssql+pyodbc:///?odbc_connect=DRIVER={ODBC};UID=u;PWD=OdbcPw9876;", "OdbcPw9876", "odbc_connect=***"},
        {"postgresql://h/db?options=-c%20password%3DOptPw12345&sslmode=require", "OptPw12345", "sslmode=require"},
        {"postgresql://tokenonlyABCDEF123@host/app", "tokenonlyABCDEF123", "postgresql://***@host/app"},
        {"https://ghp_abc@github.com/x/y.git", "ghp_abc", "https://***@github.com"},
        {"postgresql://me@host/app", "(none)", "postgresql://me@host/app"},
        {"postgresql://svcreporting2024@host/app", "(none)", "postgresql://svcreporting2024@host/app"},   /* a long user name is no token */
        {"postgresql://a1b2c3d4e5f6a7b8c9@host/app", "a1b2c3d4e5f6a7b8c9", "postgresql://***@host/app"},
        {"mysql://bob:p@ss:w/rd%Sec#1@127.0.0.1:3306/t", "ss:w/rd%Sec", "mysql://bob:***@127.0.0.1:3306/t"},
        {"Server=x;Password=ConnStrPw1234;Encrypt=yes", "ConnStrPw1234", "Password=***;Encrypt=yes"},
        {"Driver={ODBC};PWD={Br4ced;Pw};Server=x", "Br4ced", "Server=x"},
        {"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=AzKey123456==;EndpointSuffix=x", "AzKey123456", "AccountName=a"},
        {"https://h/x?sig=Sig1234567&se=2030", "Sig1234567", "se=2030"},
    };
    static const char *const values[] = {"PrivK3yValue", "Priv2KeyValue", "SigningK3yValue", "PwValue12345", "ApiK3yValue", "ConnStrPw1234",
                                         "it's-S3cr@t Pw!", "TypoPass5555", "Typo2Pass555", "TypoPass6666", "DbKeyValue77", "HmacKeyValue9", "PassKeyValue7"};
    char out[512];
    size_t i;
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    char *text = NULL;
    for (i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        dconn_url_redact(urls[i].url, out, sizeof out);
        if (strstr(out, urls[i].secret) || !strstr(out, urls[i].shown)) fprintf(stdout, "  %s -> %s\n", urls[i].url, out);
        CHECK_NOT_CONTAINS(out, urls[i].secret);
        CHECK_CONTAINS(out, urls[i].shown);
    }
    tu_rmrf(RD_DIR);
    tu_write(RD_SECRETS, "[connections.a]\nurl = \"sqlite://\"\npassword = \"it's-S3cr@t Pw!\"\n"
                         "[connections.b]\nprivateKey = \"PrivK3yValue\"\nprivatekey = \"Priv2KeyValue\"\n"
                         "signingKey = \"SigningK3yValue\"\npw = \"PwValue12345\"\napiKey = \"ApiK3yValue\"\n"
                         "conn_string = \"Server=x;Password=ConnStrPw1234;\"\npassword = \"it's-S3cr@t Pw!\"\n"
                         "pasword = \"TypoPass5555\"\nPassowrd = \"Typo2Pass555\"\npaswd = \"TypoPass6666\"\n"   /* a typo of password is masked too */
                         "db_key = \"DbKeyValue77\"\nhmackey = \"HmacKeyValue9\"\npasskey = \"PassKeyValue7\"\n"
                         "[app]\nsort_key = \"created_at\"\nauthor = \"reporting\"\nmonkey = \"banana\"\nsortKey = \"updated_at\"\n");
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_describe(ctx, "b", &text, &err), DCONN_OK);
    REQUIRE(text);
    for (i = 0; i < sizeof values / sizeof values[0]; i++) CHECK_NOT_CONTAINS(text, values[i]);
    dconn_free(text);
    c = dconn_connect(ctx, "a", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK(dconn_query(c, "SELECT 'ConnStrPw1234', 'it''s-S3cr@t Pw!', \"it's-S3cr@t+Pw!\" FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "no such table: nosuch");
    CHECK_NOT_CONTAINS(err.message, "ConnStrPw1234");
    CHECK_NOT_CONTAINS(err.message, "S3cr@t");
    /* a known password as MySQL's strings escape it */
    CHECK(dconn_query(c, "SELECT 'it\\'s-S3cr@t Pw!' FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_NOT_CONTAINS(err.message, "S3cr@t");
    /* only the password's own literal: a column's by its name in INSERT ... VALUES, nothing past a WHERE, a user and a host stay */
    {
        static const char *const shown[][3] = {
            {"INSERT INTO u (password, login) VALUES ('PwValueX1', 'reporting'), ('PwValueX1', 'r2') FRM", "'reporting'", "'r2'"},
            {"UPDATE u SET password = 'PwValueX1' WHERE name = 'bobby1' FRM", "'bobby1'", "password = '***'"},
            {"SET PASSWORD FOR 'reporting'@'10.20.30.40' = PASSWORD('PwValueX1') FRM", "'reporting'@'10.20.30.40'", "PASSWORD('***')"},
            {"ALTER ROLE r PASSWORD 'PwValueX1' VALID UNTIL '2030-01-01' FRM", "'2030-01-01'", "PASSWORD '***'"},
            /* a third review's: the values beside a password's, another comparison's key, a list's item, a comment's text */
            {"UPDATE users SET password = 'PwValueX1', email = 'bob@example.com', name = 'Bob Smith' FRM", "'bob@example.com'", "'Bob Smith'"},
            {"INSERT INTO users (name, password, email) SELECT 'bob', 'PwValueX1', 'bob@example.com' FRM", "'bob', '***', 'bob@example.com'", "SELECT"},
            {"SELECT id, password, 'active' AS status FROM users WHERE password = 'PwValueX1' FRM", "'active'", "password = '***'"},
            {"SELECT * FROM t WHERE secret = 'PwValueX1' AND created > '2024-01-01' FRM", "'2024-01-01'", "secret = '***'"},
            {"SELECT * FROM credentials WHERE username = 'alice' AND pw = 'PwValueX1' FRM", "'alice'", "pw = '***'"},
            {"COMMENT ON COLUMN users.password IS 'bcrypt hash, never plain text' FRM", "'bcrypt hash, never plain text'", "COMMENT"},
        };
        size_t k;
        for (k = 0; k < sizeof shown / sizeof shown[0]; k++) {
            CHECK(dconn_exec(c, shown[k][0], NULL, 0, NULL, NULL, &err) != DCONN_OK);
            CHECK_NOT_CONTAINS(err.message, "PwValueX1");
            CHECK_CONTAINS(err.message, shown[k][1]);
            CHECK_CONTAINS(err.message, shown[k][2]);
        }
    }
    /* every row of a long INSERT by its column (each row looks back one row: a 20,000-row dump's statement stays linear) */
    {
        size_t cap = 20000 * 40 + 64, len, k;
        char *big = (char *)malloc(cap), *m;
        int at = -1, nomem = 0;
        REQUIRE(big);
        len = (size_t)snprintf(big, cap, "INSERT INTO t (a, password) VALUES ");
        for (k = 0; k < 20000; k++) len += (size_t)snprintf(big + len, cap - len, "%s('name%zu', 'RowPw%zu')", k ? ", " : "", k, k);
        m = dconn__sql_masked(NULL, big, &at, &nomem, NULL);
        REQUIRE(m);
        CHECK_NOT_CONTAINS(m, "RowPw");
        CHECK_CONTAINS(m, "('name19999', '***')");
        dconn_free(m);   /* (the library's allocator: DCONN_FREE) */
        free(big);
    }
    /* a long literal of key=value words, or of values left open, masks in one pass (each once looked to the end:
       a 260 KB log line took 24 s in the hook) */
    {
        size_t cap = 300000, len, k;
        char *big = (char *)malloc(cap), *m;
        int shape;
        REQUIRE(big);
        for (shape = 0; shape < 3; shape++) {
            int at = -1, nomem = 0;
            len = (size_t)snprintf(big, cap, "INSERT INTO logs (line) VALUES ('");
            for (k = 0; len + 64 < cap; k++)
                len += (size_t)(shape == 0 ? snprintf(big + len, cap - len, "k%zu=v%zu|", k, k)
                                : shape == 1 ? snprintf(big + len, cap - len, "pw={a%zu ", k) : snprintf(big + len, cap - len, "a%zu=", k));
            snprintf(big + len, cap - len, "password=TailPw77')");
            m = dconn__sql_masked(NULL, big, &at, &nomem, NULL);
            REQUIRE(m);
            CHECK_NOT_CONTAINS(m, "TailPw77");
            dconn_free(m);
        }
        /* and SQL of 256 KB of empty dollar quotes, or of rows whose values call a function (once 127 s and 7 s) */
        for (shape = 0; shape < 2; shape++) {
            int at = -1, nomem = 0;
            len = (size_t)snprintf(big, cap, shape ? "INSERT INTO t (a, password) VALUES " : "SELECT ");
            for (k = 0; len + 64 < cap - 40000; k++)
                len += (size_t)(shape ? snprintf(big + len, cap - len, "(datetime('now'), 'RowPw%zu'), ", k) : snprintf(big + len, cap - len, "$$"));
            snprintf(big + len, cap - len, shape ? "(1, 'RowPwLast') FRM" : " FRM");
            m = dconn__sql_masked(NULL, big, &at, &nomem, NULL);
            CHECK(shape == 0 || m != NULL);
            if (m) CHECK_NOT_CONTAINS(m, "RowPw");
            dconn_free(m);
        }
        free(big);
    }
    /* a known secret masked in the SQL keeps the caret under what failed */
    CHECK(dconn_query(c, "SELECT 'ConnStrPw1234' + FROM t", NULL, 0, NULL, &err) == NULL);
    if (sqlite3_libversion_number() >= 3038000) CHECK_CONTAINS(err.message, "\n  SQL: SELECT '***' + FROM t\n                      ^");   /* (no offsets before 3.38) */
    else CHECK_CONTAINS(err.message, "\n  SQL: SELECT '***' + FROM t");
    /* a password literal after other literals: SET PASSWORD FOR 'bob'@'host' = '...', VALUES ('bob', '...') */
    CHECK(dconn_query(c, "SELECT 'x' FROM nosuch WHERE password IN ('bob', 'LitPw8765')", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "no such table: nosuch");
    CHECK_NOT_CONTAINS(err.message, "LitPw8765");
    dconn_release(c);
    /* keys that only end in "key" or start with "auth" name no secret: their values stay readable everywhere */
    c = dconn_connect(ctx, "a", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK(dconn_query(c, "SELECT created_at, 'reporting', 'banana', updated_at FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "SELECT created_at, 'reporting', 'banana', updated_at FROM nosuch");
    dconn_release(c);
    /* TOML errors: a character of a value, a pasted token, a line without '=' */
    tu_write(RD_SECRETS, "[connections.a]\npassword = 12TomlNumPw\n");
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ETOML);
    CHECK_NOT_CONTAINS(err.message, "'T'");
    CHECK_NOT_CONTAINS(err.message, "TomlNumPw");
    tu_write(RD_SECRETS, "[connections.a]\nurl = \"sqlite://\"\nSuperSecretToken123\n");
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ETOML);
    CHECK_CONTAINS(err.message, RD_SECRETS ":3:");
    CHECK_NOT_CONTAINS(err.message, "SuperSecretToken123");
    tu_write(RD_SECRETS, "[connections.a]\nurl = \"sqlite://\"\nnote \"S3cretNoEquals\"\n");
    CHECK_EQ_INT(dconn_secrets_check(ctx, &err), DCONN_ETOML);
    CHECK_NOT_CONTAINS(err.message, "S3cretNoEquals");
    CHECK_NOT_CONTAINS(tu_logbuf, "S3cretNoEquals");
    CHECK_NOT_CONTAINS(tu_logbuf, "SuperSecretToken123");
    dconn_close(ctx);
    /* a password a later file overrides (the global file's, under a local one) is still a secret, and so is
       a ${VAR:-default}'s default when the variable is set */
    setenv("RD_PW_SET", "EnvPw2468097", 1);
    tu_write(RD_DIR "/global.toml", "[connections.a]\nurl = \"sqlite://\"\npassword = \"GlobalPw98765\"\n"
                                    "[connections.b]\nurl = \"sqlite://\"\npassword = \"${RD_PW_SET:-DefaultPw1357}\"\n");
    tu_write(RD_SECRETS, "[connections.a]\npassword = \"LocalPw43210\"\n");
    ctx = tu_open(RD_DIR "/global.toml" TU_LIST_SEP RD_SECRETS);
    REQUIRE(ctx);
    c = dconn_connect(ctx, "a", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    CHECK(dconn_query(c, "SELECT 'GlobalPw98765', 'LocalPw43210', 'DefaultPw1357', 'EnvPw2468097' FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "no such table: nosuch");
    CHECK_NOT_CONTAINS(err.message, "GlobalPw98765");
    CHECK_NOT_CONTAINS(err.message, "LocalPw43210");
    CHECK_NOT_CONTAINS(err.message, "DefaultPw1357");
    CHECK_NOT_CONTAINS(err.message, "EnvPw2468097");
    unsetenv("RD_PW_SET");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
}

/* A connection named like a secret key is a name: its URL is shown. */
static void redaction_connection_names_are_names(void) {
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    tu_rmrf(RD_DIR);
    tu_write(RD_SECRETS, "[connections.passenger_db]\nurl = \"sqlite:///" RD_DIR "/passenger.db\"\n");
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    c = dconn_connect(ctx, "passenger_db", NULL, NULL, &err);
    REQUIRE(c != NULL);
    CHECK_STR(tu_conn_url(c), "sqlite:///" RD_DIR "/passenger.db");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
}

/* A user name holding a '/' (from ${DB_USER}) does not hide where the
   password starts. */
static void redaction_user_name_with_slash(void) {
    dconn_ctx *ctx;
    dconn_error err;
    char *text = NULL, out[256];
    tu_rmrf(RD_DIR);
    setenv("DCONN_RD_USER", "svc/reporting", 1);
    tu_write(RD_SECRETS, "[connections.pg]\nurl = \"postgresql://${DCONN_RD_USER}:Sl4shPassw0rd@db.example/app\"\n");
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    CHECK_EQ_INT(dconn_secrets_describe(ctx, "pg", &text, &err), DCONN_OK);
    CHECK_NOT_CONTAINS(text, "Sl4shPassw0rd");
    CHECK_CONTAINS(text, "postgresql://svc/reporting:***@db.example/app");
    dconn_free(text);
    dconn_url_redact("postgresql://svc/reporting:Sl4shPassw0rd@db.example/app", out, sizeof out);
    CHECK_STR(out, "postgresql://svc/reporting:***@db.example/app");
    dconn_url_redact("sqlite:///path/with@sign.db", out, sizeof out);   /* no password: unchanged */
    CHECK_STR(out, "sqlite:///path/with@sign.db");
    dconn_close(ctx);
    unsetenv("DCONN_RD_USER");
    tu_rmrf(RD_DIR);
}

/* A URL given where a connection name goes (DB_CONN holding one, as
   DATABASE_URL habits put it there): the message quoting the name masks
   its password, as every other message does. */
static void redaction_url_given_as_name(void) {
    dconn_ctx *ctx;
    dconn_error err;
    tu_rmrf(RD_DIR);
    tu_write(RD_SECRETS, "[connections.a]\nurl = \"sqlite://\"\n");
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "mysql://bob:Tr0ub4dor_x@127.0.0.1:3306/app", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "not by a URL");
    CHECK_CONTAINS(err.message, "mysql://bob:***@127.0.0.1:3306/app");
    CHECK_NOT_CONTAINS(err.message, "Tr0ub4dor_x");
    setenv("DCONN_RD_CONN", "postgresql://me:Hunt@er2Hunter2@db/app", 1);
    CHECK(dconn_connect(ctx, "env:DCONN_RD_CONN", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "postgresql://me:***@db/app");
    CHECK_NOT_CONTAINS(err.message, "Hunter2");
    setenv("DCONN_RD_CONN", "app:Secret99xyz@db/app", 1);   /* a URL that lost its scheme */
    CHECK(dconn_connect(ctx, "env:DCONN_RD_CONN", NULL, NULL, &err) == NULL);
    CHECK_NOT_CONTAINS(err.message, "Secret99xyz");
    /* a file path with an '@' is no secret: it stays readable in later messages */
    CHECK(dconn_connect(ctx, "file:/srv/data@corp/x.db", NULL, NULL, &err) == NULL);
    CHECK(dconn_connect(ctx, "/srv/data@corp", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "/srv/data@corp");
    CHECK_NOT_CONTAINS(tu_logbuf, "Hunter2");
    unsetenv("DCONN_RD_CONN");
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
}

/* A password holding '@' and then '?' unescaped runs into the query: where
   it ends cannot be told, so all after "user:" is masked, and connecting
   refuses the url with the fix, at its file and line, before a driver
   could echo a piece of it. A legitimate '@' in a query value stays. */
static void redaction_password_running_into_query(void) {
    static const struct { const char *url, *shown; } urls[] = {
        {"mysql://alice:Pa@ss/wo?rd99@127.0.0.1:1/db", "mysql://alice:***"},
        {"postgresql://alice:Pa@ss?word99@h:5432", "postgresql://alice:***"},
        {"//alice:Pa@ss?wo@h/db", "//alice:***"},
        {"postgresql://alice:Pa@ss?wo@/postgres?host=/tmp/sock", "postgresql://alice:***"},
        {"mysql://alice:Pa@ss?wo@/db?unix_socket=/tmp/my.sock", "mysql://alice:***"},
        {"mysql://u:Pa@ss?wo=rd@h/db&ssl_mode=REQUIRED", "mysql://u:***"},
        {"postgresql://u:pw12345@h/db?application_name=me@corp", "postgresql://u:***@h/db?application_name=me@corp"},
        {"postgresql://u@h/db?x@y", "postgresql://u@h/db?x@y"},
    };
    char out[256];
    size_t i;
    dconn_ctx *ctx;
    dconn_error err;
    dconn_url *u;
    for (i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        CHECK(dconn_url_redact(urls[i].url, out, sizeof out) == strlen(urls[i].shown));
        CHECK_STR(out, urls[i].shown);
    }
    u = dconn_url_parse("mysql://alice:Pa@ss/wo?rd99@127.0.0.1:1/db", &err);
    CHECK(u == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, "\"mysql://alice:***\": the url's password seems to hold '@' and then '?'");
    CHECK_CONTAINS(err.message, "@ as %40, ? as %3F");
    dconn_url_free(u);
    tu_rmrf(RD_DIR);
    tu_write(RD_SECRETS, "[connections.staging]\nurl = \"sqlite://alice:Pa@ss/wo?rd99@127.0.0.1:1/db\"\n");
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "staging", NULL, NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, DCONN_ECONFIG);
    CHECK_CONTAINS(err.message, RD_SECRETS ":2: connection \"staging\": the url's password seems to hold");
    CHECK_NOT_CONTAINS(err.message, "rd99");
    CHECK_NOT_CONTAINS(err.message, "ss/wo");
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
}

/* A third review's forms: a URL that lost its "@host" (the password reads
   as the port; libpq's multi-host ports stay), a password with '@' then
   "?x=...@host:port", a connection string or a URL with a short password
   given as the name, and a short URL password a driver quotes in the raw
   URL. */
static void redaction_review_three(void) {
    static const struct { const char *url, *shown; } urls[] = {
        {"postgresql://alice:Zx9secretpw/db", "postgresql://alice:***/db"},
        {"mysql://alice:Zx9secretpw:localhost/db", "mysql://alice:***/db"},
        {"postgresql://host1:5432,host2:5433,host3/db", "postgresql://host1:5432,host2:5433,host3/db"},
        /* a bad port after the '@' is a bad port; a file's path under a passfile key is a path */
        {"postgresql://eve@localhost:5x32/postgres", "postgresql://eve@localhost:5x32/postgres"},
        {"postgresql://eve:pw12345@localhost:99999/postgres", "postgresql://eve:***@localhost:99999/postgres"},
        {"postgresql://u@h/db?passfile=/tmp/x/pgpass&sslpassword=Zq9secret", "postgresql://u@h/db?passfile=/tmp/x/pgpass&sslpassword=***"},
        {"postgresql://me:pw9@db:5432/app", "postgresql://me:***@db:5432/app"},
        {"mysql://root:S3cr3t@pw?x=yZ@db.example.com:3306", "mysql://root:***"},
        {"postgresql://u:pw12345@h/db?application_name=me@corp.example", "postgresql://u:***@h/db?application_name=me@corp.example"},
        {"jdbc:sqlserver://db.example.com:1433;databaseName=app;user=sa;password=Zx9secretpw2;encrypt=true",
         "jdbc:sqlserver://db.example.com:1433;databaseName=app;user=sa;password=***;encrypt=true"},
        {"postgresql://db/app;password=Zx9secretpw", "postgresql://db/app;password=***"},
        {"scott/Zx9secretpw@db.example.com:1521/ORCLPDB1", "scott/***@db.example.com:1521/ORCLPDB1"},
        {"/srv/data@corp/x.db", "/srv/data@corp/x.db"},
        {"Server=db;User Id=sa;Password=my secret pass;Encrypt=yes", "Server=db;User Id=sa;Password=***;Encrypt=yes"},
        {"Server=db;Pwd=my secret pass", "Server=db;Pwd=***"},
        {"password=a\\ bcdefgh host=x", "password=*** host=x"},
        {"host=db password=x user=me", "host=db password=*** user=me"},
        {"c##admin/Secret123@db:1521/orcl", "c##admin/***@db:1521/orcl"},
        {"scott/tig:er99@db:1521/orcl", "scott/***@db:1521/orcl"},
        {"bk/monthly@2024.db", "bk/monthly@2024.db"},
        {"analytics/reports@eu", "analytics/reports@eu"},
        {"postgresql://alice:pw@127.0.0.1:5432,[::1]:5433/app", "postgresql://alice:***@127.0.0.1:5432,[::1]:5433/app"},
        {"postgresql://alice:pw@h:1/app?sslrootcert=/home/alice@corp.com/ca.pem", "postgresql://alice:***@h:1/app?sslrootcert=/home/alice@corp.com/ca.pem"},
        {"mysql://u:p@h/db?init_command=SET%20@@session.time_zone='%2B00:00'", "mysql://u:***@h/db?init_command=SET%20@@session.time_zone='%2B00:00'"},
        /* a fourth review's: a password of digits past 65535 in the port's place, an empty port, a path with '=' and no
           ';' settings, a query value that is a path with '@' in a folder without dots */
        {"postgresql://alice:123456/db", "postgresql://alice:***/db"},
        {"postgresql://h:65535/db", "postgresql://h:65535/db"},
        {"postgresql://db:/app", "postgresql://db:/app"},
        {"sqlite:///tmp/monkey=1.db", "sqlite:///tmp/monkey=1.db"},
        {"sqlite:////srv/turkey=production.db", "sqlite:////srv/turkey=production.db"},
        {"postgresql://alice:pw@h/db?sslcert=/home/alice@corp/client", "postgresql://alice:***@h/db?sslcert=/home/alice@corp/client"},
        {"postgresql://alice:pw@h/db?sslcert=~alice@corp/client", "postgresql://alice:***@h/db?sslcert=~alice@corp/client"},
        {"postgresql://me:S3cr@t?sslcert=/x@db:5432", "postgresql://me:***"},   /* a path-like value, yet a host and port after its '@' */
    };
    char out[256];
    size_t i;
    dconn_ctx *ctx;
    dconn_error err;
    dconn_conn *c;
    for (i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        dconn_url_redact(urls[i].url, out, sizeof out);
        CHECK_STR(out, urls[i].shown);
    }
    CHECK(dconn_url_parse("mysql://alice:Zx9secretpw:localhost/db", &err) == NULL);
    CHECK_CONTAINS(err.message, "the '@' and host after it are missing");
    CHECK_NOT_CONTAINS(err.message, "Zx9secret");
    CHECK(dconn_url_parse("postgresql://alice:123456/db", &err) == NULL);
    CHECK_CONTAINS(err.message, "the '@' and host after it are missing");
    CHECK_NOT_CONTAINS(err.message, "123456");
    tu_rmrf(RD_DIR);
    tu_write(RD_SECRETS, "[connections.a]\nurl = \"sqlite://\"\n[other_app]\nreplica = \"postgresql://alice:pw1@[::1/db\"\n"
                         "backup = \"postgresql://bob:LongerPw99@db.example:5433/app\"\n"
                         "encoded = \"postgresql://carol:p%77%32@[::1/db\"\n"
                         "api_token = \"tok_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\"\npassword = \"postgres\"\n");
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    setenv("DCONN_RD_CONN", "host=127.0.0.1 port=1 password=envS3cretpw", 1);
    CHECK(dconn_connect(ctx, "env:DCONN_RD_CONN", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "password=***");
    CHECK_CONTAINS(err.message, "not by a URL or connection string");
    CHECK_NOT_CONTAINS(err.message, "envS3cretpw");
    setenv("DCONN_RD_CONN", "postgresql://alice:pw1@127.0.0.1:1/app", 1);
    CHECK(dconn_connect(ctx, "env:DCONN_RD_CONN", NULL, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "postgresql://alice:***@127.0.0.1:1/app");
    CHECK_NOT_CONTAINS(err.message, "pw1");
    unsetenv("DCONN_RD_CONN");
    c = dconn_connect(ctx, "a", NULL, NULL, &err);
    REQUIRE(c);
    /* "alice:pw1@" is known whole: wherever the raw URL shows, so does not its password */
    CHECK(dconn_query(c, "SELECT 'postgresql://alice:pw1@[::1/db' FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "no such table");
    CHECK_NOT_CONTAINS(err.message, "pw1");
    /* a longer one is known alone: the user and the '@' still show where a message quotes the URL */
    CHECK(dconn_query(c, "SELECT 'postgresql://bob:LongerPw99@db.example:5433/app' FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "'postgresql://bob:***@db.example:5433/app'");
    /* one short only once decoded ("p%77%32" is "pw2") is known whole, in both forms */
    CHECK(dconn_query(c, "SELECT 'postgresql://carol:pw2@[::1/db', 'postgresql://carol:p%77%32@[::1/db' FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "no such table");
    CHECK_NOT_CONTAINS(err.message, "pw2");
    CHECK_NOT_CONTAINS(err.message, "p%77%32");
    /* a long secret cut short (a driver's message at its limit) is masked from its 16th byte on */
    CHECK(dconn_query(c, "SELECT 'tok_ABCDEFGHIJKLMNOPQRSTU' FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_NOT_CONTAINS(err.message, "tok_ABCDEFGHIJKL");
    /* ... but another value sharing its first bytes, and going on, stays */
    CHECK(dconn_query(c, "SELECT 'tok_ABCDEFGHIJKLMNOPQRSTU_other' FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "tok_ABCDEFGHIJKLMNOPQRSTU_other");
    /* a password of letters alone is masked as a word, not inside a longer one */
    CHECK(dconn_query(c, "SELECT 'postgresql://h/postgres' FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "'postgresql://h/***'");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
    /* Oracle's "user/password@alias" as a connect string's value (url, dsn, ...): known; elsewhere that shape is a path and stays */
    tu_write(RD_SECRETS, "export_dir = \"analytics/reports@eu\"\n"
                         "[connections.a]\nurl = \"sqlite://\"\n[connections.ora]\ntype = \"sqlite\"\nurl = \"scott/TigerPass9@orcl\"\n"
                         "[o]\ndsn = \"scott/OraAaa111@db.example.com\"\nreplica_url = \"scott/tiger@localhost\"\n"
                         "TNS = \"scott/OraFff666@(DESCRIPTION=(ADDRESS=(HOST=db)(PORT=1521)))\"\n");
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    CHECK(dconn_connect(ctx, "ora", NULL, NULL, &err) == NULL);
    CHECK_NOT_CONTAINS(err.message, "TigerPass9");
    c = dconn_connect(ctx, "a", NULL, NULL, &err);
    REQUIRE(c);
    CHECK(dconn_query(c, "SELECT 'OraAaa111', 'OraFff666', 'scott/tiger@localhost', 'TigerPass9' FROM nosuch", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "no such table");
    CHECK_NOT_CONTAINS(err.message, "OraAaa111");
    CHECK_NOT_CONTAINS(err.message, "OraFff666");
    CHECK_NOT_CONTAINS(err.message, "tiger");
    CHECK_NOT_CONTAINS(err.message, "TigerPass9");
    CHECK(dconn_query(c, "SELECT * FROM reports", NULL, 0, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "no such table: reports");
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
}

/* A driver's message long enough to be cut, ending in a password: no
   start of it shows at the cut, whether the library cuts the message (a
   query's, which it prefixes) or the driver's dconn_error_set did (a
   connect's at 1023 bytes). */
static int rd_pad;
static dconn_status rd_cut_connect(void *ud, const dconn_settings *s, void **h, dconn_error *err) {
    (void)ud;
    if (dconn_settings_string(s, "fail_connect", NULL)) return dconn_error_set(err, DCONN_EDRIVER, "%*s login failed for Sup3rS3cretPw", rd_pad, "m");
    *h = &rd_pad;
    return DCONN_OK;
}
static void rd_cut_disconnect(void *ud, void *h) { (void)ud; (void)h; }
static dconn_status rd_cut_query(void *ud, void *h, const dconn_stmt *st, dconn_builder *b, dconn_error *err) {
    (void)ud; (void)h; (void)b;
    if (strncmp(st->sql, "echo:", 5) == 0) return dconn_error_set(err, DCONN_EQUERY, "%s", st->sql + 5);   /* a server's words, as given */
    return dconn_error_set(err, DCONN_EQUERY, "%*s login failed for Sup3rS3cretPw", rd_pad, "m");
}
static void redaction_message_cut_in_a_password(void) {
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_driver d;
    int cut_seen = 0;
    tu_rmrf(RD_DIR);
    tu_write(RD_SECRETS, "[connections.q]\nurl = \"cutmock://db\"\npassword = \"Sup3rS3cretPw\"\n"
                         "[connections.k]\nurl = \"cutmock://db\"\npassword = \"Sup3rS3cretPw\"\nfail_connect = \"yes\"\n");
    ctx = tu_open(RD_SECRETS);
    REQUIRE(ctx);
    tu_driver(&d, "cutmock", "cutmock", rd_cut_connect, rd_cut_disconnect, rd_cut_query);
    d.is_sql = 1;
    REQUIRE(dconn_register_driver(ctx, &d, &err) == DCONN_OK);
    c = dconn_connect(ctx, "q", NULL, NULL, &err);
    if (!c) fprintf(stdout, "  %s\n", err.message);
    REQUIRE(c);
    for (rd_pad = 800; rd_pad < 1020; rd_pad++) {
        CHECK(dconn_query(c, "SELECT 1", NULL, 0, NULL, &err) == NULL);
        if (strstr(err.message, " ...")) cut_seen++;
        if (strstr(err.message, "Sup3")) { CHECK_NOT_CONTAINS(err.message, "Sup3"); break; }
        CHECK(dconn_connect(ctx, "k", NULL, NULL, &err) == NULL);
        if (strstr(err.message, "Sup3")) { CHECK_NOT_CONTAINS(err.message, "Sup3"); break; }
    }
    CHECK(cut_seen > 0);
    /* a server's excerpt cut inside a known password, beside its "...": the piece there is masked */
    {
        static const char *const said[][2] = {
            {"echo:syntax error at or near \"AS\" LINE 1: ...3rS3cretPw' AS aaaa FROM t", "3rS3cretPw"},
            {"echo:You have an error in your SQL syntax near 'SELEC 'aaaa', 'Sup3rS3cr...' at line 1", "Sup3rS3cr"},
            {"echo:near '...S3cretPw' and 'Sup3rS3...'", "S3cretPw"},
        };
        size_t k;
        for (k = 0; k < sizeof said / sizeof said[0]; k++) {
            char first[DCONN_ERROR_MESSAGE_SIZE];
            CHECK(dconn_query(c, said[k][0], NULL, 0, NULL, &err) == NULL);
            snprintf(first, sizeof first, "%s", err.message);
            if (strstr(first, "\n  SQL:")) *strstr(first, "\n  SQL:") = '\0';   /* the driver's words, not the SQL quoted after them */
            CHECK_NOT_CONTAINS(first, said[k][1]);
            CHECK_NOT_CONTAINS(first, "Sup3rS3");
            CHECK_CONTAINS(first, "***");
        }
    }
    dconn_release(c);
    dconn_close(ctx);
    tu_rmrf(RD_DIR);
}

/* Secrets written into the SQL itself: the string after PASSWORD or
   IDENTIFIED BY, and a literal that holds a password=... or a URL with
   its password, are masked in the SQL line of an error and in the hook's
   SQL; the caret still points where the error is. */
static int rd_hook_calls;
static char rd_hook_sql[256];
static void rd_hook(const dconn_query_event *ev, void *ud) {
    (void)ud;
    rd_hook_calls++;
    snprintf(rd_hook_sql, sizeof rd_hook_sql, "%s", ev->sql);
}
static void redaction_secrets_written_in_sql(void) {
    /* each with the word SQLite's error points at (its last in the SQL) */
    static const char *const sqls[][2] = {
        {"CREATE ROLE zed PASSWORD 'ZedPass123' LOGINN", "ROLE"},
        {"ALTER USER 'app'@'%' IDENTIFIED BY 'ZedPass123' FRM", "USER"},
        {"SELECT 'password=ZedPass123' FRM t", "t"},
        {"SELECT 'postgresql://u:ZedPass123@h/db' AS u FRM t", "FRM"},
        {"SELECT 'a', 'postgresql://u:ZedPass123@h/db' , 3 + FRM9", "FRM9"},
        {"SET PASSWORD = PASSWORD('ZedPass123') FRM", "SET"},
        /* in comments and in PostgreSQL's dollar quotes */
        {"SELECT 1 FRM t -- password=ZedPass123", "t"},
        {"SELECT 1 /* postgresql://u:ZedPass123@h/db */ FRM t", "t"},
        {"ALTER ROLE bob PASSWORD $$ZedPass123$$ LOGINN", "ROLE"},
        {"SELECT 1 FRM t, $q$ password=ZedPass123 $q$", "t"},
        /* one SQLite quotes in its message (unrecognized token: "'ZedPass123") */
        {"UPDATE users SET password = 'ZedPass123", "'"},
    };
    dconn_options o = tu_options(RD_DIR "/none/secrets.toml");
    dconn_ctx *ctx;
    dconn_conn *c;
    dconn_error err;
    dconn_connect_options co;
    size_t i;
    o.on_query = rd_hook;
    ctx = dconn_open(&o, &err);
    REQUIRE(ctx);
    memset(&co, 0, sizeof co);
    co.url = "sqlite://";
    c = dconn_connect(ctx, "m", NULL, &co, &err);
    REQUIRE(c);
    for (i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
        const char *line, *caret, *frm, *f;
        CHECK(dconn_exec(c, sqls[i][0], NULL, 0, NULL, NULL, &err) != DCONN_OK);
        CHECK_NOT_CONTAINS(err.message, "ZedPass123");
        CHECK_NOT_CONTAINS(rd_hook_sql, "ZedPass123");
        CHECK_CONTAINS(err.message, "***");
        if (sqlite3_libversion_number() < 3038000) continue;   /* no error offsets before SQLite 3.38: no caret */
        line = strstr(err.message, "\n  SQL: ");
        REQUIRE(line);
        caret = strchr(line + 1, '\n');
        REQUIRE(caret);
        for (frm = NULL, f = line; (f = strstr(f, sqls[i][1])) != NULL && f < caret; f++) frm = f;
        REQUIRE(frm);
        /* the caret's column is the error's word's */
        CHECK_EQ_INT((int)(strchr(caret, '^') - caret), (int)(frm - line));
    }
    CHECK(rd_hook_calls >= 6);
    {
        /* a second review's: backslash escapes, an apostrophe in a comment, IDENTIFIED WITH ... BY, SET PASSWORD FOR,
           and a long SQL whose error is past the first 200 bytes (the window starts inside a literal) */
        static char longer[600];
        const char *more[24];
        size_t k;
        snprintf(longer, sizeof longer, "SELECT '%0150d', 'postgresql://u:ZedPass123@h/db', x FROM t WHERE 1 = 1 AND y = 'z' AND w = 1 FRM", 0);
        more[0] = "ALTER USER 'bob'@'%' IDENTIFIED BY 'abc\\'ZedPass123' FRM";
        more[1] = "-- don't panic\nCREATE ROLE app PASSWORD 'ZedPass123' LOGINN";
        more[2] = "CREATE USER 'bob'@'%' IDENTIFIED WITH caching_sha2_password BY 'ZedPass123' FRM";
        more[3] = "SET PASSWORD FOR bob = 'ZedPass123' FRM";
        more[4] = "/* it's */ SELECT 'password=ZedPass123' FRM t";
        more[5] = longer;
        /* SQL inside SQL: a function's body, a string run by EXECUTE, a line commented out, and the rest after a quote left open */
        more[6] = "DO $$ BEGIN EXECUTE 'x'; ALTER ROLE bob PASSWORD 'ZedPass123'; END $$ FRM";
        more[7] = "SELECT \"ALTER USER bob IDENTIFIED BY 'ZedPass123'\" FRM t";
        more[8] = "-- ALTER ROLE bob PASSWORD 'ZedPass123';\nSELECT 1 FRM t";
        more[9] = "SELECT \"x FROM t; ALTER ROLE bob PASSWORD 'ZedPass123' FRM";
        more[10] = "SELECT `x FROM t; ALTER ROLE bob PASSWORD 'ZedPass123' FRM";
        more[11] = "/* ALTER USER bob IDENTIFIED BY \"ZedPass123\" */ SELECT 1 FRM t";
        /* two levels down, with the quotes doubled: a string run by EXECUTE in a function's body, and PREPARE ... FROM */
        more[12] = "DO $$ BEGIN EXECUTE 'CREATE ROLE app PASSWORD ''ZedPass123'''; END $$ FRM";
        more[13] = "PREPARE s FROM 'ALTER USER bob IDENTIFIED BY ''ZedPass123''' FRM";
        /* a third review's: a name quoted as ORMs quote it, comments before the value or between rows, a ')' or a
           MySQL \' in an earlier value, a standard string ending in a backslash, a MySQL '#' comment with an
           apostrophe, a quoted plugin, and an E'' string inside a function's body */
        more[14] = "UPDATE \"users\" SET \"password\" = 'ZedPass123' WHERE \"id\" = 1 FRM";
        more[15] = "ALTER ROLE bob PASSWORD /* set by the ops team, don't ask */ 'ZedPass123' FRM";
        more[16] = "ALTER ROLE bob PASSWORD\n  -- rotated 2024-05-01, by ops\n  'ZedPass123' FRM";
        more[17] = "INSERT INTO users (name, password) VALUES ('bob', 'x'),\n  -- second user, carol\n  ('carol', 'ZedPass123') FRM";
        more[18] = "INSERT INTO users (name, password) VALUES ('a)b', 'x'), ('c', /* tmp, change */ 'ZedPass123') FRM";
        more[19] = "INSERT INTO users (name, password) VALUES ('O\\'Brien', 'ZedPass123') FRM";
        more[20] = "SELECT 'C:\\' AS dir, 'a' AS x FROM t WHERE password = 'ZedPass123' FRM";
        more[21] = "# don't forget\nALTER USER 'bob'@'%' IDENTIFIED BY 'ZedPass123' FRM";
        more[22] = "ALTER USER 'bob'@'%' IDENTIFIED WITH 'caching_sha2_password' BY 'ZedPass123' FRM";
        more[23] = "DO $$ BEGIN EXECUTE E'ALTER ROLE bob PASSWORD \\'ZedPass123\\''; END $$ FRM";
        for (k = 0; k < sizeof more / sizeof more[0]; k++) {
            CHECK(dconn_exec(c, more[k], NULL, 0, NULL, NULL, &err) != DCONN_OK);
            CHECK_NOT_CONTAINS(err.message, "ZedPass123");
            CHECK_NOT_CONTAINS(rd_hook_sql, "ZedPass123");
        }
        /* the rest of the string as it was written: its quotes written as they were, the plugin's name shown */
        CHECK_CONTAINS(err.message, "SQL: DO $$ BEGIN EXECUTE E'ALTER ROLE bob PASSWORD \\'***\\''; END $$ FRM");
        CHECK(dconn_exec(c, more[13], NULL, 0, NULL, NULL, &err) != DCONN_OK);
        CHECK_CONTAINS(err.message, "SQL: PREPARE s FROM 'ALTER USER bob IDENTIFIED BY ''***''' FRM");
        CHECK(dconn_exec(c, more[20], NULL, 0, NULL, NULL, &err) != DCONN_OK);
        CHECK_CONTAINS(err.message, "SQL: SELECT 'C:\\' AS dir, 'a' AS x FROM t WHERE password = '***' FRM");
        CHECK(dconn_exec(c, more[22], NULL, 0, NULL, NULL, &err) != DCONN_OK);
        CHECK_CONTAINS(err.message, "IDENTIFIED WITH 'caching_sha2_password' BY '***' FRM");
    }
    dconn_release(c);
    dconn_close(ctx);
}

/* Secrets in SQL expressions: a password compared by BETWEEN or IS [NOT]
   DISTINCT FROM, chosen by CASE, given by a subquery or joined by ||;
   each SELECT of INSERT ... SELECT ... UNION ALL SELECT; a column named
   with its table; the key of SQLCipher's PRAGMA key and ATTACH ... KEY;
   and the password or key argument of pgcrypto's and MySQL's functions.
   The literals beside them stay readable. */
static void redaction_secrets_in_sql_expressions(void) {
    static const char *const masked[][2] = {
        {"SELECT * FROM users WHERE password BETWEEN 'ExprPw01a' AND 'ExprPw01b'", "BETWEEN '***' AND '***'"},
        {"SELECT * FROM users WHERE password NOT BETWEEN 'ExprPw02a' AND 'ExprPw02b'", "BETWEEN '***' AND '***'"},
        {"SELECT * FROM users WHERE password IS DISTINCT FROM 'ExprPw03'", "FROM '***'"},
        {"SELECT * FROM users WHERE password IS NOT DISTINCT FROM 'ExprPw04'", "FROM '***'"},
        {"UPDATE users SET password = CASE WHEN id = 1 THEN 'ExprPw05a' ELSE 'ExprPw05b' END", "THEN '***' ELSE '***' END"},
        {"UPDATE users SET password = CASE WHEN kind = 'admin' THEN CASE WHEN id = 1 THEN 'x' END ELSE 'ExprPw06' END",
         "kind = 'admin' THEN CASE WHEN id = 1 THEN '***' END ELSE '***' END"},
        {"UPDATE users SET password = (SELECT 'ExprPw07')", "(SELECT '***')"},
        {"UPDATE users SET password = 'ExprPw08a' || 'ExprPw08b'", "'***' || '***'"},
        {"INSERT INTO users (name, password) SELECT 'bob', 'ExprPw09a' UNION ALL SELECT 'carol', 'ExprPw09b' UNION SELECT 'dan', "
         "'ExprPw09c'",
         "SELECT 'bob', '***' UNION ALL SELECT 'carol', '***' UNION SELECT 'dan', '***'"},
        {"INSERT INTO users (name, users.password) VALUES ('bob', 'ExprPw10')", "('bob', '***')"},
        {"INSERT INTO users (name, \"users\".\"password\") VALUES ('bob', 'ExprPw11')", "('bob', '***')"},
        {"PRAGMA key = 'ExprPw12'", "key = '***'"},
        {"PRAGMA main.rekey = 'ExprPw13'", "rekey = '***'"},
        {"PRAGMA key = \"x'ExprPw14'\"", "key = \"***\""},
        {"PRAGMA hexkey('ExprPw15')", "hexkey('***')"},
        {"ATTACH DATABASE 'enc.db' AS enc KEY 'ExprPw16'", "'enc.db' AS enc KEY '***'"},
        {"UPDATE users SET pw_hash = crypt('ExprPw17', gen_salt('bf')) WHERE name = 'bob'", "crypt('***', gen_salt('bf')) WHERE name = 'bob'"},
        {"SELECT pgp_sym_encrypt('the data', 'ExprPw18', 'cipher-algo=aes256')", "('the data', '***', 'cipher-algo=aes256')"},
        {"SELECT pgp_sym_decrypt(body, 'ExprPw19') FROM docs", "(body, '***')"},
        {"SELECT hmac(convert_to(msg, 'UTF8'), 'ExprPw20', 'sha256') FROM t", "(convert_to(msg, 'UTF8'), '***', 'sha256')"},
        {"SELECT AES_DECRYPT(col, 'ExprPw21') FROM t", "(col, '***')"},
        {"SELECT VALIDATE_PASSWORD_STRENGTH('ExprPw22')", "('***')"},
        {"SELECT pgp_pub_decrypt(msg, dearmor(k), 'ExprPw23') FROM t", "dearmor(k), '***')"},
        /* a standard string ending in a backslash, then a value masked as a message's words: the backslash reading
           (MySQL's) and the plain one each hide what they read as secret, on the SQL as written */
        {"UPDATE t SET dir = 'C:\\', note = 'password=abc', password = 'ExprPw24'", "dir = 'C:\\', note = 'password=***'"},
        {"SELECT 'C:\\' AS d, 'token=abcdefgh1234' AS t FROM t WHERE password = 'ExprPw25'", "SELECT 'C:\\' AS d, 'token=***'"},
        {"ALTER USER bob PASSWORD 'C:\\' ; ALTER USER carol PASSWORD 'ExprPw26'", "ALTER USER bob PASSWORD '***'"},
        /* a '*' beside a mask is hidden with it (the mask would show it as its own) */
        {"SELECT 'password=ExprPw27**'", "'password=***'"},
        {"SELECT 'password=**ExprPw28 x'", "'password=*** x'"},
        /* every value of a long list (each takes its key from the one before it) */
        {"DELETE FROM users WHERE password IN ('p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10', 'p11', 'p12', 'p13', "
         "'p14', 'p15', 'p16', 'p17', 'p18', 'ExprPw29', 'ExprPw30')",
         "'***', '***')"},
        /* a fourth review's: a key passed through other calls, a prefixed or dollar-quoted literal, BETWEEN's other bounds,
           SQLite's IS, quoted PRAGMA names, names as ORMs write them, a JSON path or a setting's name before the value, a
           long value or an array or a call before the password in a row */
        {"SELECT AES_ENCRYPT('text', UNHEX(SHA2('ExprPw31', 512)))", "UNHEX(SHA2('***', 512))"},
        {"SELECT pgp_sym_encrypt('data', CAST('ExprPw32' AS text)), pgp_sym_encrypt('data', ('ExprPw33'))", "CAST('***' AS text)"},
        {"SELECT pgp_sym_encrypt('data', E'ExprPw34'), AES_ENCRYPT('s', _utf8mb4'ExprPw35'), hmac('d', $$ExprPw36$$, 'sha1')",
         "E'***'), AES_ENCRYPT('s', _utf8mb4'***'), hmac('d', $$***$$, 'sha1')"},
        {"PRAGMA key = x'ExprPw37'", "key = x'***'"},
        {"SELECT * FROM t WHERE token BETWEEN lower('ExprPw38') AND 'ExprPw39' OR pw BETWEEN SYMMETRIC $1 AND 'ExprPw40'",
         "BETWEEN lower('***') AND '***' OR pw BETWEEN SYMMETRIC $1 AND '***'"},
        {"SELECT * FROM users WHERE password IS 'ExprPw41' OR t.\"password\" IS NOT 'ExprPw42'", "IS '***' OR t.\"password\" IS NOT '***'"},
        {"PRAGMA \"main\".\"key\" = 'ExprPw43'", "= '***'"},
        {"UPDATE t SET \"clientSecret\" = 'ExprPw44', \"resetToken\" = 'ExprPw45', awsSecretAccessKey = 'ExprPw46'",
         "\"clientSecret\" = '***', \"resetToken\" = '***', awsSecretAccessKey = '***'"},
        {"SELECT * FROM t WHERE payload->>'password' = 'ExprPw47' AND JSON_EXTRACT(doc, '$.token') = 'ExprPw48'", "->>'password' = '***'"},
        {"SELECT set_config('app.jwt_secret', 'ExprPw49', false)", "('app.jwt_secret', '***', false)"},
        {"INSERT INTO settings (name, value) VALUES ('api_token', 'ExprPw50')", "('api_token', '***')"},
        {"INSERT INTO users (meta, password) VALUES (ARRAY['a', 'b'], 'ExprPw51')", "'***')"},
        {"INSERT INTO users (created, name, password) VALUES (datetime('now'), 'bob', 'ExprPw52'), (datetime('now'), 'al', lower('ExprPw53'))",
         "(datetime('now'), 'bob', '***'), (datetime('now'), 'al', lower('***'))"},
        {"INSERT INTO users (name, password_hash) VALUES ('bob', crypt('ExprPw54', gen_salt('bf')))", "crypt('***', gen_salt("},
        /* a fifth review's: calls of several literals in a row, comments in and after the column list, a dollar quote in a
           row, parenthesized and INTERSECT arms, a subquery in a row, a name in an array before its value */
        {"INSERT INTO app_users (username, created_at, password) VALUES ('alice', TO_DATE('2024-01-01', 'YYYY-MM-DD'), 'ExprPw55')",
         "TO_DATE('2024-01-01', 'YYYY-MM-DD'), '***')"},
        {"INSERT INTO users (email, name, password) VALUES ('a@b.c', CONCAT('Ann', ' ', 'Lee'), 'ExprPw56')", "CONCAT('Ann', ' ', 'Lee'), '***')"},
        {"INSERT INTO users (name /* a, b */, password -- bcrypt\n) VALUES ('bob', 'ExprPw57')", "('bob', '***')"},
        {"INSERT INTO users (name, password) -- seed\nSELECT 'bob', 'ExprPw58' UNION ALL SELECT 'al', 'ExprPw59'", "SELECT 'al', '***'"},
        {"INSERT INTO users (note, name, password) VALUES ($$a, b, c$$, 'bob', 'ExprPw60')", "($$a, b, c$$, 'bob', '***')"},
        {"INSERT INTO users (name, password) (SELECT 'bob', 'ExprPw61') UNION ALL (SELECT 'al', 'ExprPw62')", "(SELECT 'al', '***')"},
        {"INSERT INTO users (name, password) SELECT 'bob', 'ExprPw63' INTERSECT SELECT 'al', 'ExprPw64'", "SELECT 'al', '***'"},
        {"INSERT INTO users (name, k, password) VALUES ('bob', (SELECT id FROM r WHERE k IN ('x', 'y')), 'ExprPw65')", "('x', 'y')), '***')"},
        {"SELECT jsonb_set(data, ARRAY['password'], '\"ExprPw66\"')", "ARRAY['password'], '***')"},
        /* a value before its key (Yoda's order, an alias), a simple CASE's operand, a call over the key, an ATTACH URI's key */
        {"SELECT * FROM users WHERE 'ExprPw67' = users.password AND id = 1", "'***' = users.password AND"},
        {"SELECT 'ExprPw68' AS password, 'ExprPw69' \"api_key\"", "'***' AS password, '***' \"api_key\""},
        {"SELECT CASE password WHEN 'ExprPw70' THEN 1 WHEN 'ExprPw71' THEN 2 END FROM users", "WHEN '***' THEN 1 WHEN '***' THEN 2"},
        {"SELECT * FROM users WHERE coalesce(password, '') = 'ExprPw72' OR nullif(\"token\", '') <> 'ExprPw73'",
         "coalesce(password, '') = '***' OR nullif(\"token\", '') <> '***'"},
        {"ATTACH DATABASE 'file:enc.db?cipher=sqlcipher&key=ExprPw74&mode=ro' AS enc", "'file:enc.db?cipher=sqlcipher&key=***&mode=ro'"},
        /* a key-value table's later rows, a column list apart from VALUES, names a secret's column goes by */
        {"INSERT INTO settings (key, value) VALUES ('theme', 'dark'), ('api_key', 'ExprPw75')", "('theme', 'dark'), ('api_key', '***')"},
        {"INSERT INTO settings VALUES (1, 'theme', 'dark'), (2, 'api_key', 'ExprPw76')", "(2, 'api_key', '***')"},
        {"INSERT INTO users (name, password) OVERRIDING SYSTEM VALUE VALUES ('bob', 'ExprPw77')", "VALUES ('bob', '***')"},
        {"UPDATE users SET password_hash = sha2('ExprPw78', 256), newPassword = 'ExprPw79', db_pass = 'ExprPw80', root_pw = 'ExprPw81'",
         "sha2('***', 256), newPassword = '***', db_pass = '***', root_pw = '***'"},
        /* a key-value table's value with its key elsewhere in the statement, a value before its key past a call or IS */
        {"UPDATE settings SET value = 'ExprPw86' WHERE key = 'api_key'; UPDATE settings SET value = 'dark' WHERE key = 'theme'",
         "value = '***' WHERE key = 'api_key'; UPDATE settings SET value = 'dark'"},
        {"INSERT INTO kv (key, value) VALUES ('token', 'ExprPw87') ON CONFLICT (key) DO UPDATE SET value = 'ExprPw88'", "SET value = '***'"},
        {"SELECT * FROM u WHERE md5('ExprPw89') = password OR sha2('ExprPw90', 256) = pw_hash OR 'ExprPw91' = payload->>'password'",
         "md5('***') = password OR sha2('***', 256) = pw_hash OR '***' = payload->>'password'"},
        {"SELECT * FROM u WHERE 'ExprPw92' IS NOT DISTINCT FROM password OR 'ExprPw93' LIKE api_key", "'***' IS NOT DISTINCT FROM password"},
        {"SELECT sign('{\"sub\":1}', 'ExprPw94'), ENCRYPTBYPASSPHRASE('ExprPw95', 'data')", "sign('{\"sub\":1}', '***')"},
        {"PRAGMA key = ExprPw97; PRAGMA main.rekey(ExprPw98)", "PRAGMA key = ***; PRAGMA main.rekey(***)"},
        /* a seventh review's: an alias before a clause or after a cast or a call, a value before its key past IN, NOT LIKE,
           COLLATE, a subquery or a JSON path of several steps; a key-value row written value first, by a SELECT or
           through a call, a dotted key; a call that compares its arguments */
        {"SELECT 'ExprPw99' AS password UNION SELECT CAST('ExprPwA1' AS text) AS api_key, md5('ExprPwA2') AS password_hash FROM t",
         "'***' AS password UNION SELECT CAST('***' AS text) AS api_key, md5('***') AS password_hash"},
        {"SELECT * FROM t WHERE 'ExprPwA3' IN (password, old_password) OR 'ExprPwA4' NOT LIKE password OR 'ExprPwA5' COLLATE NOCASE = token",
         "'***' IN (password, old_password) OR '***' NOT LIKE password OR '***' COLLATE NOCASE = token"},
        {"SELECT * FROM t WHERE 'ExprPwA6' = (SELECT password FROM u) OR 'ExprPwA7' = config->'smtp'->>'password' OR "
         "sha256('ExprPwA8'::bytea) = password_hash",
         "'***' = (SELECT password FROM u) OR '***' = config->'smtp'->>'password' OR sha256('***'::bytea) = password_hash"},
        {"INSERT INTO kv (value, key) VALUES ('ExprPwA9', 'api_key'); INSERT INTO kv (key, value) SELECT 'token', 'ExprPwB1'",
         "VALUES ('***', 'api_key'); INSERT INTO kv (key, value) SELECT 'token', '***'"},
        {"INSERT INTO kv (key, value) VALUES ('api_key', upper('ExprPwB2')); UPDATE kv SET value = trim('ExprPwB3') WHERE key = 'smtp.password'",
         "upper('***')); UPDATE kv SET value = trim('***') WHERE key = 'smtp.password'"},
        {"SELECT json_set(c, '$.theme', 'dark', '$.api_key', 'ExprPwB7', '$.x', 'y')", "'$.theme', 'dark', '$.api_key', '***', '$.x', 'y')"},
        {"INSERT INTO kv (key, value) VALUES ('api_key', 'ExprPwB8' || 'ExprPwB9' || 'x')", "('api_key', '***' || '***' || '***')"},
        {"SELECT hmac('msg', 'ExprPwC1', 'sha256'), crypt('ExprPwC2', 'salt1234')", "hmac('msg', '***', 'sha256'), crypt('***', 'salt1234')"},
        /* an eighth review's: Oracle's password unquoted, a MERGE's source row, a PEM private key in any column */
        {"ALTER USER scott IDENTIFIED BY ExprPwC3 ACCOUNT UNLOCK", "IDENTIFIED BY *** ACCOUNT UNLOCK"},
        {"MERGE INTO users u USING (SELECT 'a' AS email, 'ExprPwC4' AS password) s ON u.email = s.email", "(SELECT 'a' AS email, '***' AS password)"},
        {"INSERT INTO certs (name, tls_key) VALUES ('web', '-----BEGIN PRIVATE KEY-----\nExprPwC5\n-----END PRIVATE KEY-----')", "('web', '***')"},
        {"INSERT INTO users (name, password) VALUES ('a', 'ExprPwC6') ON DUPLICATE KEY UPDATE password = 'ExprPwC7'",
         "VALUES ('a', '***') ON DUPLICATE KEY UPDATE password = '***'"},
        {"SELECT nullif(password, 'ExprPwB4'), instr(api_key, 'ExprPwB5'), replace(token, 'old', 'ExprPwB6') FROM u",
         "nullif(password, '***'), instr(api_key, '***'), replace(token, '***', '***')"},
        {"UPDATE t SET apitoken = 'ExprPw82', signing_key = 'ExprPw83', master_key = 'ExprPw84', passcode = 'ExprPw85'",
         "apitoken = '***', signing_key = '***', master_key = '***', passcode = '***'"},
    };
    static const char *const shown[] = {
        "SELECT * FROM t WHERE created BETWEEN '2024-01-01' AND '2024-12-31'",
        "SELECT * FROM t WHERE password IS NULL AND name BETWEEN 'alice' AND 'bob'",
        "SELECT * FROM t WHERE name IS DISTINCT FROM 'alice'",
        "SELECT CASE WHEN password IS NULL THEN 'none' ELSE 'set' END FROM users",
        "UPDATE t SET status = CASE WHEN id = 1 THEN 'active' ELSE 'gone' END",
        "SELECT id FROM t WHERE name = (SELECT 'alice')",
        "SELECT encode(digest('abc', 'sha256'), 'hex')",
        "SELECT crypt(password, 'saltsalt') FROM users",
        "SELECT name || ' ' || 'surname' FROM users",
        "INSERT INTO logs (msg, level) SELECT 'hello', 'info' UNION ALL SELECT 'bye', 'warn'",
        "INSERT INTO users (name, users.email) VALUES ('alice', 'a@b.c')",
        "SELECT * FROM kv WHERE key = 'color'",
        "PRAGMA journal_mode = 'wal'",
        ("SELECT * FROM users WHERE name IN ('n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10', 'n11', 'n12', 'n13', 'n14', "
         "'n15', 'n16', 'n17', 'n18', 'n19', 'n20')"),
        /* a fourth review's: values beside a secret's that is no literal, a clause's value in INSERT ... SELECT, KEY
           outside ATTACH, a JSON document's other values, a comment on a column */
        "UPDATE users SET password = NULL, status = 'locked', note = 'reset by admin' WHERE id = 1",
        "UPDATE \"users\" SET \"password\" = $1, \"updatedAt\" = '2024-05-01T10:00:00.000Z'",
        "INSERT INTO t (name, password) SELECT name, password FROM old JOIN k ON k.kind = 'admin' WHERE status = 'active'",
        "SELECT key \"Key Name\" FROM kv",
        "SELECT crypt($1, gen_salt('bf'))",
        "COMMENT ON COLUMN public.users.password IS 'bcrypt hash, never plain text'",
        "INSERT INTO users (name, note) VALUES (lower('BOB'), concat('a', 'b'))",
        /* a fifth review's: list items after a name of a secret, and a statement after an INSERT ... SELECT */
        "SELECT * FROM t WHERE method IN ('password', 'sso', 'magic_link')",
        "SELECT doc->>'token', 'Paris' FROM t",
        "INSERT INTO t (a, b) SELECT 'x', 'y'; SELECT 'Paris', 'London' UNION SELECT 'Rome', 'Berlin'",
        "SELECT * FROM users WHERE 'alice' = name AND 'x' <> passenger",
        "SELECT 'alice' AS name, CASE status WHEN 'active' THEN 'on' END, CASE WHEN password IS NULL THEN 'none' END",
        "SELECT * FROM t WHERE upper(name) = 'ALICE' AND coalesce(note, '') = 'none' AND length(password) > 8",
        "ATTACH 'file:monkey.db?mode=ro' AS k",
        "INSERT INTO login_attempts (method, user_name, day) VALUES ('password', 'alice', '2024-03-01')",
        "UPDATE settings SET value = 'dark' WHERE key = 'theme'",
        "PRAGMA journal_mode = wal; PRAGMA cache_size(-2000)",
        ("INSERT INTO \"users\" (\"email\", \"password\") VALUES ($1, $2) ON CONFLICT (\"email\") DO UPDATE SET \"password\" = "
         "EXCLUDED.\"password\" RETURNING \"users\".\"id\", \"users\".\"email\""),
        "SELECT encode(digest('x', 'sha256'), 'hex'), hashbytes('SHA2_256', 'x')",
        /* an eighth review's: a table named like a secret, a JSON value that names one, a builder's later keys, DDL, facts */
        "UPDATE \"ApiKey\" SET \"name\" = 'CI deploy' WHERE \"id\" = 5",
        "SELECT * FROM token WHERE token.status = 'active' AND credential.type = 'webauthn'",
        "SELECT * FROM t WHERE payload->>'grant_type' = 'password' AND data->>'token_type' = 'Bearer' AND data->'oauth'->>'token' IS NULL",
        "SELECT jsonb_build_object('token_type', 'Bearer', 'scope', 'read write'), jsonb_build_object('method', 'password', 'at', now())",
        "CREATE TYPE credential AS ENUM ('password', 'passkey'); CREATE TABLE credential (kind text DEFAULT 'password')",
        "SELECT 'no' AS has_password, coalesce(api_key, 'none') FROM t",
        "SELECT * FROM t WHERE boarding_pass = 'A12' AND gpu_pw = '350W' AND date(password_changed_at) = '2024-05-01'",
        "SELECT coalesce(nickname, 'anonymous'), replace(name, 'a', 'b'), instr(email, '@'), 'x' AS label FROM u WHERE 'a' IN (b, c)",
        "INSERT INTO s (key, value) VALUES ('password_min_length', '12'); UPDATE s SET value = 'true' WHERE key = 'password_reset_enabled'",
        "SELECT * FROM users WHERE password_changed_at < '2024-01-01' AND password_reset_required = 'yes'",
        "SELECT * FROM u WHERE 'alice' = doc->>'name' AND lower('Bob') = name AND 'x' IS NULL AND sign(-2) = -1",
        "SELECT * FROM t WHERE bypass = 'yes' AND compass = 'north' AND primary_key = 'a' AND sort_key = 'b'",
    };
    size_t k;
    {
        /* a long value before the password in its row, or in its list (a bio, a document: more than a look back's 1 KiB) */
        static char longer[2][1400];
        char filler[1201];
        memset(filler, 'x', sizeof filler - 1);
        filler[sizeof filler - 1] = '\0';
        snprintf(longer[0], sizeof longer[0], "INSERT INTO users (name, bio, password) VALUES ('bob', '%s', 'ExprPwLong1')", filler);
        snprintf(longer[1], sizeof longer[1], "SELECT * FROM t WHERE password IN ('%s', 'ExprPwLong2')", filler);
        for (k = 0; k < 2; k++) {
            int at = -1, nomem = 0;
            char *m = dconn__sql_masked(NULL, longer[k], &at, &nomem, NULL);
            REQUIRE(m);
            CHECK_NOT_CONTAINS(m, "ExprPwLong");
            dconn_free(m);
        }
    }
    for (k = 0; k < sizeof masked / sizeof masked[0]; k++) {
        int at = -1, nomem = 0;
        char *m = dconn__sql_masked(NULL, masked[k][0], &at, &nomem, NULL);
        REQUIRE(m);
        CHECK_NOT_CONTAINS(m, "ExprPw");
        CHECK_CONTAINS(m, masked[k][1]);
        dconn_free(m);
    }
    for (k = 0; k < sizeof shown / sizeof shown[0]; k++) {
        int at = -1, nomem = 0;
        char *m = dconn__sql_masked(NULL, shown[k], &at, &nomem, NULL);
        if (m) CHECK_STR(m, shown[k]);   /* nothing masked */
        dconn_free(m);
    }
    /* the new look backs stay short: 100 KB of arguments after a ')', of THENs, of BETWEENs and of a long UNION */
    {
        size_t cap = 100000, len, i;
        char *big = (char *)malloc(cap), *m;
        int shape;
        REQUIRE(big);
        for (shape = 0; shape < 10; shape++) {
            int at = -1, nomem = 0;
            /* (and a fourth review's: many comments' ends, each once looked 4 KiB back for its start (163 s for 1 MB);
               a JSON document in a literal, read as SQL; a long IN list; and a fifth review's: "#" lines holding an apostrophe, 100 s for 1 MB) */
            static const char *const head[] = {"SELECT f(", "UPDATE u SET password = CASE ", "SELECT * FROM t WHERE ",
                                               "INSERT INTO u (a, password) SELECT 'a', 'RowPw'", "SELECT ",
                                               "INSERT INTO docs (id, body) VALUES (1, '[", "SELECT * FROM u WHERE password IN ('RowPw'",
                                               "SELECT 1 ", "SELECT CASE password ", "SELECT "};
            static const char *const piece[] = {"'a'), ", "WHEN id = 1 THEN 'RowPw' ", "x BETWEEN 'a' AND 'b' OR ",
                                                " UNION ALL SELECT 'a', 'RowPw'", "*/ 'a' ", "{\"id\":0,\"tags\":[\"a\",\"b\"]},", ", 'RowPw'",
                                                "# don't\n", "WHEN 'RowPw' THEN 'b' ",
                                                /* a seventh review's: CASEs one in another, each after a comment's end (8 s for 1 MB) */
                                                "ELSE */CASE x WHEN'a'ELSE'a'ELSE'a'ELSE'a'ELSE'a'ELSE'a'ELSE'a'ELSE'a'ELSE'a'ELSE'a'"};
            len = (size_t)snprintf(big, cap, "%s", head[shape]);
            for (i = 0; len + 64 < cap; i++) len += (size_t)snprintf(big + len, cap - len, "%s", piece[shape]);
            snprintf(big + len, cap - len, shape == 1 || shape == 8 ? "END FRM" : shape == 5 ? "{}]')" : shape == 6 ? ")" : "1 FRM");
            m = dconn__sql_masked(NULL, big, &at, &nomem, NULL);
            CHECK(!nomem);
            if (shape == 1 || shape == 3 || shape == 6 || shape == 8) { REQUIRE(m); CHECK_NOT_CONTAINS(m, "RowPw"); }
            dconn_free(m);
        }
        {
            /* a seventh review's: a column list of thousands (each value once looked 4 KiB back for it, and along it:
               9 s for 1 MB); a short one with many rows: each row's values read the list once */
            int at = -1, nomem = 0, wide;
            for (wide = 0; wide < 2; wide++) {
                size_t ncols = wide ? 2000 : 3;
                len = (size_t)snprintf(big, cap, "INSERT INTO t (");
                for (i = 0; i < ncols; i++) len += (size_t)snprintf(big + len, cap - len, "a%u, ", (unsigned)i);
                len += (size_t)snprintf(big + len, cap - len, "password) VALUES ");
                while (len + 64 + 4 * ncols < cap) {
                    len += (size_t)snprintf(big + len, cap - len, "(");
                    for (i = 0; i < ncols; i++) len += (size_t)snprintf(big + len, cap - len, "\"\",");
                    len += (size_t)snprintf(big + len, cap - len, "'RowPw'), ");
                }
                snprintf(big + len, cap - len, "('x') FRM");
                m = dconn__sql_masked(NULL, big, &at, &nomem, NULL);
                CHECK(!nomem);
                if (!wide) { REQUIRE(m); CHECK_NOT_CONTAINS(m, "RowPw"); }   /* (a list longer than 4 KiB is not read: its columns are not known) */
                dconn_free(m);
            }
        }
        free(big);
    }
}

static const dtest_case redaction_tests[] = {
    {"redaction_secrets_written_in_sql", redaction_secrets_written_in_sql},
    {"redaction_secrets_in_sql_expressions", redaction_secrets_in_sql_expressions},
    {"redaction_url_password_quoted_in_sql", redaction_url_password_quoted_in_sql},
    {"redaction_message_cut_in_a_password", redaction_message_cut_in_a_password},
    {"redaction_review_three", redaction_review_three},
    {"redaction_password_running_into_query", redaction_password_running_into_query},
    {"redaction_url_given_as_name", redaction_url_given_as_name},
    {"redaction_user_name_with_slash", redaction_user_name_with_slash},
    {"redaction_review_forms", redaction_review_forms},
    {"redaction_more_secret_key_names", redaction_more_secret_key_names},
    {"redaction_toml_excerpt_hides_values", redaction_toml_excerpt_hides_values},
    {"redaction_connection_names_are_names", redaction_connection_names_are_names},
    {"redaction_planted_values_never_leave", redaction_planted_values_never_leave},
    {"redaction_short_values_only_in_place", redaction_short_values_only_in_place},
    {"redaction_follows_reloads", redaction_follows_reloads},
};
