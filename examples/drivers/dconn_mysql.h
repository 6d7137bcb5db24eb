/* dconn_mysql.h - a MySQL and MariaDB driver for dconn.h, on MariaDB
   Connector/C 3.1 or later (libmariadb), which speaks to both servers.
   Public domain or MIT, like dconn.h. Build with the flags of
   `pkg-config --cflags --libs libmariadb` (or `mariadb_config --cflags --libs`).

   Do this in *one* C file, after dconn.h's implementation:
       #define DCONN_MYSQL_IMPLEMENTATION
       #include "drivers/dconn_mysql.h"
   then register it, and connections with a mysql:// or mariadb:// url
   (mysql+pymysql://, mysql+mysqldb://, mysql+mysqlconnector://,
   mariadb+mariadbconnector:// alike), dialect = "mysql" parts, or
   type = "mysql", use it:
       dconn_mysql_register(ctx, &err);
       dconn_conn *db = dconn_connect(ctx, "local", "sql", NULL, &err);

   Settings, highest precedence first:
     - connect_args: the names mysqlclient and PyMySQL take (charset,
       connect_timeout (10 s unless set), read_timeout, write_timeout,
       unix_socket, init_command, read_default_file, read_default_group,
       ssl = { ca, cert, key, capath, cipher, check_hostname }, ssl_mode,
       local_infile, compress, and host, port, user, passwd/password,
       db/database), over
     - url = "mysql://user:password@host:3306/db?charset=utf8mb4" (query
       keys: unix_socket, charset, ssl_ca, ssl_cert, ssl_key, ssl_capath,
       ssl_cipher, ssl_mode, ssl_verify_cert, ssl_check_hostname,
       connect_timeout, read_timeout, write_timeout, local_infile, compress,
       init_command; a flag that is neither true nor false is an error),
       or the parts host, port, username, password,
       database, query = { ... } when there is no url, over
     - the client's own configuration: option files (the [client] group
       of /etc/mysql/my.cnf and ~/.my.cnf, or the file and group named in
       connect_args) and MYSQL_PWD, MYSQL_HOST, MYSQL_TCP_PORT,
       MYSQL_UNIX_PORT where the connector reads them.
   The host "localhost" means the default Unix socket, and then the port
   is ignored: the connector has always done so, and option files rely on
   it; write 127.0.0.1 for TCP. A host that begins with '/' is a socket:
   a directory holds mysqld.sock.
   Parameters: ? and :name, bound through the binary protocol's prepared
   statements, never pasted into the SQL (@name is a MySQL user variable,
   left alone; := is assignment). Each handle keeps its 32 most recently
   used reads, INSERTs, UPDATEs, DELETEs, REPLACEs and CALLs prepared;
   other statements (DDL, ...) are closed after they run.
   Statements that leave state on the session (SET, USE, LOCK, FLUSH,
   PREPARE, CREATE TEMPORARY, user variables, GET_LOCK) are refused
   outside sessions: see dconn_my__classify. LOAD DATA LOCAL is off unless
   connect_args.local_infile = true. TLS asked for and not had is an error.
   Results: integers as INT (BIGINT UNSIGNED above 2^63-1 as UINT), FLOAT
   and DOUBLE as REAL, DECIMAL as DECIMAL (every digit, as text), BIT as
   INT, binary strings and blobs as BLOB, other strings (JSON, ENUM, SET
   too) as TEXT, dates and times as ISO text ("2024-05-01",
   "2024-05-01 12:30:00.250", "-838:59:59"); a zero date comes back as the
   server writes it, "0000-00-00" (MariaDB accepts it unless sql_mode has
   NO_ZERO_DATE). NULL as NULL. Values are read where the connector
   received them (its result callback), once each, straight into the
   result: no buffers are bound, so nothing is converted or copied first.
   dconn_exec's changes are rows matched, as SQLAlchemy counts them
   (CLIENT_FOUND_ROWS); last_insert_id is the AUTO_INCREMENT value.
   Errors read "ERROR 1146 (42S02): Table 'app.x' doesn't exist", with the
   server's error number in err->native_code. A lost connection never
   makes dconn apply a write twice:
     - a handle whose server ended the session while it sat idle
       (wait_timeout, a restart, KILL CONNECTION) is found before the next
       statement is sent and reconnects at once (a handle used under 50 ms
       ago is not asked); inside a transaction that statement fails instead;
     - deadlocks (1213) and lock wait timeouts (1205) outside a session,
       too many connections (1040), a server shutting down (1053) or
       killing the connection (1927) are transient: dconn retries them;
     - a read that loses its connection (2006, 2013) or is interrupted by
       KILL QUERY (1317) is retried; a write that loses its connection
       fails with "may or may not have applied it" and native_code -2013,
       and one interrupted by KILL QUERY fails (InnoDB rolled it back;
       someone stopped it on purpose).
   Inside a session a deadlock fails the session: InnoDB has rolled the
   whole transaction back, and the message says so.
   dconn_exec_many of an INSERT, REPLACE, UPDATE or DELETE on a MariaDB
   server (10.2 or later) sends its rows as bulk requests (array binding:
   one round trip for up to 65,536 rows of one type and layout, within
   half the server's max_allowed_packet); the last row runs alone, so that
   last_insert_id is its own. The server runs a bulk request as one
   statement and does not say which row failed: after a rollback to the
   savepoint taken before it, its rows run one at a time, so the error
   names the row; if they all go through (a statement bulk requests cannot
   take), the rest of the batch runs that way too. A table without
   transactions (MyISAM) keeps what a failed request took: then nothing is
   run again, and the error says so. MariaDB ignores KILL QUERY during a
   bulk request: a timeout or cancel stops the batch before the next one.
   Other statements, and MySQL servers, run one statement a row. */
#ifndef DCONN_MYSQL_H_INCLUDED
#define DCONN_MYSQL_H_INCLUDED
#include "../../dconn.h"

#ifdef __cplusplus
extern "C" {
#endif
/* Registers the "mysql" driver (schemes mysql, mariadb). */
dconn_status dconn_mysql_register(dconn_ctx *ctx, dconn_error *err);
/* err->native_code of a write whose connection was lost while it ran. */
#define DCONN_MYSQL_OUTCOME_UNKNOWN (-2013)
#ifdef __cplusplus
}
#endif
#endif

#ifdef DCONN_MYSQL_IMPLEMENTATION
#ifndef DCONN_MYSQL_IMPLEMENTATION_INCLUDED
#define DCONN_MYSQL_IMPLEMENTATION_INCLUDED
#include <fcntl.h>
#include <mysql.h>
#if defined(MARIADB_PACKAGE_VERSION_ID) && MARIADB_PACKAGE_VERSION_ID < 30100
#error "dconn_mysql.h needs MariaDB Connector/C 3.1 or later: it reads results through the connector's result callback"
#endif
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* the value decoder, inlined into both of its callers: every value of every row goes through it */
#if defined(__GNUC__) || defined(__clang__)
#  define DCONN_MY__INLINE inline __attribute__((always_inline))
#else
#  define DCONN_MY__INLINE inline
#endif
#define DCONN_MY__KEEP 32          /* prepared statements kept per handle */
#define DCONN_MY__FRESH 0.05       /* seconds: a handle used this recently is not asked whether the server closed it */

enum { DCONN_MY__READ, DCONN_MY__WRITE };

/* --- what to connect with: kept for reconnecting ---------------------------- */

typedef struct dconn_my__spec {
    char *host, *user, *password, *database, *socket;
    unsigned int port;
    char *charset, *init_command, *default_file, *default_group;
    char *ssl_ca, *ssl_cert, *ssl_key, *ssl_capath, *ssl_cipher;
    int ssl_enforce, ssl_verify;  /* -1: not set */
    int ssl_prefer;               /* ssl_mode=PREFERRED: TLS when the server offers it */
    int ssl_disabled;             /* ssl_mode=DISABLED: no TLS, whatever certificates are named */
    unsigned int connect_timeout, read_timeout, write_timeout;   /* 0: not set */
    int local_infile, compress;   /* -1: not set */
} dconn_my__spec;

static void dconn_my__spec_free(dconn_my__spec *s) {
    char **owned[] = {&s->host, &s->user, &s->password, &s->database, &s->socket, &s->charset, &s->init_command,
                        &s->default_file, &s->default_group, &s->ssl_ca, &s->ssl_cert, &s->ssl_key, &s->ssl_capath, &s->ssl_cipher};
    size_t i;
    for (i = 0; i < sizeof owned / sizeof owned[0]; i++) {
        char *text = *owned[i];
        if (text) memset(text, 0, strlen(text));   /* a password does not outlive its handle in memory */
        free(text);
        *owned[i] = NULL;
    }
}

/* Sets *dst to a copy of src (NULL src: leaves *dst). 0 when out of memory. */
static int dconn_my__set(char **dst, const char *src) {
    char *copy;
    if (!src) return 1;
    copy = (char *)malloc(strlen(src) + 1);
    if (!copy) return 0;
    memcpy(copy, src, strlen(src) + 1);
    free(*dst);
    *dst = copy;
    return 1;
}

static int dconn_my__is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Is the word p[0..n) `lower`, whatever its letters' case? */
static int dconn_my__word_is(const char *p, size_t n, const char *lower) {
    size_t k;
    for (k = 0; k < n; k++) {
        unsigned char c = (unsigned char)p[k];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        if (!lower[k] || c != (unsigned char)lower[k]) return 0;
    }
    return !lower[n];
}

/* ssl_mode as MySQL's clients spell it. */
static int dconn_my__ssl_mode(dconn_my__spec *s, const char *mode) {
    static const char *const modes[] = {"disabled", "preferred", "required", "verify_ca", "verify_identity"};
    size_t i;
    for (i = 0; i < 5 && !dconn_my__word_is(mode, strlen(mode), modes[i]); i++) {}
    if (i == 5) return 0;
    s->ssl_enforce = i >= 2;
    s->ssl_verify = i >= 3;   /* Connector/C checks the certificate and the host name together */
    s->ssl_prefer = i == 1;
    s->ssl_disabled = i == 0;
    return 1;
}

static int dconn_my__falsy(const char *v) {
    return v && (!strcmp(v, "0") || dconn_my__word_is(v, strlen(v), "false") || dconn_my__word_is(v, strlen(v), "no") || dconn_my__word_is(v, strlen(v), "off"));
}

static int dconn_my__truthy(const char *v) {
    return v && (!strcmp(v, "1") || dconn_my__word_is(v, strlen(v), "true") || dconn_my__word_is(v, strlen(v), "yes") || dconn_my__word_is(v, strlen(v), "on"));
}

/* A yes/no setting: 1, 0, or -1 when it is neither (a typo must not turn a check off). */
static int dconn_my__flag(const char *v) { return dconn_my__truthy(v) ? 1 : dconn_my__falsy(v) ? 0 : -1; }

/* The certificate checks asked for by a flag: on, or off (TLS stays as asked). */
static int dconn_my__verify_flag(dconn_my__spec *s, const char *value) {
    int f = dconn_my__flag(value);
    if (f < 0) return -1;
    s->ssl_verify = f;
    if (f) s->ssl_enforce = 1;
    return 1;
}

/* A setting given as text in the url or in connect_args (SQLAlchemy's
   mysqldb and pymysql dialects pass the url's query on to the client):
   1 known, 0 unknown, -1 bad value, -2 no memory. */
static int dconn_my__text_setting(dconn_my__spec *s, const char *key, const char *t) {
    if (!strcmp(key, "connect_timeout") || !strcmp(key, "read_timeout") || !strcmp(key, "write_timeout")) {
        unsigned int *slot = key[0] == 'c' ? &s->connect_timeout : key[0] == 'r' ? &s->read_timeout : &s->write_timeout;
        char *end;
        long n = strtol(t, &end, 10);
        if (!*t || *end || n < 0 || n > 31536000) return -1;
        *slot = (unsigned int)n;
        return 1;
    }
    if (!strcmp(key, "local_infile") || !strcmp(key, "compress")) {
        int *flag = key[0] == 'l' ? &s->local_infile : &s->compress;
        if ((*flag = dconn_my__flag(t)) < 0) return -1;
        return 1;
    }
    if (!strcmp(key, "init_command")) return dconn_my__set(&s->init_command, t) ? 1 : -2;
    return 0;
}

/* One url query key or parts "query" key; 1 known, 0 unknown, -1 bad value. */
static int dconn_my__query_key(dconn_my__spec *s, const char *key, const char *value) {
    if (!strcmp(key, "unix_socket")) return dconn_my__set(&s->socket, value) ? 1 : -2;
    if (!strcmp(key, "charset")) return dconn_my__set(&s->charset, value) ? 1 : -2;
    if (!strcmp(key, "ssl_ca")) return dconn_my__set(&s->ssl_ca, value) ? 1 : -2;
    if (!strcmp(key, "ssl_cert")) return dconn_my__set(&s->ssl_cert, value) ? 1 : -2;
    if (!strcmp(key, "ssl_key")) return dconn_my__set(&s->ssl_key, value) ? 1 : -2;
    if (!strcmp(key, "ssl_capath")) return dconn_my__set(&s->ssl_capath, value) ? 1 : -2;
    if (!strcmp(key, "ssl_cipher")) return dconn_my__set(&s->ssl_cipher, value) ? 1 : -2;
    if (!strcmp(key, "ssl_mode")) return dconn_my__ssl_mode(s, value) ? 1 : -1;
    if (!strcmp(key, "ssl_verify_cert") || !strcmp(key, "ssl_verify_identity") || !strcmp(key, "ssl_check_hostname"))
        return dconn_my__verify_flag(s, value);
    return dconn_my__text_setting(s, key, value);
}

/* What a bad value of a url or query key should have been. */
static const char *dconn_my__key_wants(const char *key) {
    return !strcmp(key, "ssl_mode")             ? "one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY"
           : strstr(key, "timeout") != NULL     ? "a whole number of seconds"
                                                : "true or false";
}

static const char dconn_my__query_keys[] =
    "unix_socket, charset, ssl_ca, ssl_cert, ssl_key, ssl_capath, ssl_cipher, ssl_mode, ssl_verify_cert, ssl_verify_identity, ssl_check_hostname, "
    "connect_timeout, read_timeout, write_timeout, local_infile, compress, init_command";
static const char dconn_my__connect_args[] =
    "charset, connect_timeout, read_timeout, write_timeout, unix_socket, init_command, read_default_file, read_default_group, ssl, "
    "ssl_ca, ssl_cert, ssl_key, ssl_capath, ssl_cipher, ssl_mode, ssl_verify_cert, ssl_verify_identity, ssl_check_hostname, local_infile, "
    "compress, host, port, user, passwd, password, db, database";

/* A TOML value as text for the connector (strings as they are, numbers in decimal). */
static const char *dconn_my__text(const dconn_toml_value *v, char *buf, size_t cap) {
    switch (dconn_toml_type_of(v)) {
        case DCONN_TOML_STRING: return dconn_toml_string(v, "");
        case DCONN_TOML_INTEGER: snprintf(buf, cap, "%lld", (long long)dconn_toml_int(v, 0)); return buf;
        case DCONN_TOML_BOOL: return dconn_toml_bool(v, 0) ? "1" : "0";
        default: return NULL;
    }
}

/* mysqlclient's ssl = { ca = ..., cert = ..., key = ..., capath = ..., cipher = ..., check_hostname = true } */
static dconn_status dconn_my__ssl_table(dconn_my__spec *s, const dconn_toml_value *v, dconn_error *err) {
    size_t k;
    if (dconn_toml_type_of(v) != DCONN_TOML_TABLE) return dconn_error_at(err, v, "connect_args.ssl must be a table: ssl = { ca = \"ca.pem\" }");
    s->ssl_enforce = 1;
    for (k = 0; k < dconn_toml_count(v); k++) {
        const char *sk = dconn_toml_key_at(v, k);
        const dconn_toml_value *sv = dconn_toml_at(v, k);
        char buf[32];
        const char *st = dconn_my__text(sv, buf, sizeof buf);
        int ok = 1;
        if (!st) return dconn_error_at(err, sv, "connect_args.ssl.%s must be a string (a path, a cipher) or a boolean", sk);
        if (!strcmp(sk, "ca")) ok = dconn_my__set(&s->ssl_ca, st);
        else if (!strcmp(sk, "cert")) ok = dconn_my__set(&s->ssl_cert, st);
        else if (!strcmp(sk, "key")) ok = dconn_my__set(&s->ssl_key, st);
        else if (!strcmp(sk, "capath")) ok = dconn_my__set(&s->ssl_capath, st);
        else if (!strcmp(sk, "cipher")) ok = dconn_my__set(&s->ssl_cipher, st);
        else if (!strcmp(sk, "check_hostname") || !strcmp(sk, "verify_cert") || !strcmp(sk, "verify_identity")) {
            /* a boolean, or its text ("false" must not read as true) */
            int f = dconn_toml_type_of(sv) == DCONN_TOML_BOOL ? dconn_toml_bool(sv, 1) : dconn_my__flag(st);
            if (f < 0) return dconn_error_at(err, sv, "connect_args.ssl.%s must be true or false", sk);
            s->ssl_verify = f;
        } else {
            return dconn_error_at(err, sv, "connect_args.ssl.%s is not an ssl setting; the MySQL driver takes ca, cert, key, capath, cipher, "
                                  "check_hostname, verify_cert, verify_identity", sk);
        }
        if (!ok) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
    }
    return DCONN_OK;
}

/* connect_args, named as mysqlclient and PyMySQL name them. */
static dconn_status dconn_my__connect_args_apply(dconn_my__spec *s, const dconn_toml_value *ca, dconn_error *err) {
    size_t i;
    for (i = 0; i < dconn_toml_count(ca); i++) {
        const char *key = dconn_toml_key_at(ca, i);
        const dconn_toml_value *v = dconn_toml_at(ca, i);
        char buf[32];
        const char *t = dconn_my__text(v, buf, sizeof buf);
        int ok = 1;
        if (!strcmp(key, "ssl")) {
            dconn_status st = dconn_my__ssl_table(s, v, err);
            if (st) return st;
        } else if (!t) {
            return dconn_error_at(err, v, "connect_args.%s must be a string, number or boolean", key);
        } else if (!strcmp(key, "charset")) ok = dconn_my__set(&s->charset, t);
        else if (!strcmp(key, "unix_socket")) ok = dconn_my__set(&s->socket, t);
        else if (!strcmp(key, "read_default_file")) ok = dconn_my__set(&s->default_file, t);
        else if (!strcmp(key, "read_default_group")) ok = dconn_my__set(&s->default_group, t);
        else if (!strcmp(key, "host")) ok = dconn_my__set(&s->host, t);
        else if (!strcmp(key, "user")) ok = dconn_my__set(&s->user, t);
        else if (!strcmp(key, "passwd") || !strcmp(key, "password")) ok = dconn_my__set(&s->password, t);
        else if (!strcmp(key, "db") || !strcmp(key, "database")) ok = dconn_my__set(&s->database, t);
        else if (!strcmp(key, "port")) {
            char *end;
            long n = strtol(t, &end, 10);
            if (*end || n <= 0 || n > 65535) return dconn_error_at(err, v, "connect_args.port must be a port number (1-65535)");
            s->port = (unsigned int)n;
        } else {
            int r = dconn_my__query_key(s, key, t);
            if (r == -1) return dconn_error_at(err, v, "connect_args.%s: \"%s\" is not %s", key, t, dconn_my__key_wants(key));
            if (r == 0) return dconn_error_at(err, v, "connect_args.%s is not a MySQL connection setting; the MySQL driver takes %s", key, dconn_my__connect_args);
            ok = r > 0;
        }
        if (!ok) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
    }
    return DCONN_OK;
}

/* The settings, in precedence order: url or parts, then connect_args. */
static dconn_status dconn_my__spec_build(const dconn_settings *st, dconn_my__spec *s, dconn_error *err) {
    const dconn_url *u = dconn_settings_url(st);
    const dconn_toml_value *ca = dconn_settings_get(st, "connect_args");
    dconn_status rc;
    size_t i;
    memset(s, 0, sizeof *s);
    s->ssl_enforce = s->ssl_verify = s->local_infile = s->compress = -1;
    if (dconn_settings_string(st, "url", NULL) && !u) {
        /* the parser's own reason, which names what is wrong (the URL shown masked) */
        dconn_error why;
        dconn_url *again = dconn_url_parse(dconn_settings_string(st, "url", NULL), &why);
        if (again) { dconn_url_free(again); return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory"); }
        return dconn_error_at(err, dconn_settings_get(st, "url"), "url: %s", why.message);
    }
    if (u && u->driver && !strcmp(u->driver, "pyodbc"))
        return dconn_error_at(err, dconn_settings_get(st, "url"), "a mysql+pyodbc url names an ODBC data source, which this driver does not "
                                                                  "use: write mysql://user:password@host:3306/database");
    if (u) {
        if (!dconn_my__set(&s->host, u->host) || !dconn_my__set(&s->user, u->user) || !dconn_my__set(&s->password, u->password) ||
            !dconn_my__set(&s->database, u->database))
            return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
        if (u->port) s->port = (unsigned int)u->port;
        for (i = 0; i < u->n_query; i++) {
            int r = dconn_my__query_key(s, u->query_keys[i], u->query_values[i]);
            if (r == -2) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
            if (r == -1) return dconn_error_at(err, dconn_settings_get(st, "url"), "the url's %s \"%s\" is not %s", u->query_keys[i], u->query_values[i], dconn_my__key_wants(u->query_keys[i]));
            if (r == 0) return dconn_error_at(err, dconn_settings_get(st, "url"), "the url's ?%s= is not a MySQL setting; the MySQL driver takes %s (others go in connect_args)", u->query_keys[i], dconn_my__query_keys);
        }
    } else {
        const dconn_toml_value *port = dconn_settings_get(st, "port"), *q = dconn_settings_get(st, "query");
        if (!dconn_my__set(&s->host, dconn_settings_string(st, "host", NULL)) || !dconn_my__set(&s->user, dconn_settings_string(st, "username", NULL)) ||
            !dconn_my__set(&s->password, dconn_settings_string(st, "password", NULL)) || !dconn_my__set(&s->database, dconn_settings_string(st, "database", NULL)))
            return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
        if (port) {
            char buf[32];
            const char *t = dconn_my__text(port, buf, sizeof buf);
            char *end;
            long n = t ? strtol(t, &end, 10) : 0;
            if (!t || *end || n <= 0 || n > 65535) return dconn_error_at(err, port, "port must be a port number (1-65535)");
            s->port = (unsigned int)n;
        }
        for (i = 0; i < dconn_toml_count(q); i++) {
            char buf[32];
            const char *t = dconn_my__text(dconn_toml_at(q, i), buf, sizeof buf);
            int r = t ? dconn_my__query_key(s, dconn_toml_key_at(q, i), t) : -1;
            if (r == -2) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
            if (r <= 0) return dconn_error_at(err, dconn_toml_at(q, i), "query.%s is not a MySQL setting (or its value is wrong); the MySQL driver takes %s", dconn_toml_key_at(q, i), dconn_my__query_keys);
        }
    }
    rc = dconn_my__connect_args_apply(s, ca, err);
    if (rc) return rc;
    if (s->default_file) {
        FILE *f = fopen(s->default_file, "r");
        if (!f) return dconn_error_at(err, dconn_toml_get(ca, "read_default_file"), "connect_args.read_default_file: cannot read %s", s->default_file);
        fclose(f);
    }
    if (s->host && s->host[0] == '/') {
        /* a socket: the file, or the directory that holds mysqld.sock */
        struct stat sb;
        if (!s->socket) {
            if (stat(s->host, &sb) == 0 && S_ISDIR(sb.st_mode)) {
                char *path = (char *)malloc(strlen(s->host) + 13);
                if (!path) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
                snprintf(path, strlen(s->host) + 13, "%s/mysqld.sock", s->host);
                free(s->socket);
                s->socket = path;
            } else if (!dconn_my__set(&s->socket, s->host)) {
                return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
            }
        }
        free(s->host);
        s->host = NULL;
        if (!dconn_my__set(&s->host, "localhost")) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
    }
    if (s->database && !*s->database) { free(s->database); s->database = NULL; }
    return DCONN_OK;
}

/* --- handles ------------------------------------------------------------- */

/* A prepared statement the handle keeps. */
typedef struct dconn_my__kept {
    char *sql;                    /* the SQL with every parameter a ? */
    size_t len;
    MYSQL_STMT *st;
    unsigned long long used;
    int kind;                     /* DCONN_MY__READ or _WRITE, plus 1 */
    size_t last_rows, last_bytes; /* its last result's size: room made for the next one at once */
    int state;                    /* it changes the session's state (SET, USE, ...): see dconn_my__classify */
    int one_off;                  /* DDL and the like: closed after it runs, so that the kept ones are the repeated ones */
    int plain;                    /* its SQL was given so (? alone, no :name): found again by the caller's text */
    size_t markers;               /* its ? parameters */
    struct dconn_my__numbind *nb; /* its numbers' binding, kept (NULL: none) */
    int names_fixed;              /* prepared with its result's columns (not a CALL): their names stay those */
} dconn_my__kept;

/* A statement whose values are all numbers (or NULL) is bound once to
   buffers of its own: run again with values of the same types, they are
   written there and it is not bound again, so the connector sends no
   types either, as hand-written code that binds once. */
typedef union dconn_my__num { long long i; unsigned long long u; double d; } dconn_my__num;
typedef struct dconn_my__numbind {
    size_t n;
    int valid;                    /* the statement is bound to pb (a binding of other values undoes it) */
    unsigned char *types;         /* each value's dconn_type when bound */
    MYSQL_BIND *pb;
    dconn_my__num *vals;
} dconn_my__numbind;

/* How a result column is read. */
enum { DCONN_MY__INT, DCONN_MY__FLOAT, DCONN_MY__DOUBLE, DCONN_MY__TIME, DCONN_MY__BIT, DCONN_MY__DECIMAL, DCONN_MY__TEXT, DCONN_MY__BLOB };   /* bytes from DECIMAL on */
typedef struct dconn_my__col {
    enum enum_field_types type;
    unsigned int flags, charsetnr;   /* the field's, as the server described it */
    int decimals, is_unsigned;
    int read;                     /* DCONN_MY__INT, ...: how its values lie in a row */
    unsigned int width;           /* an integer's bytes */
    unsigned int name_len;        /* its name's length, and where it is in described_cols */
    size_t name_at;
} dconn_my__col;

typedef struct dconn_my__conn {
    MYSQL *my;
    dconn_my__spec spec;
    dconn_my__kept kept[DCONN_MY__KEEP];
    int n_kept;
    unsigned long long tick;
    int dead;                     /* the connection is known lost: reconnect before the next statement */
    int commit_unknown;           /* lost while a COMMIT ran */
    int state_set;                /* SET, USE, LOCK TABLES, PREPARE, CREATE TEMPORARY: differs from a fresh session */
    int text_done;                /* statements of the last SQL text that ran to their end (a script's, before the one that failed) */
    int streaming;                /* a stream's rows are being read: the connection is busy */
    int no_tx;                    /* asked after an error: no transaction is open, whatever the last status said */
    double last_done;
    dconn_my__col *cols;          /* the result reader's: how ncols columns are read */
    unsigned int ncols;
    const MYSQL_STMT *described;  /* the statement whose columns cols describe now (NULL: none), as */
    char *described_cols;         /* its columns were then, "name\0decltype\0" each: the same statement */
    size_t described_cols_len;    /* run again describes nothing and copies its columns at once */
    unsigned int described_nf;
    int described_names_fixed;    /* ... and its names cannot change while it is kept (see dconn_my__kept) */
    pthread_mutex_t id_lock;      /* guards `thread_id` (and `killed` without compiler atomics): the library cancels from another thread */
    unsigned long thread_id;      /* the server's id of this session, for KILL QUERY */
    int killed;                   /* a KILL QUERY was sent since the statement began */
    size_t max_packet;            /* the server's max_allowed_packet; 0: not asked yet */
} dconn_my__conn;

/* After a (re)connect, in the thread that runs the handle. */
static void dconn_my__note_thread_id(dconn_my__conn *h) {
    pthread_mutex_lock(&h->id_lock);
    h->thread_id = h->my ? mysql_thread_id(h->my) : 0;
    pthread_mutex_unlock(&h->id_lock);
}

#ifdef CLOCK_MONOTONIC
static double dconn_my__now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}
static int dconn_my__fresh(const dconn_my__conn *h) { return dconn_my__now() - h->last_done < DCONN_MY__FRESH; }
#else
static double dconn_my__now(void) { return 0; }
static int dconn_my__fresh(const dconn_my__conn *h) { return h->last_done < 0; }   /* never: without a clock every statement asks */
#endif

static int dconn_my__in_tx(const dconn_my__conn *h) { return h->my && !h->dead && !h->no_tx && (h->my->server_status & SERVER_STATUS_IN_TRANS) != 0; }

static dconn_status dconn_my__fail(dconn_error *err, dconn_status code, int native, const char *fmt, const char *text) {
    if (!err) return code;
    dconn_error_set(err, code, fmt, text);
    err->native_code = native;
    return code;
}

/* Opens the connection the spec says; the message names host and user, never the password. */
static dconn_status dconn_my__open(const dconn_my__spec *s, MYSQL **out, dconn_error *err) {
    MYSQL *m = mysql_init(NULL);
    my_bool off = 0, on = 1;
    unsigned long flags = CLIENT_FOUND_ROWS | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS;
    *out = NULL;
    if (!m) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
    /* the client's option files first: the settings below are the caller's, and win */
    mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, s->default_group ? s->default_group : "client");
    if (s->default_file) mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, s->default_file);
    mysql_optionsv(m, MYSQL_OPT_RECONNECT, &off);   /* a silent reconnect would lose a session's state: dconn decides */
    mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, s->charset ? s->charset : "utf8mb4");   /* an option file's default-character-set beats this default */
    {
        /* 10 s unless set, as PyMySQL: a server that accepts and never answers must not hang a connect */
        unsigned int ct = s->connect_timeout ? s->connect_timeout : 10;
        mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
    }
    if (s->read_timeout) mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &s->read_timeout);
    if (s->write_timeout) mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &s->write_timeout);
    {
        /* LOAD DATA LOCAL reads the client's files: off unless asked for, as in mysqlclient and PyMySQL */
        unsigned int li = s->local_infile == 1;
        mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &li);
    }
    if (s->compress == 1) mysql_optionsv(m, MYSQL_OPT_COMPRESS, NULL);
    /* named certificates turn the connector's TLS on: not under ssl_mode=DISABLED, which wins as in the mysql client */
    if (!s->ssl_disabled && (s->ssl_ca || s->ssl_cert || s->ssl_key || s->ssl_capath || s->ssl_cipher))
        mysql_ssl_set(m, s->ssl_key, s->ssl_cert, s->ssl_ca, s->ssl_capath, s->ssl_cipher);
    /* the connector's "enforce" is its "use TLS": without a certificate check it falls back to
       clear text when the server offers no TLS, which is PREFERRED (REQUIRED is checked below) */
    if (s->ssl_disabled) {
        mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &off);
        mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &off);
    } else {
        if (s->ssl_enforce >= 0 || s->ssl_prefer) mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, s->ssl_enforce == 1 || s->ssl_prefer ? &on : &off);
        if (s->ssl_verify >= 0) mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, s->ssl_verify ? &on : &off);
    }
    if (!mysql_real_connect(m, s->host, s->user, s->password, s->database, s->port, s->socket, flags)) {
        char text[700];
        unsigned int no = mysql_errno(m);
        snprintf(text, sizeof text, "ERROR %u (%s): %s", no, mysql_sqlstate(m), mysql_error(m));
        mysql_close(m);
        return dconn_my__fail(err, DCONN_EDRIVER, (int)no, "%s", text);
    }
    /* TLS asked for and not had: Connector/C connects in clear when it verifies no certificate */
    if (s->ssl_enforce == 1 && !s->ssl_disabled && !mysql_get_ssl_cipher(m)) {
        mysql_close(m);
        return dconn_my__fail(err, DCONN_EDRIVER, 2026, "%s", "the connection is not encrypted, but TLS was asked for (ssl_mode or ssl): "
                                                             "the server offers no TLS; configure it, or drop the ssl settings");
    }
    /* the option files were read inside mysql_real_connect, over the options set before: the caller's
       charset and init_command are applied now, so that they win */
    {
        const char *step = NULL;
        if (s->charset && mysql_set_character_set(m, s->charset) != 0) step = "charset";
        else if (s->init_command && mysql_real_query(m, s->init_command, (unsigned long)strlen(s->init_command)) != 0) step = "init_command";
        if (step) {
            char text[900];
            unsigned int no = mysql_errno(m);
            snprintf(text, sizeof text, "ERROR %u (%s): %s (from %s)", no, mysql_sqlstate(m), mysql_error(m), step);
            mysql_close(m);
            return dconn_my__fail(err, DCONN_EDRIVER, (int)no, "%s", text);
        }
    }
    if (s->init_command) {
        /* its results, if any, are read and dropped */
        int more;
        do {
            MYSQL_RES *res = mysql_store_result(m);
            if (res) mysql_free_result(res);
            more = mysql_next_result(m);
        } while (more == 0);
    }
    *out = m;
    return DCONN_OK;
}

/* Closes a statement: the handle's description of columns is no longer
   its (another may be given its address) */
static void dconn_my__close_stmt(dconn_my__conn *h, MYSQL_STMT *st) {
    if (h->described == st) h->described = NULL;
    mysql_stmt_close(st);
}

static void dconn_my__numbind_free(dconn_my__numbind *nb) {
    if (!nb) return;
    free(nb->types);
    free(nb->pb);
    free(nb->vals);
    free(nb);
}

static void dconn_my__forget_statements(dconn_my__conn *h) {
    while (h->n_kept) {
        dconn_my__kept *k = &h->kept[--h->n_kept];
        if (k->st) dconn_my__close_stmt(h, k->st);
        free(k->sql);
        dconn_my__numbind_free(k->nb);
        memset(k, 0, sizeof *k);
    }
    h->max_packet = 0;   /* asked again of the server it reconnects to */
}

static dconn_status dconn_my__connect(void *ud, const dconn_settings *settings, void **handle, dconn_error *err) {
    static const char *const section[] = {"url", "dialect", "driver", "username", "password", "host", "port", "database", "query"};
    dconn_my__conn *h;
    dconn_status st = dconn_settings_check_keys(settings, "MySQL", section, sizeof section / sizeof section[0], err);
    (void)ud;
    if (st) return st;
    h = (dconn_my__conn *)calloc(1, sizeof *h);
    if (!h) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
    st = dconn_my__spec_build(settings, &h->spec, err);
    if (!st) st = dconn_my__open(&h->spec, &h->my, err);
    if (st) { dconn_my__spec_free(&h->spec); free(h); return st; }
    pthread_mutex_init(&h->id_lock, NULL);
    dconn_my__note_thread_id(h);
    *handle = h;
    return DCONN_OK;
}

static void dconn_my__disconnect(void *ud, void *handle) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    (void)ud;
    if (!h) return;
    dconn_my__forget_statements(h);
    if (h->my) mysql_close(h->my);
    dconn_my__spec_free(&h->spec);
    free(h->cols);
    free(h->described_cols);
    pthread_mutex_destroy(&h->id_lock);
    free(h);
}

/* From another thread while a statement runs (a timeout, dconn_cancel_fire):
   KILL QUERY from a second connection of the same settings (without the
   init_command, which is not this connection's to run twice), as the mysql
   client's Ctrl-C does. The statement fails with 1317 (or 3024); the
   session and its transaction stay. A KILL QUERY that comes after the
   statement ended is dropped by the server at the session's next statement. */
/* In a child after fork(): the socket is the parent's session too. It is
   pointed at /dev/null first, so that mysql_close's COM_QUIT (and TLS's
   goodbye) reaches nobody and the parent's session goes on. */
static void dconn_my__abandon(void *ud, void *handle) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    int fd = h->my ? (int)mysql_get_socket(h->my) : -1, null_fd;
    if (fd >= 0 && (null_fd = open("/dev/null", O_RDWR)) >= 0) {
        (void)dup2(null_fd, fd);
        close(null_fd);
    }
    dconn_my__disconnect(ud, handle);
}

/* Was a KILL QUERY sent since the last call that forgot it? `forget`: and
   forget it (a statement's own check); 0: only look (a message about a
   lost connection, which the statement's own check still sees after). */
static int dconn_my__killed(dconn_my__conn *h, int forget) {
#if defined(__GNUC__) || defined(__clang__)
    /* twice a statement: a load, and a write only after a cancel */
    int k = __atomic_load_n(&h->killed, __ATOMIC_ACQUIRE);
    return k && forget ? __atomic_exchange_n(&h->killed, 0, __ATOMIC_ACQ_REL) : k;
#else
    int k;
    pthread_mutex_lock(&h->id_lock);
    k = h->killed;
    if (forget) h->killed = 0;
    pthread_mutex_unlock(&h->id_lock);
    return k;
#endif
}

static int dconn_my__was_killed(dconn_my__conn *h) { return dconn_my__killed(h, 1); }

/* A read that KILL QUERY stopped inside an expression (SLEEP, BENCHMARK)
   ends without an error, its value cut short: it fails as a stopped one does. */
static dconn_status dconn_my__killed_read(dconn_error *err) {
    return dconn_my__fail(err, DCONN_EQUERY, 1317, "%s", "ERROR 1317 (70100): Query execution was interrupted (it ended early without an "
                                                        "error, so its values may be cut short)");
}

static void dconn_my__cancel(void *ud, void *handle) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    dconn_my__spec killer = h->spec;   /* read only, and it lives as long as the handle */
    unsigned long id;
    MYSQL *m = NULL;
    dconn_error ignored;
    (void)ud;
    pthread_mutex_lock(&h->id_lock);
    id = h->thread_id;
    pthread_mutex_unlock(&h->id_lock);
    if (!id) return;
#if defined(__GNUC__) || defined(__clang__)
    __atomic_store_n(&h->killed, 1, __ATOMIC_RELEASE);
#else
    pthread_mutex_lock(&h->id_lock);
    h->killed = 1;
    pthread_mutex_unlock(&h->id_lock);
#endif
    killer.init_command = NULL;
    if (!killer.connect_timeout || killer.connect_timeout > 5) killer.connect_timeout = 5;
    if (dconn_my__open(&killer, &m, &ignored) == DCONN_OK) {
        char sql[48];
        snprintf(sql, sizeof sql, "KILL QUERY %lu", id);
        (void)mysql_real_query(m, sql, (unsigned long)strlen(sql));
        mysql_close(m);
    }
}

/* Before a statement is sent. A server that ended the session while the
   handle sat idle (wait_timeout, a restart, KILL CONNECTION) has closed
   the socket, perhaps after an error packet: read that now, nothing was
   sent. Outside a transaction the handle reconnects (`may_reconnect`);
   inside one the statement fails, since the server rolled it back; a
   session's START TRANSACTION, COMMIT and ROLLBACK do not reconnect (a
   session's SET and locks would be lost without a word): a transient
   error lets dconn_session_begin try a fresh handle. */
static dconn_status dconn_my__ready(dconn_my__conn *h, int may_reconnect, dconn_error *err) {
    int in_tx = h->my && !h->no_tx && (h->my->server_status & SERVER_STATUS_IN_TRANS) != 0;
    if (!h->dead && may_reconnect && dconn_my__fresh(h)) return DCONN_OK;
    if (!h->dead && h->my) {
        struct pollfd p;
        p.fd = (int)mysql_get_socket(h->my);
        p.events = POLLIN;
        p.revents = 0;
        if (p.fd >= 0 && poll(&p, 1, 0) == 0) return DCONN_OK;   /* nothing waiting: alive */
        h->dead = 1;                                                /* an idle session has nothing to read but its end */
    }
    if (in_tx)
        return dconn_my__fail(err, DCONN_EQUERY, 2006, "%s", "the server had closed the connection while a transaction was open: "
                                                            "the server rolled the transaction back; the statement was not sent");
    if (!may_reconnect) return dconn_my__fail(err, DCONN_EQUERY, 2006, "%s", "the server had closed the connection: the statement was not sent");
    dconn_my__forget_statements(h);
    if (h->my) mysql_close(h->my);
    h->my = NULL;
    h->commit_unknown = h->state_set = 0;
    {
        dconn_error local;
        dconn_status st = dconn_my__open(&h->spec, &h->my, &local);
        char text[1200];
        dconn_my__note_thread_id(h);
        if (!st) { h->dead = 0; return DCONN_OK; }
        snprintf(text, sizeof text, "the server had closed the connection and reconnecting failed (the statement was not sent): %s", local.message);
        return dconn_my__fail(err, DCONN_EQUERY, 2006, "%s", text);
    }
}

/* --- statements ------------------------------------------------------------ */

/* MySQL runs what is inside an executable comment, slash-star-bang (and
   MariaDB slash-star-M-bang) with an optional version number: it is SQL,
   not a comment. The length of the
   opening to skip (0: an ordinary comment or none). */
static size_t dconn_my__exec_comment(const char *p) {
    size_t n = p[0] == '/' && p[1] == '*' && p[2] == 'M' && p[3] == '!' ? 4 : 3;   /* MariaDB's own: slash-star-M-bang */
    if (!(p[0] == '/' && p[1] == '*' && p[n - 1] == '!')) return 0;
    while (p[n] >= '0' && p[n] <= '9') n++;
    return n;
}

/* The end of the comment (*quoted 0) or the quoted text (*quoted 1: a
   string, or a `name`) at p, or p when neither starts there. Executable
   comments are SQL, not comments. Blanks end "--" as the server reads
   it; a quote or a comment left open runs to the end. */
static const char *dconn_my__token_end(const char *p, int *quoted) {
    *quoted = 0;
    if ((p[0] == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == '\t' || p[2] == '\n' || p[2] == '\r' || !p[2])) || p[0] == '#') return p + strcspn(p, "\n");
    if (p[0] == '/' && p[1] == '*' && !dconn_my__exec_comment(p)) {
        const char *e = strstr(p + 2, "*/");
        return e ? e + 2 : p + strlen(p);
    }
    if (*p == '\'' || *p == '"' || *p == '`') {
        char quote = *p++;
        while (*p && *p != quote) p += (*p == '\\' && quote != '`' && p[1]) ? 2 : 1;
        *quoted = 1;
        return *p ? p + 1 : p;
    }
    return p;
}

/* Is the SQL a plain read: SELECT, VALUES, SHOW, TABLE, WITH, DESCRIBE,
   EXPLAIN first, and no INTO? Also notes (*state) a statement that
   leaves state on the session, which outside a session would stay on a
   pooled handle: SET (not SET GLOBAL or PERSIST), USE, LOCK, UNLOCK, PREPARE, HANDLER, FLUSH,
   CREATE [OR REPLACE] TEMPORARY, a user variable assigned (:= or INTO @v), and the
   named locks (GET_LOCK). Executable comments count as SQL. Not state:
   SET STATEMENT ... FOR (its settings last for that statement), and the
   body of a CREATE PROCEDURE, FUNCTION, TRIGGER or EVENT (it runs later,
   in the caller's session: its ';' inside BEGIN ... END end no statement). */
static int dconn_my__classify(const char *sql, int *state) {
    static const char *const reads[] = {"select", "values", "show", "table", "with", "describe", "desc", "explain"};
    static const char *const states[] = {"use", "lock", "unlock", "prepare", "handler", "flush"};
    static const char *const routines[] = {"procedure", "function", "trigger", "event"};
    static const char *const end_of[] = {"if", "loop", "while", "repeat", "for"};
    static const char *const objects[] = {"table", "view", "index", "database", "schema", "user", "role", "sequence", "server", "temporary", "unique"};
    const char *p = sql, *e;
    int first = 1, read = 0, read_so_far = 1, prev_create = 0, prev_into = 0, prev_next = 0, quoted;
    int set_next = 0, set_global = 0;   /* after SET: its next word; SET GLOBAL/PERSIST changes the server, not the session */
    int stmt_create = 0, in_def = 0, depth = 0, skip_case = 0, set_stmt = 0, found = 0;
    size_t i, n;
    *state = 0;
    while (*p) {
        if ((n = dconn_my__exec_comment(p)) != 0) { p += n; continue; }
        if (p[0] == '*' && p[1] == '/') { p += 2; continue; }   /* the end of an executable comment */
        if ((e = dconn_my__token_end(p, &quoted)) != p) {
            if (quoted) first = 0;
            p = e;
            continue;
        }
        if (*p == ';' && in_def && depth > 0) { p++; continue; }   /* inside a routine's BEGIN ... END */
        if (*p == ';') {   /* a script: the next statement's first word counts too */
            first = 1;
            p++;
            if (set_next) *state = 1;
            set_next = set_global = stmt_create = in_def = depth = set_stmt = 0;
            continue;
        }
        if (in_def || set_stmt) found = *state;   /* what a body or SET STATEMENT's settings would flag is put back below */
        if (p[0] == ':' && p[1] == '=') *state = 1;   /* @v := ... */
        if (*p == '@' && prev_into) *state = 1;        /* INTO @v */
        /* SET GLOBAL is one assignment to stay the server's: a list may set the session too (SET GLOBAL a = 1, sql_mode = '') */
        if (*p == ',' && set_global) *state = 1;
        if (in_def || set_stmt) *state = found;
        if (!dconn_my__is_word_char(*p)) { if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') prev_into = 0; p++; continue; }
        for (n = 0; dconn_my__is_word_char(p[n]); n++) {}
        if (in_def) {
            /* a routine's body: only its BEGIN ... END nesting matters (CASE ... END too; END IF, END LOOP, ... close no BEGIN) */
            if (dconn_my__word_is(p, n, "begin") || (dconn_my__word_is(p, n, "case") && !skip_case)) depth++;
            skip_case = 0;
            if (dconn_my__word_is(p, n, "end")) {
                const char *q = p + n;
                size_t m;
                int other = 0;
                while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') q++;
                for (m = 0; dconn_my__is_word_char(q[m]); m++) {}
                for (i = 0; i < sizeof end_of / sizeof end_of[0]; i++) other |= dconn_my__word_is(q, m, end_of[i]);
                if (!other && depth > 0) depth--;
                skip_case = dconn_my__word_is(q, m, "case");
            }
            p += n;
            continue;
        }
        if (set_stmt) {
            /* SET STATEMENT a = 1, b = 2 FOR <statement>: the statement after FOR is classified as any */
            if (dconn_my__word_is(p, n, "for")) { set_stmt = 0; first = 1; read_so_far = 1; }
            p += n;
            continue;
        }
        if (first) {
            int this_read = 0;
            for (i = 0; i < sizeof reads / sizeof reads[0]; i++) this_read |= dconn_my__word_is(p, n, reads[i]);
            read = read_so_far && this_read;
            read_so_far = read;
            for (i = 0; i < sizeof states / sizeof states[0]; i++) *state |= dconn_my__word_is(p, n, states[i]);
            set_next = dconn_my__word_is(p, n, "set");
            set_global = 0;
            prev_create = stmt_create = dconn_my__word_is(p, n, "create");
            first = 0;
        } else if (set_next) {
            /* SET GLOBAL x, SET @@global.x, SET PERSIST x: the server's, on no pooled handle; anything else the session's
               (a user variable named so, SET @global = 1 or SET @statement = 1, too) */
            int user_var = p > sql && p[-1] == '@' && !(p - 1 > sql && p[-2] == '@');
            set_global = !user_var && (dconn_my__word_is(p, n, "global") || dconn_my__word_is(p, n, "persist") || dconn_my__word_is(p, n, "persist_only"));
            set_stmt = !user_var && dconn_my__word_is(p, n, "statement");
            if (!set_global && !set_stmt) *state = 1;
            set_next = 0;
        } else {
            if (set_global && (dconn_my__word_is(p, n, "session") || dconn_my__word_is(p, n, "local"))) *state = 1;   /* a mixed SET */
            if (prev_create && dconn_my__word_is(p, n, "temporary")) *state = 1;
            if (dconn_my__word_is(p, n, "get_lock")) *state = 1;
            /* a sequence's next value changes it: never cached, never run twice */
            if (dconn_my__word_is(p, n, "nextval") || dconn_my__word_is(p, n, "setval") ||
                (dconn_my__word_is(p, n, "value") && prev_next))
                read = read_so_far = 0;
            prev_create = prev_create && (dconn_my__word_is(p, n, "or") || dconn_my__word_is(p, n, "replace"));
            /* CREATE [OR REPLACE] [DEFINER = ...] [AGGREGATE] PROCEDURE ...: not a column named "event" further on */
            for (i = 0; stmt_create && i < sizeof routines / sizeof routines[0]; i++) in_def |= dconn_my__word_is(p, n, routines[i]);
            for (i = 0; stmt_create && i < sizeof objects / sizeof objects[0]; i++) if (dconn_my__word_is(p, n, objects[i])) stmt_create = 0;
        }
        prev_into = dconn_my__word_is(p, n, "into");
        prev_next = dconn_my__word_is(p, n, "next");
        if (prev_into) read = 0;
        p += n;
    }
    if (set_next) *state = 1;   /* SET and nothing after it: the server says what is wrong */
    return read;
}

/* Rewrites :name to ? outside quotes and comments, and orders the values
   to match (? takes them in turn). */
typedef struct dconn_my__bind {
    const char *sql;
    const dconn_value **order;    /* NULL: the values in the order given (`values`) */
    const dconn_value *values;
    size_t n;
    void *heap;
    char local[512];
} dconn_my__bind;

static void dconn_my__bind_free(dconn_my__bind *b) {
    free(b->heap);
    b->heap = NULL;
}

static dconn_status dconn_my__bind_params(const char *sql, const dconn_value *params, size_t np, dconn_my__bind *b, dconn_error *err) {
    size_t len = strlen(sql), o = 0, pos = 0, i, markers = 0, need;
    const char *p, *fail = NULL;
    char *at, *out;
    b->heap = NULL;
    b->values = NULL;
    b->n = 0;
    /* a ? or a :name takes one slot (a name used twice, two: MySQL's ? are positional) */
    for (p = sql; *p; p++) markers += *p == '?' || *p == ':';
    need = (markers + 1) * sizeof(void *) + len + 1;
    at = need <= sizeof b->local ? b->local : (char *)(b->heap = malloc(need));
    if (!at) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
    b->order = (const dconn_value **)(void *)at;
    b->sql = out = at + (markers + 1) * sizeof(void *);
    p = sql;
    while (*p && !fail) {
        char c = *p;
        if (c == '\'' || c == '"' || c == '`') {
            char q = c;
            out[o++] = *p++;
            while (*p && *p != q) {
                if (*p == '\\' && q != '`' && p[1]) out[o++] = *p++;
                out[o++] = *p++;
            }
            if (*p) out[o++] = *p++;
        } else if ((c == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == '\t' || p[2] == '\n')) || c == '#') {
            while (*p && *p != '\n') out[o++] = *p++;
        } else if (c == '/' && p[1] == '*' && !dconn_my__exec_comment(p)) {   /* an executable comment (slash-star-bang) is SQL */
            while (*p && !(p[0] == '*' && p[1] == '/')) out[o++] = *p++;
            if (*p) { out[o++] = *p++; out[o++] = *p++; }
        } else if (c == '?' || (c == ':' && dconn_my__is_word_char(p[1]) && !(p[1] >= '0' && p[1] <= '9'))) {
            const dconn_value *v = NULL;
            if (c == '?') {
                size_t k, seen = 0;
                for (k = 0; k < np; k++) if (!params[k].name && seen++ == pos) { v = &params[k]; break; }
                pos++;
                p++;
                if (!v) { fail = "more"; break; }
            } else {
                const char *name = p + 1, *e = name;
                size_t k;
                while (dconn_my__is_word_char(*e)) e++;
                for (k = 0; k < np && !v; k++) {
                    const char *pn = params[k].name;
                    if (!pn) continue;
                    if (*pn == ':' || *pn == '$') pn++;
                    if (strlen(pn) == (size_t)(e - name) && !strncmp(pn, name, (size_t)(e - name))) v = &params[k];
                }
                if (!v) {
                    dconn_error_set(err, DCONN_EQUERY, "parameter :%.*s has no value (pass dconn_named(\"%.*s\", ...))", (int)(e - name), name, (int)(e - name), name);
                    fail = "";
                    break;
                }
                p = e;
            }
            b->order[b->n++] = v;
            out[o++] = '?';
        } else {
            out[o++] = *p++;
        }
    }
    if (!fail) {
        size_t positional = 0;
        for (i = 0; i < np; i++) positional += !params[i].name;
        if (pos < positional) {
            dconn_error_set(err, DCONN_EQUERY, "%zu positional values were given but the SQL has %zu ? parameters", positional, pos);
            fail = "";
        }
        for (i = 0; i < np && !fail; i++) {
            size_t k;
            int used = 0;
            if (!params[i].name) continue;
            for (k = 0; k < b->n; k++) used |= b->order[k] == &params[i];
            if (!used) { dconn_error_set(err, DCONN_EQUERY, "parameter \"%s\" does not appear in the SQL", params[i].name); fail = ""; }
        }
    }
    if (fail) {
        if (*fail) {
            size_t positional = 0;
            for (i = 0; i < np; i++) positional += !params[i].name;
            dconn_error_set(err, DCONN_EQUERY, "the SQL has more ? parameters than the %zu positional values given (named values fill only :name parameters)",
                            positional);
        }
        dconn_my__bind_free(b);
        return DCONN_EQUERY;
    }
    out[o] = '\0';
    return DCONN_OK;
}

/* --- errors ------------------------------------------------------------------ */

/* Errors that end the session: the handle must reconnect. */
/* 2008 (the client ran out of memory) and 2014 (commands out of sync) leave the connection in a state no later
   statement gets past: it is dropped, and the next use reconnects. */
static int dconn_my__ends_session(unsigned int no) {
    return no == 2006 || no == 2013 || no == 2055 || no == 1927 || no == 4031 || no == 1053 || no == 2008 || no == 2014;
}

/* Fills err from a failed statement. `kind`: what a connection lost with
   no word from the server means for it; `was_in_tx`: a transaction was
   open when it began. */
static dconn_status dconn_my__error(dconn_my__conn *h, unsigned int no, const char *state, const char *msg, int kind, int was_in_tx, dconn_error *err) {
    char text[1200];
    int native = (int)no;
    if (dconn_my__ends_session(no)) h->dead = 1;

    snprintf(text, sizeof text, "ERROR %u (%s): %s", no, state && *state ? state : "HY000", msg && *msg ? msg : "unknown error");
    /* msg and state may live in h->my: read above, before asking */
    if (was_in_tx && !h->dead && h->my) {
        /* an error packet carries no status: ask whether the transaction is still open (a deadlock rolled it back) */
        MYSQL_RES *res;
        MYSQL_ROW row;
        if (mysql_query(h->my, "SELECT @@in_transaction") == 0 && (res = mysql_store_result(h->my)) != NULL) {
            row = mysql_fetch_row(res);
            h->no_tx = row && row[0] && row[0][0] == '0';
            mysql_free_result(res);
        }
    }
    if ((no == 2006 || no == 2013 || no == 2055) && kind == DCONN_MY__WRITE) {
        char lost[1400];
        snprintf(lost, sizeof lost, "the connection was lost while the statement ran, so the server may or may not have applied it; "
                                    "it was not retried (check, or make the write idempotent): %s", text);
        return dconn_my__fail(err, DCONN_EQUERY, DCONN_MYSQL_OUTCOME_UNKNOWN, "%s", lost);
    }
    if (no == 2008) return dconn_my__fail(err, DCONN_ENOMEM, native, "%s", text);
    if (no == 1317 && kind == DCONN_MY__WRITE) {
        size_t n = strlen(text);
        snprintf(text + n, sizeof text - n, " (%s; InnoDB rolled the statement back; it was not retried)",
                 dconn_my__killed(h, 0) ? "stopped by its timeout or cancel token" : "someone stopped it with KILL QUERY");
        native = -1317;
    } else if (no == 1213 && was_in_tx) {
        size_t n = strlen(text);
        snprintf(text + n, sizeof text - n, " (InnoDB rolled the whole transaction back: the session's earlier statements are undone; run it again)");
        native = -1213;
    } else if (no == 1205 && was_in_tx) {
        native = -1205;   /* only the statement was rolled back: the session goes on, and decides */
    } else if (no == 1461) {
        size_t n = strlen(text);
        snprintf(text + n, sizeof text - n, " (each statement runs prepared, and each pooled handle keeps up to %d: raise the server's "
                                            "max_prepared_stmt_count, or lower pool_size)", DCONN_MY__KEEP);
    }
    return dconn_my__fail(err, DCONN_EQUERY, native, "%s", text);
}

static int dconn_my__is_transient(void *ud, const dconn_error *err) {
    static const int codes[] = {1213, 1205, 1040, 1053, 1927, 4031, 2006, 2013, 2055, 1317, 2002, 2003};
    size_t i;
    (void)ud;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) if (err->native_code == codes[i]) return 1;
    return 0;
}

static dconn_status dconn_my__conn_error(dconn_my__conn *h, int kind, int was_in_tx, dconn_error *err);

/* A statement's error; one that came while its rows were read is the connection's (libmariadb puts it there). */
static dconn_status dconn_my__stmt_error(dconn_my__conn *h, MYSQL_STMT *st, int kind, int was_in_tx, dconn_error *err) {
    if (!mysql_stmt_errno(st) && mysql_errno(h->my)) return dconn_my__conn_error(h, kind, was_in_tx, err);
    return dconn_my__error(h, mysql_stmt_errno(st), mysql_stmt_sqlstate(st), mysql_stmt_error(st), kind, was_in_tx, err);
}

static dconn_status dconn_my__conn_error(dconn_my__conn *h, int kind, int was_in_tx, dconn_error *err) {
    return dconn_my__error(h, mysql_errno(h->my), mysql_sqlstate(h->my), mysql_error(h->my), kind, was_in_tx, err);
}

/* Does the SQL hold more than one statement (SQL after a ';' outside quotes and comments)? */
static const char *dconn_my__skip_blanks(const char *p);
static const char *dconn_my__statement_end(const char *p, const char *delim, size_t n);
static int dconn_my__several(const char *sql) {
    const char *e = dconn_my__statement_end(sql, ";", 1);
    while (*e == ';') e = dconn_my__skip_blanks(e + 1);
    return *e != '\0';
}

/* --- the statement cache ---------------------------------------------------- */

/* The statement's first word, past spaces, comments and parentheses. */
static const char *dconn_my__first_word(const char *sql, size_t *n) {
    const char *p = sql;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '(') p++;
        if (p[0] == '/' && p[1] == '*' && !dconn_my__exec_comment(p)) {
            while (*p && !(p[0] == '*' && p[1] == '/')) p++;
            if (*p) p += 2;
        } else if ((p[0] == '-' && p[1] == '-') || p[0] == '#') {
            while (*p && *p != '\n') p++;
        } else {
            break;
        }
    }
    for (*n = 0; dconn_my__is_word_char(p[*n]); ++*n) {}
    return p;
}

/* Is the statement one that programs run again and again (a read, an
   INSERT, UPDATE, DELETE, REPLACE or CALL), worth keeping prepared? */
static int dconn_my__repeats(const char *sql) {
    static const char *const kinds[] = {"select", "with", "values", "table", "insert", "update", "delete", "replace", "call"};
    size_t n, i;
    const char *p = dconn_my__first_word(sql, &n);
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) if (dconn_my__word_is(p, n, kinds[i])) return 1;
    return 0;
}

/* The kept prepared statement for the ? SQL, prepared now when new (the
   least recently used is closed to make room). *kind: read or write. */
static MYSQL_STMT *dconn_my__prepare(dconn_my__conn *h, const char *sql, int *kind, dconn_error *err) {
    size_t len = strlen(sql);
    dconn_my__kept *k = NULL;
    int i;
    for (i = 0; i < h->n_kept; i++) {
        if (h->kept[i].len == len && !memcmp(h->kept[i].sql, sql, len)) {
            k = &h->kept[i];
            k->used = ++h->tick;
            *kind = k->kind - 1;
            return k->st;
        }
    }
    if (h->n_kept < DCONN_MY__KEEP) {
        k = &h->kept[h->n_kept++];
    } else {
        k = &h->kept[0];
        for (i = 1; i < h->n_kept; i++) if (h->kept[i].used < k->used) k = &h->kept[i];
        dconn_my__close_stmt(h, k->st);
        free(k->sql);
        dconn_my__numbind_free(k->nb);
    }
    memset(k, 0, sizeof *k);
    {
        int state;
        *kind = dconn_my__classify(sql, &state) ? DCONN_MY__READ : DCONN_MY__WRITE;
        k->kind = *kind + 1;
        k->state = state;
        k->one_off = !dconn_my__repeats(sql);
    }
    k->st = mysql_stmt_init(h->my);
    k->sql = (char *)malloc(len + 1);
    if (!k->st || !k->sql) {
        if (k->st) dconn_my__close_stmt(h, k->st);
        free(k->sql);
        *k = h->kept[--h->n_kept];
        dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
        return NULL;
    }
    memcpy(k->sql, sql, len + 1);
    k->len = len;
    k->used = ++h->tick;
    if (mysql_stmt_prepare(k->st, sql, (unsigned long)len) != 0) {
        /* nothing ran: a lost connection here may be retried */
        dconn_my__stmt_error(h, k->st, DCONN_MY__READ, dconn_my__in_tx(h), err);
        if (err && err->native_code == 1064 && dconn_my__several(sql)) {
            /* the words dconn's SQLite driver uses, which the CLI puts in its own */
            size_t n = strlen(err->message);
            snprintf(err->message + n, sizeof err->message - n, " (more than one statement: queries and dconn_exec run one (use dconn_exec_script for several))");
        }
        dconn_my__close_stmt(h, k->st);
        free(k->sql);
        *k = h->kept[--h->n_kept];
        return NULL;
    }
    /* the connector updates a result's types from each run, but its names only for a statement prepared without
       columns (a CALL), whose every result is described afresh */
    k->names_fixed = mysql_stmt_field_count(k->st) > 0;
    return k->st;
}

/* The kept entry of a prepared statement. */
static dconn_my__kept *dconn_my__entry(dconn_my__conn *h, const MYSQL_STMT *st) {
    int i;
    for (i = 0; i < h->n_kept; i++) if (h->kept[i].st == st) return &h->kept[i];
    return NULL;
}

/* A kept statement the connection lost: it cannot run again. */
static void dconn_my__drop(dconn_my__conn *h, MYSQL_STMT *st) {
    int i;
    for (i = 0; i < h->n_kept; i++) {
        if (h->kept[i].st != st) continue;
        dconn_my__close_stmt(h, st);
        free(h->kept[i].sql);
        dconn_my__numbind_free(h->kept[i].nb);
        h->kept[i] = h->kept[--h->n_kept];
        return;
    }
}

/* --- running a statement -------------------------------------------------------- */

/* A number into its bound buffer (a NULL's is left alone). */
static void dconn_my__num_put(dconn_my__num *to, const dconn_value *v) {
    if (v->type == DCONN_REAL) to->d = v->d;
    else if (v->type == DCONN_UINT) to->u = v->u;
    else if (v->type == DCONN_INT) to->i = v->i;
}

/* Values that are all numbers or NULL, into the kept statement's own
   buffers (see dconn_my__numbind): 1 when the statement is bound to them,
   0 for the general binding. */
static int dconn_my__bind_numbers(MYSQL_STMT *st, dconn_my__kept *k, const dconn_my__bind *b) {
    dconn_my__numbind *nb = k->nb;
    size_t i;
    int same = nb && nb->valid && nb->n == b->n;
    for (i = 0; i < b->n; i++) {
        const dconn_value *v = b->order ? b->order[i] : &b->values[i];
        if (v->type != DCONN_NULL && v->type != DCONN_INT && v->type != DCONN_UINT && v->type != DCONN_REAL) return 0;
        if (same && nb->types[i] != (unsigned char)v->type) same = 0;
        if (same) dconn_my__num_put(&nb->vals[i], v);
    }
    if (same) return 1;
    if (!nb || nb->n != b->n) {
        dconn_my__numbind_free(nb);
        k->nb = nb = (dconn_my__numbind *)calloc(1, sizeof *nb);
        if (!nb) return 0;
        nb->n = b->n;
        nb->types = (unsigned char *)malloc(b->n);
        nb->pb = (MYSQL_BIND *)malloc(b->n * sizeof *nb->pb);
        nb->vals = (dconn_my__num *)malloc(b->n * sizeof *nb->vals);
        if (!nb->types || !nb->pb || !nb->vals) { dconn_my__numbind_free(nb); k->nb = NULL; return 0; }
    }
    nb->valid = 0;
    memset(nb->pb, 0, b->n * sizeof *nb->pb);
    for (i = 0; i < b->n; i++) {
        const dconn_value *v = b->order ? b->order[i] : &b->values[i];
        nb->types[i] = (unsigned char)v->type;
        dconn_my__num_put(&nb->vals[i], v);
        nb->pb[i].buffer = v->type == DCONN_NULL ? NULL : &nb->vals[i];
        nb->pb[i].buffer_type = v->type == DCONN_NULL ? MYSQL_TYPE_NULL : v->type == DCONN_REAL ? MYSQL_TYPE_DOUBLE : MYSQL_TYPE_LONGLONG;
        nb->pb[i].is_unsigned = (my_bool)(v->type == DCONN_UINT);
    }
    if (mysql_stmt_bind_param(st, nb->pb)) return 0;   /* the general binding tells the error */
    nb->valid = 1;
    return 1;
}

/* The statement is about to be bound to other buffers than its kept ones. */
static void dconn_my__numbind_undo(dconn_my__kept *k) {
    if (k && k->nb) k->nb->valid = 0;
}

/* The values, bound in the binary protocol's types (`k`: the statement's
   kept entry, or NULL). */
static dconn_status dconn_my__bind_values(MYSQL_STMT *st, dconn_my__kept *k, const dconn_my__bind *b, MYSQL_BIND *pb, unsigned long *lens,
                                          dconn_error *err) {
    size_t i;
    if (mysql_stmt_param_count(st) != b->n)
        return dconn_error_set(err, DCONN_EQUERY, "the server counts %lu parameters in the statement, dconn counted %zu", mysql_stmt_param_count(st), b->n);
    if (!b->n) return DCONN_OK;
    if (k && dconn_my__bind_numbers(st, k, b)) return DCONN_OK;
    dconn_my__numbind_undo(k);
    memset(pb, 0, b->n * sizeof *pb);
    for (i = 0; i < b->n; i++) {
        const dconn_value *v = b->order ? b->order[i] : &b->values[i];
        switch (v->type) {
            case DCONN_NULL: pb[i].buffer_type = MYSQL_TYPE_NULL; break;
            case DCONN_INT: pb[i].buffer_type = MYSQL_TYPE_LONGLONG; pb[i].buffer = (void *)&v->i; break;
            case DCONN_UINT: pb[i].buffer_type = MYSQL_TYPE_LONGLONG; pb[i].buffer = (void *)&v->u; pb[i].is_unsigned = 1; break;
            case DCONN_REAL: pb[i].buffer_type = MYSQL_TYPE_DOUBLE; pb[i].buffer = (void *)&v->d; break;
            case DCONN_TEXT:
            case DCONN_BLOB:
            case DCONN_DECIMAL:
                pb[i].buffer_type = v->type == DCONN_TEXT ? MYSQL_TYPE_STRING : v->type == DCONN_BLOB ? MYSQL_TYPE_BLOB : MYSQL_TYPE_NEWDECIMAL;
                pb[i].buffer = (void *)(v->p ? v->p : "");
                lens[i] = (unsigned long)v->n;
                pb[i].buffer_length = lens[i];
                pb[i].length = &lens[i];
                break;
        }
    }
    if (mysql_stmt_bind_param(st, pb)) return dconn_error_set(err, DCONN_EQUERY, "mysql: %s", mysql_stmt_error(st));
    return DCONN_OK;
}

/* Notes whether a statement just prepared can be found again by the caller's text (see dconn_my__kept_plain). */
static void dconn_my__note_plain(dconn_my__kept *k, const dconn_stmt *stmt, const dconn_my__bind *b) {
    if (!k) return;
    k->plain = !strcmp(k->sql, stmt->sql);   /* no :name was rewritten */
    k->markers = b->n;
}

/* A kept statement run again as it was given, its values in order (? alone, as many as values, none named):
   found by the caller's text, which then needs no rewriting. */
static dconn_my__kept *dconn_my__kept_plain(dconn_my__conn *h, const dconn_stmt *stmt) {
    size_t len, i;
    for (i = 0; i < stmt->n_params; i++) if (stmt->params[i].name) return NULL;
    len = strlen(stmt->sql);
    for (i = 0; i < (size_t)h->n_kept; i++) {
        dconn_my__kept *k = &h->kept[i];
        if (k->plain && k->len == len && k->markers == stmt->n_params && !memcmp(k->sql, stmt->sql, len)) return k;
    }
    return NULL;
}

/* A lost connection right as large values went out: most likely the
   server refused a request past its max_allowed_packet (it closes the
   connection for that). Said so, and a read is not retried: each retry
   would send it all again to the same refusal. */
static void dconn_my__too_large(const dconn_my__bind *b, int kind, dconn_error *err) {
    double bytes = 0;
    size_t i, len;
    for (i = 0; i < b->n; i++) {
        const dconn_value *v = b->order ? b->order[i] : &b->values[i];
        if (v->type == DCONN_TEXT || v->type == DCONN_BLOB || v->type == DCONN_DECIMAL) bytes += (double)v->n;
    }
    if (bytes < 1048576.0) return;
    len = strlen(err->message);
    snprintf(err->message + len, sizeof err->message - len, " (the statement's values, %.1f MB, may pass the server's max_allowed_packet, "
             "which makes it close the connection: raise it on the server, or send less)", bytes / 1048576.0);
    if (kind == DCONN_MY__READ) err->native_code = 1153;   /* ER_NET_PACKET_TOO_LARGE: not retried */
}

/* Binds the values and executes: the statement, and *kind, for the caller
   to read; NULL with err filled on failure. */
static MYSQL_STMT *dconn_my__execute(dconn_my__conn *h, const dconn_stmt *stmt, int *kind, int *was_in_tx, dconn_error *err) {
    dconn_my__bind b;
    MYSQL_BIND local_pb[16], *pb = local_pb;
    unsigned long local_lens[16], *lens = local_lens;
    MYSQL_STMT *st = NULL;
    dconn_my__kept *k = NULL;
    dconn_status rc = dconn_my__ready(h, 1, err);
    if (!rc && (k = dconn_my__kept_plain(h, stmt)) != NULL) {
        /* the common case, a statement run again: its values bound in order as they come */
        st = k->st;
        k->used = ++h->tick;
        *kind = k->kind - 1;
        b.heap = NULL;   /* not the whole struct: its local buffer is half a kilobyte */
        b.order = NULL;
        b.sql = stmt->sql;   /* the same text as k->sql, which a re-prepare below frees */
        b.values = stmt->params;
        b.n = stmt->n_params;
    } else {
        /* the values' errors come first, before the connection's */
        if (dconn_my__bind_params(stmt->sql, stmt->params, stmt->n_params, &b, err)) return NULL;
        if (!rc) st = dconn_my__prepare(h, b.sql, kind, err);
        k = st ? dconn_my__entry(h, st) : NULL;
        dconn_my__note_plain(k, stmt, &b);
    }
    *was_in_tx = dconn_my__in_tx(h);
    if (st && b.n > 16) {
        pb = (MYSQL_BIND *)malloc(b.n * sizeof *pb);
        lens = (unsigned long *)malloc(b.n * sizeof *lens);
        if (!pb || !lens) { dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory"); st = NULL; }
    }
    if (st && dconn_my__bind_values(st, k, &b, pb, lens, err)) st = NULL;
    if (st && mysql_stmt_execute(st) != 0 && mysql_stmt_errno(st) == 2057 && *kind == DCONN_MY__READ && k && !k->state) {
        /* CR_NEW_STMT_METADATA: the table was altered since the statement was
           prepared and its result has other columns now, which the client
           refuses for a statement it read before. A plain read (no sequence,
           lock or variable: see classify) runs again, prepared anew (closing
           it drops what the server sent). */
        dconn_my__drop(h, st);
        st = dconn_my__prepare(h, b.sql, kind, err);
        k = st ? dconn_my__entry(h, st) : NULL;
        dconn_my__note_plain(k, stmt, &b);
        if (st && dconn_my__bind_values(st, k, &b, pb, lens, err)) st = NULL;
        if (st && mysql_stmt_execute(st) == 0) goto ran;
    }
    if (st && mysql_stmt_errno(st) == 2057) {
        dconn_error_set(err, DCONN_EQUERY, "mysql: a table the statement reads was altered since it was prepared (its result has another number of "
                        "columns now): the server ran it, but its result could not be read; it is not run again, since it may change data "
                        "or the session (a write, a sequence, a lock): run it again to read its result");
        dconn_my__drop(h, st);
        st = NULL;
    }
    if (st && mysql_stmt_errno(st) != 0) {
        unsigned int no = mysql_stmt_errno(st);
        dconn_my__stmt_error(h, st, *kind, *was_in_tx, err);
        if (err && (no == 2006 || no == 2013)) dconn_my__too_large(&b, *kind, err);
        if (h->dead) dconn_my__drop(h, st);
        st = NULL;
    }
ran:
    if (pb != local_pb) free(pb);
    if (lens != local_lens) free(lens);
    dconn_my__bind_free(&b);
    return st;
}


/* A result being read. The connector hands each value of a fetched row
   to dconn_my__on_value where the binary protocol put it, in its packet
   (MariaDB's result callback, Connector/C 3.1 and later), and the value
   goes from there into the result: no result buffers are bound, so the
   connector neither converts nor copies a value first (bound buffers
   would copy every text twice). The columns' descriptions are the
   handle's, kept from one statement to the next. */
typedef struct dconn_my__reader {
    MYSQL_STMT *st;
    unsigned int nf;
    const dconn_my__col *cols;
    dconn_builder *out;           /* NULL: the rows are skipped (after a failure, or a stream closed early drains them) */
    dconn_value *row;             /* a stream read by rows: the row's values go here instead, in place (see dconn_my__stream_row) */
    char *times;                  /* ... with room for a date or time's text, DCONN_MY__TIME_TEXT bytes a column */
    dconn_status failed;          /* the first failure to add a value: the rest is skipped */
    size_t rows, bytes;           /* read so far: rows, and bytes of text, blobs and decimals (each with its NUL) */
    size_t skipped;               /* bytes of texts, blobs and decimals skipped (out NULL) */
} dconn_my__reader;

static const char *dconn_my__decltype(const MYSQL_FIELD *f) {
    int bin = f->charsetnr == 63;
    switch (f->type) {
        case MYSQL_TYPE_TINY: return "tinyint";
        case MYSQL_TYPE_SHORT: return "smallint";
        case MYSQL_TYPE_INT24: return "mediumint";
        case MYSQL_TYPE_LONG: return "int";
        case MYSQL_TYPE_LONGLONG: return "bigint";
        case MYSQL_TYPE_FLOAT: return "float";
        case MYSQL_TYPE_DOUBLE: return "double";
        case MYSQL_TYPE_DECIMAL: case MYSQL_TYPE_NEWDECIMAL: return "decimal";
        case MYSQL_TYPE_DATE: case MYSQL_TYPE_NEWDATE: return "date";
        case MYSQL_TYPE_TIME: return "time";
        case MYSQL_TYPE_DATETIME: return "datetime";
        case MYSQL_TYPE_TIMESTAMP: return "timestamp";
        case MYSQL_TYPE_YEAR: return "year";
        case MYSQL_TYPE_BIT: return "bit";
        case MYSQL_TYPE_JSON: return "json";
        case MYSQL_TYPE_ENUM: return "enum";
        case MYSQL_TYPE_SET: return "set";
        case MYSQL_TYPE_GEOMETRY: return "geometry";
        case MYSQL_TYPE_NULL: return "null";
        case MYSQL_TYPE_VARCHAR: case MYSQL_TYPE_VAR_STRING: return bin ? "varbinary" : "varchar";
        case MYSQL_TYPE_STRING: return (f->flags & ENUM_FLAG) ? "enum" : (f->flags & SET_FLAG) ? "set" : bin ? "binary" : "char";
        default: return bin ? "blob" : "text";
    }
}

/* Is the handle's description of columns the statement's, as the server
   describes them for this run (a table altered meanwhile changes them)? */
static int dconn_my__still_described(const dconn_my__conn *h, const MYSQL_STMT *st, const MYSQL_FIELD *f, unsigned int nf) {
    unsigned int i;
    /* the columns as the client has them for this run: a CALL's are read
       anew each run (names too), a kept SELECT's types are updated when
       the server sends others (its names stay until it is prepared again);
       another count of columns fails the execution (2057, run again
       prepared anew) */
    if (st != h->described || nf != h->described_nf) return 0;
    for (i = 0; i < nf; i++) {
        const dconn_my__col *c = &h->cols[i];
        if (c->type != f[i].type || c->flags != f[i].flags || c->charsetnr != f[i].charsetnr || c->decimals != (int)f[i].decimals) return 0;
        if (h->described_names_fixed) continue;
        if (c->name_len != (f[i].name ? f[i].name_length : 0) || (c->name_len && memcmp(h->described_cols + c->name_at, f[i].name, c->name_len) != 0)) return 0;
    }
    return 1;
}

/* Notes the statement whose columns the handle describes now, with their names and types. */
static void dconn_my__note_described(dconn_my__conn *h, const MYSQL_STMT *st, const MYSQL_FIELD *f, unsigned int nf) {
    size_t len = 0, n;
    unsigned int i;
    char *at;
    for (i = 0; i < nf; i++) {
        size_t name_len = strlen(f[i].name ? f[i].name : "");
        if (name_len != (f[i].name ? f[i].name_length : 0)) return;   /* compared by length: such a name is described every time */
        len += name_len + strlen(dconn_my__decltype(&f[i])) + 2;
    }
    if (!len) return;   /* no columns: nothing to describe */
    {
        char *block = (char *)realloc(h->described_cols, len);
        if (!block) return;   /* described again the next time */
        h->described_cols = block;
    }
    for (i = 0, at = h->described_cols; i < nf; i++) {
        n = strlen(f[i].name ? f[i].name : "") + 1;
        h->cols[i].name_len = (unsigned int)(n - 1);
        h->cols[i].name_at = (size_t)(at - h->described_cols);
        memcpy(at, f[i].name ? f[i].name : "", n);
        at += n;
        n = strlen(dconn_my__decltype(&f[i])) + 1;
        memcpy(at, dconn_my__decltype(&f[i]), n);
        at += n;
    }
    h->described_cols_len = len;
    h->described_nf = nf;
    h->described = st;
    {
        const dconn_my__kept *k = dconn_my__entry(h, st);
        h->described_names_fixed = k && k->names_fixed;
    }
}

static void dconn_my__on_value(void *data, unsigned int column, unsigned char **row);   /* below */

/* Sets up the result's columns: how each value is read, from the
   statement's columns as the server described them for this run. The
   statement described last, run again with the same columns, keeps it all. */
static dconn_status dconn_my__reader_open(dconn_my__reader *r, dconn_my__conn *h, MYSQL_STMT *st, dconn_builder *columns, dconn_error *err) {
    MYSQL_FIELD *f = st->fields;
    unsigned int i;
    memset(r, 0, sizeof *r);
    r->st = st;
    r->out = columns;
    r->nf = mysql_stmt_field_count(st);
    st->user_data = r;   /* the callback's, set as mysql_stmt_attr_set's STMT_ATTR_CB_* do (a function pointer cannot pass as void *) */
    st->result_callback = dconn_my__on_value;
    if (!r->nf || !f) { r->nf = 0; return DCONN_OK; }   /* no result set: a write */
    if (dconn_my__still_described(h, st, f, r->nf)) {
        /* the same statement again (a loop of point queries): read as it was, its columns copied at once */
        r->cols = h->cols;
        if (columns && dconn_builder_columns(columns, r->nf, h->described_cols, h->described_cols_len))
            return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory while reading columns");
        return DCONN_OK;
    }
    h->described = NULL;
    if (r->nf > h->ncols) {
        dconn_my__col *cols = (dconn_my__col *)realloc(h->cols, r->nf * sizeof *cols);
        if (!cols) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
        h->cols = cols;
        h->ncols = r->nf;
    }
    r->cols = h->cols;
    for (i = 0; i < r->nf; i++) {
        dconn_my__col *c = &h->cols[i];
        if (columns && dconn_builder_column(columns, f[i].name, dconn_my__decltype(&f[i])))
            return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory while reading columns");
        memset(c, 0, sizeof *c);
        c->type = f[i].type;
        c->flags = f[i].flags;
        c->charsetnr = f[i].charsetnr;
        c->is_unsigned = (f[i].flags & UNSIGNED_FLAG) != 0;
        c->decimals = (int)f[i].decimals;
        /* the binary protocol's layout of each type: integers and floats little-endian in a fixed width, dates and
           times after a length byte, everything else (texts, blobs, decimals, bits, JSON) after a length */
        switch (f[i].type) {
            case MYSQL_TYPE_TINY: c->read = DCONN_MY__INT; c->width = 1; break;
            case MYSQL_TYPE_SHORT: case MYSQL_TYPE_YEAR: c->read = DCONN_MY__INT; c->width = 2; break;
            case MYSQL_TYPE_INT24: case MYSQL_TYPE_LONG: c->read = DCONN_MY__INT; c->width = 4; break;
            case MYSQL_TYPE_LONGLONG: c->read = DCONN_MY__INT; c->width = 8; break;
            case MYSQL_TYPE_FLOAT: c->read = DCONN_MY__FLOAT; break;
            case MYSQL_TYPE_DOUBLE: c->read = DCONN_MY__DOUBLE; break;
            case MYSQL_TYPE_DATE: case MYSQL_TYPE_NEWDATE: case MYSQL_TYPE_TIME: case MYSQL_TYPE_DATETIME: case MYSQL_TYPE_TIMESTAMP:
                c->read = DCONN_MY__TIME;
                break;
            case MYSQL_TYPE_BIT: c->read = DCONN_MY__BIT; break;
            case MYSQL_TYPE_DECIMAL: case MYSQL_TYPE_NEWDECIMAL: c->read = DCONN_MY__DECIMAL; break;
            default:
                c->read = f[i].charsetnr == 63 && f[i].type != MYSQL_TYPE_JSON ? DCONN_MY__BLOB : DCONN_MY__TEXT;
                break;
        }
    }
    dconn_my__note_described(h, st, f, r->nf);
    return DCONN_OK;
}

/* A FLOAT as the double of its shortest decimal form that reads back as
   the same FLOAT (0.1, not 0.10000000149011612; up to 9 digits, where the
   mysql client rounds to 6). */
static double dconn_my__float(float f) {
    char text[32];
    int digits;
    for (digits = 6; digits < 9; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, (double)f);
        if (strtof(text, NULL) == f) break;
    }
    if (digits == 9) snprintf(text, sizeof text, "%.9g", (double)f);
    return strtod(text, NULL);   /* written and read in the same locale */
}

/* A MYSQL_TIME as ISO text: "2024-05-01", "2024-05-01 12:30:00.250", "-838:59:59". */
static size_t dconn_my__iso(const dconn_my__col *c, const MYSQL_TIME *t, char *out, size_t cap) {
    size_t n;
    if (c->type == MYSQL_TYPE_DATE || c->type == MYSQL_TYPE_NEWDATE)
        return (size_t)snprintf(out, cap, "%04u-%02u-%02u", t->year, t->month, t->day);
    if (c->type == MYSQL_TYPE_TIME)
        n = (size_t)snprintf(out, cap, "%s%02u:%02u:%02u", t->neg ? "-" : "", t->day * 24 + t->hour, t->minute, t->second);
    else
        n = (size_t)snprintf(out, cap, "%04u-%02u-%02u %02u:%02u:%02u", t->year, t->month, t->day, t->hour, t->minute, t->second);
    if (c->decimals > 6 && t->second_part && n < cap) {
        /* a scale the server did not fix (a function's result): the microseconds, without trailing zeros */
        unsigned long frac = t->second_part;
        int d = 6;
        while (frac % 10 == 0) { frac /= 10; d--; }
        n += (size_t)snprintf(out + n, cap - n, ".%0*lu", d, frac);
    } else if (c->decimals > 0 && c->decimals <= 6 && n < cap) {
        unsigned long frac = t->second_part;
        int d;
        for (d = 6; d > c->decimals; d--) frac /= 10;
        n += (size_t)snprintf(out + n, cap - n, ".%0*lu", c->decimals, frac);
    }
    return n;
}

/* Numbers little-endian, as the binary protocol sends them, on any host (written out byte by byte:
   compilers make one load of each where the host allows it) */
static uint32_t dconn_my__le2(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t dconn_my__le3(const unsigned char *p) { return dconn_my__le2(p) | (uint32_t)p[2] << 16; }
static uint32_t dconn_my__le4(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t dconn_my__le8(const unsigned char *p) { return (uint64_t)dconn_my__le4(p) | (uint64_t)dconn_my__le4(p + 4) << 32; }

/* A length before a value: one byte below 251, else 252, 253 or 254 and then 2, 3 or 8 bytes. */
static unsigned long long dconn_my__length(unsigned char **row) {
    const unsigned char *p = *row;
    if (p[0] < 251) { *row += 1; return p[0]; }
    if (p[0] == 252) { *row += 3; return dconn_my__le2(p + 1); }
    if (p[0] == 253) { *row += 4; return dconn_my__le3(p + 1); }
    *row += 9;
    return dconn_my__le8(p + 1);
}

/* A date or time (its length byte, then year(2) month day hour minute second micro(4), or for TIME
   negative(1) days(4) hour minute second micro(4)): shorter forms leave the rest zero. */
static void dconn_my__time_read(const dconn_my__col *c, unsigned char **row, MYSQL_TIME *t) {
    const unsigned char *p = *row + 1;
    unsigned int n = **row;
    memset(t, 0, sizeof *t);
    *row += 1 + n;
    if (c->type == MYSQL_TYPE_TIME) {
        if (n >= 8) {
            t->neg = (my_bool)(p[0] != 0);
            t->day = dconn_my__le4(p + 1);
            t->hour = p[5]; t->minute = p[6]; t->second = p[7];
        }
        if (n >= 12) t->second_part = dconn_my__le4(p + 8);
        return;
    }
    if (n >= 4) { t->year = dconn_my__le2(p); t->month = p[2]; t->day = p[3]; }
    if (n >= 7) { t->hour = p[4]; t->minute = p[5]; t->second = p[6]; }
    if (n >= 11) t->second_part = dconn_my__le4(p + 7);
}

#define DCONN_MY__TIME_TEXT 40

/* A value that is not NULL, decoded where it lies at *row (which moves past it) into `v`: texts, blobs and
   decimals point into the connector's packet (valid until the next fetch), a date or time is written as
   text into `text` (DCONN_MY__TIME_TEXT bytes). */
static DCONN_MY__INLINE void dconn_my__decode(const dconn_my__col *c, unsigned char **row, dconn_value *v, char *text) {
    v->p = NULL;
    v->n = 0;
    if (c->read >= DCONN_MY__DECIMAL) {
        v->n = (size_t)dconn_my__length(row);
        v->p = *row;
        *row += v->n;
        v->type = c->read == DCONN_MY__TEXT ? DCONN_TEXT : c->read == DCONN_MY__BLOB ? DCONN_BLOB : DCONN_DECIMAL;
    } else if (c->read == DCONN_MY__INT) {
        const unsigned char *p = *row;
        *row += c->width;
        v->type = DCONN_INT;
        switch (c->width) {
            case 1: v->i = c->is_unsigned ? (int64_t)p[0] : (int64_t)p[0] - (p[0] & 0x80 ? 256 : 0); break;
            case 2: { uint32_t u = dconn_my__le2(p); v->i = c->is_unsigned ? (int64_t)u : (int64_t)u - (u & 0x8000 ? 65536 : 0); break; }
            case 4: { uint32_t u = dconn_my__le4(p); v->i = c->is_unsigned ? (int64_t)u : (int64_t)u - (u & 0x80000000u ? 4294967296LL : 0); break; }
            default: {
                uint64_t u = dconn_my__le8(p);
                if (u <= 9223372036854775807ull) v->i = (int64_t)u;
                else if (c->is_unsigned) { v->type = DCONN_UINT; v->u = u; }
                else v->i = -(int64_t)(~u) - 1;   /* negative: two's complement without an implementation-defined cast */
                break;
            }
        }
    } else if (c->read == DCONN_MY__DOUBLE) {
        uint64_t u = dconn_my__le8(*row);
        v->type = DCONN_REAL;
        memcpy(&v->d, &u, sizeof v->d);
        *row += 8;
    } else if (c->read == DCONN_MY__FLOAT) {
        uint32_t u = dconn_my__le4(*row);
        float fl;
        memcpy(&fl, &u, sizeof fl);
        v->type = DCONN_REAL;
        v->d = dconn_my__float(fl);
        *row += 4;
    } else if (c->read == DCONN_MY__TIME) {
        MYSQL_TIME t;
        size_t n;
        dconn_my__time_read(c, row, &t);
        n = dconn_my__iso(c, &t, text, DCONN_MY__TIME_TEXT);
        v->type = DCONN_TEXT;
        v->p = text;
        v->n = n < DCONN_MY__TIME_TEXT ? n : DCONN_MY__TIME_TEXT - 1;
    } else {
        /* a BIT: its bytes, big-endian, as a number */
        size_t n = (size_t)dconn_my__length(row), k;
        const unsigned char *p = *row;
        uint64_t bits = 0;
        *row += n;
        for (k = 0; k < n && k < 8; k++) bits = (bits << 8) | p[k];
        if (bits > 9223372036854775807ull) { v->type = DCONN_UINT; v->u = bits; }
        else { v->type = DCONN_INT; v->i = (int64_t)bits; }
    }
}

/* The connector's result callback: value `column` of the row being fetched, at *row (NULL: a NULL), into the
   result, or in place into a stream's row; *row is moved past it, which the connector leaves to the callback.
   This runs for every value of every row: texts, the common case, go to the result without a detour. */
static void dconn_my__on_value(void *data, unsigned int column, unsigned char **row) {
    dconn_my__reader *r = (dconn_my__reader *)data;
    const dconn_my__col *c;
    dconn_builder *out;
    dconn_status st;
    if (!r) return;   /* no reader open: never so (user_data is cleared when one ends) */
    c = &r->cols[column];
    if (r->row) {
        dconn_value *v = &r->row[column];
        if (row) dconn_my__decode(c, row, v, r->times + (size_t)column * DCONN_MY__TIME_TEXT);
        else { v->type = DCONN_NULL; v->p = NULL; v->n = 0; }
        return;
    }
    out = r->out;
    if (!row) {
        if (!out) return;
        st = dconn_builder_null(out);
    } else if (c->read >= DCONN_MY__DECIMAL) {
        /* texts, blobs, decimals: their bytes, after their length */
        size_t n = (size_t)dconn_my__length(row);
        const char *p = (const char *)*row;
        *row += n;
        if (!out) { r->skipped += n; return; }
        r->bytes += n + 1;
        st = c->read == DCONN_MY__TEXT ? dconn_builder_text(out, p, n) : c->read == DCONN_MY__BLOB ? dconn_builder_blob(out, p, n)
                                                                        : dconn_builder_decimal(out, p, n);
    } else {
        dconn_value v;
        char text[DCONN_MY__TIME_TEXT];
        dconn_my__decode(c, row, &v, text);
        if (!out) return;
        st = v.type == DCONN_INT ? dconn_builder_int(out, v.i) : v.type == DCONN_REAL ? dconn_builder_real(out, v.d)
           : v.type == DCONN_UINT ? dconn_builder_uint(out, v.u) : dconn_builder_text(out, (const char *)v.p, v.n);
    }
    if (st) {
        r->failed = st;
        r->out = NULL;   /* the rest is skipped */
    }
}

/* Fetches the next row into the reader's result: 0 a row, MYSQL_NO_DATA the end, 1 the connector's error. A
   failure to add a value (out of memory) is the reader's `failed`. */
static int dconn_my__reader_row(dconn_my__reader *r) {
    int rc = mysql_stmt_fetch(r->st);
    if (rc == 0) r->rows++;
    return rc;
}

/* After a statement: drains what else it returned (a CALL's results), and
   notes when the statement ended. `read_all`: its rows were fetched to
   the end, so there is nothing to free before the next execution (which
   resets the statement itself, as hand-written code relies on). */
static dconn_status dconn_my__finish_read(dconn_my__conn *h, MYSQL_STMT *st, int kind, int was_in_tx, int read_all, dconn_error *err) {
    int more;
    if (!read_all || mysql_stmt_more_results(st)) mysql_stmt_free_result(st);
    while (mysql_stmt_more_results(st)) {
        /* a CALL whose later statement failed: the error is the call's, whether it comes instead of that
           statement's result or among its rows (which are read, not only dropped, so that it is seen) */
        if ((more = mysql_stmt_next_result(st)) > 0 || (more == 0 && mysql_stmt_field_count(st) > 0 && mysql_stmt_store_result(st) != 0)) {
            dconn_status rc = dconn_my__stmt_error(h, st, kind, was_in_tx, err);
            if (h->dead) dconn_my__drop(h, st);
            return rc;
        }
        if (more < 0) break;
        mysql_stmt_free_result(st);
    }
    h->last_done = dconn_my__now();
    h->no_tx = 0;   /* the server's status in the OK packet is current again */
    {
        dconn_my__kept *k = dconn_my__entry(h, st);
        if (k && k->one_off) dconn_my__drop(h, st);
    }
    return DCONN_OK;
}

static dconn_status dconn_my__finish(dconn_my__conn *h, MYSQL_STMT *st, int kind, int was_in_tx, dconn_error *err) {
    return dconn_my__finish_read(h, st, kind, was_in_tx, 0, err);
}

static dconn_status dconn_my__query(void *ud, void *handle, const dconn_stmt *stmt, dconn_builder *out, dconn_error *err) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    dconn_my__reader r;
    dconn_status st;
    int kind = DCONN_MY__WRITE, was_in_tx = 0, rc = 0;
    MYSQL_STMT *ms;
    (void)ud;
    (void)dconn_my__was_killed(h);
    ms = dconn_my__execute(h, stmt, &kind, &was_in_tx, err);
    if (kind == DCONN_MY__WRITE) dconn_builder_changed_data(out);   /* INSERT ... RETURNING (MariaDB): never cached */
    if (!ms) return err ? err->code : DCONN_EQUERY;
    /* rows fetched as they come (no store_result): the client holds no copy of its own, and dconn's result is the only one */
    st = dconn_my__reader_open(&r, h, ms, out, err);
    if (!st && r.nf) {
        dconn_my__kept *k = dconn_my__entry(h, ms);
        if (k && k->last_rows) (void)dconn_builder_reserve(out, k->last_rows * r.nf, k->last_bytes);   /* as large as last time */
        while ((rc = dconn_my__reader_row(&r)) == 0 && !r.failed) {}
        if (r.failed) st = dconn_error_set(err, r.failed, "mysql: out of memory while reading rows");
        else if (rc == 1) st = dconn_my__stmt_error(h, ms, kind, was_in_tx, err);   /* lost mid-way: no partial result */
        else if (k) { k->last_rows = r.rows; k->last_bytes = r.bytes; }
    }
    ms->user_data = NULL;   /* the reader ends here */
    if (st && h->dead) { dconn_my__drop(h, ms); return st; }
    {
        dconn_my__kept *k = dconn_my__entry(h, ms);
        if (k && k->state) h->state_set = 1;   /* SET, USE, ... through a query: the core refuses it outside sessions */
    }
    if (st) { (void)dconn_my__finish(h, ms, kind, was_in_tx, NULL); return st; }
    st = dconn_my__finish_read(h, ms, kind, was_in_tx, r.nf && rc == MYSQL_NO_DATA, err);
    if (!st && kind == DCONN_MY__READ && dconn_my__was_killed(h)) st = dconn_my__killed_read(err);
    return st;
}

static dconn_status dconn_my__exec(void *ud, void *handle, const dconn_stmt *stmt, dconn_exec_info *info, dconn_error *err) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    int kind = DCONN_MY__WRITE, was_in_tx = 0;
    MYSQL_STMT *ms;
    dconn_my__kept *k;
    (void)ud;
    ms = dconn_my__execute(h, stmt, &kind, &was_in_tx, err);
    if (!ms) return err ? err->code : DCONN_EQUERY;
    kind = DCONN_MY__WRITE;
    if ((k = dconn_my__entry(h, ms)) != NULL && k->state) h->state_set = 1;
    if (info) {
        my_ulonglong n = mysql_stmt_affected_rows(ms);
        info->changes = n == (my_ulonglong)-1 ? 0 : (int64_t)n;
        /* a statement with a result set inserted nothing: not the handle's last insert */
        info->last_insert_id = mysql_stmt_field_count(ms) > 0 ? 0 : (int64_t)mysql_stmt_insert_id(ms);
    }
    /* a SELECT through exec: its rows are dropped, but an error while they come is the statement's */
    if (mysql_stmt_field_count(ms) > 0 && mysql_stmt_store_result(ms) != 0) {
        dconn_status rc = dconn_my__stmt_error(h, ms, kind, was_in_tx, err);
        if (h->dead) dconn_my__drop(h, ms); else (void)dconn_my__finish(h, ms, kind, was_in_tx, NULL);
        return rc;
    }
    return dconn_my__finish(h, ms, kind, was_in_tx, err);
}

/* --- many rows: MariaDB's array binding ------------------------------------------ */

/* exec_many sends rows in chunks through MariaDB's bulk protocol
   (COM_STMT_BULK_EXECUTE: one request and one answer for a chunk of
   rows). A chunk holds rows whose values have the same types (a NULL fits
   any) and the same layout, up to DCONN_MY__BULK_ROWS rows and half the
   server's max_allowed_packet (asked once a connection). The server runs
   a chunk as one statement: a failure applies none of its rows, and does
   not say which row failed, so its rows are then run one at a time to
   find it. The last row runs alone, so that its insert id is its own. */
#define DCONN_MY__BULK_ROWS 65536

/* A chunk's values, column by column, as the connector reads arrays:
   slot i's values (int64_t, uint64_t, double, or pointers for texts,
   blobs and decimals), their lengths and their NULL indicators, `cap`
   rows each. */
typedef union dconn_my__cell { int64_t i; uint64_t u; double d; const void *p; } dconn_my__cell;

typedef struct dconn_my__chunk {
    void **cells;                 /* slot i: cap cells, read as int64_t, uint64_t, double or pointer arrays */
    unsigned long **lens;
    char **ind;
    char *has_null;               /* slot i has a NULL in the chunk */
    size_t n, cap;
} dconn_my__chunk;

static void dconn_my__chunk_free(dconn_my__chunk *c) {
    size_t i;
    for (i = 0; c->cells && c->lens && c->ind && i < c->n; i++) { free(c->cells[i]); free(c->lens[i]); free(c->ind[i]); }
    free(c->cells);
    free(c->lens);
    free(c->ind);
    free(c->has_null);
}

/* 0 when out of memory (then dconn_my__chunk_free frees what was had). */
static int dconn_my__chunk_init(dconn_my__chunk *c, size_t n, size_t cap) {
    size_t i, cell = sizeof(dconn_my__cell);
    c->n = n;
    c->cap = cap;
    c->cells = (void **)calloc(n + 1, sizeof *c->cells);
    c->lens = (unsigned long **)calloc(n + 1, sizeof *c->lens);
    c->ind = (char **)calloc(n + 1, sizeof *c->ind);
    c->has_null = (char *)calloc(n + 1, 1);
    if (!c->cells || !c->lens || !c->ind || !c->has_null) return 0;
    for (i = 0; i < n; i++)
        if (!(c->cells[i] = malloc(cap * cell)) || !(c->lens[i] = (unsigned long *)malloc(cap * sizeof **c->lens)) || !(c->ind[i] = (char *)malloc(cap)))
            return 0;
    return 1;
}

/* The bind type of a chunk's slot (one NULL in every row: any). */
static enum enum_field_types dconn_my__bulk_type(dconn_type t) {
    switch (t) {
        case DCONN_REAL: return MYSQL_TYPE_DOUBLE;
        case DCONN_TEXT: return MYSQL_TYPE_STRING;
        case DCONN_BLOB: return MYSQL_TYPE_BLOB;
        case DCONN_DECIMAL: return MYSQL_TYPE_NEWDECIMAL;
        default: return MYSQL_TYPE_LONGLONG;
    }
}

/* Does the server take bulk requests, and does the statement (INSERT,
   REPLACE, UPDATE or DELETE) go through them? */
static int dconn_my__bulk_ok(dconn_my__conn *h, const char *sql) {
    static const char *const kinds[] = {"insert", "replace", "update", "delete"};
    unsigned long long caps = 0;
    size_t n, i;
    const char *p = dconn_my__first_word(sql, &n);
    if (mariadb_get_infov(h->my, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &caps) || !((caps << 32) & MARIADB_CLIENT_STMT_BULK_OPERATIONS)) return 0;
    for (i = 0; i < sizeof kinds / sizeof kinds[0] && !dconn_my__word_is(p, n, kinds[i]); i++) {}
    if (i == sizeof kinds / sizeof kinds[0]) return 0;
    if (!h->max_packet) {
        /* the largest request the server takes, asked once a connection (1 MiB, its least, if it will not say) */
        MYSQL_RES *res;
        MYSQL_ROW r;
        h->max_packet = 1u << 20;
        if (mysql_query(h->my, "SELECT @@max_allowed_packet") != 0) return 0;
        if ((res = mysql_store_result(h->my)) != NULL) {
            if ((r = mysql_fetch_row(res)) != NULL && r[0] && strtoull(r[0], NULL, 10) > h->max_packet) h->max_packet = (size_t)strtoull(r[0], NULL, 10);
            mysql_free_result(res);
        }
    }
    return 1;
}

/* "row N of M: " (or "rows N-K of M: ") before the driver's message. */
static dconn_status dconn_my__at_rows(dconn_error *err, dconn_status st, size_t first, size_t last, size_t n_rows) {
    if (err && st) {
        char text[sizeof err->message];
        int offset = err->sql_offset;
        snprintf(text, sizeof text, "%s", err->message);
        if (first == last) dconn_error_set(err, st, "row %zu of %zu: %s", first, n_rows, text);
        else dconn_error_set(err, st, "rows %zu-%zu of %zu: %s", first, last, n_rows, text);
        err->sql_offset = offset;
    }
    return st;
}

/* A cancel came between two statements of a batch (KILL QUERY reaches
   only a running one, and MariaDB ignores it during a bulk request). */
static dconn_status dconn_my__stopped(dconn_error *err) {
    /* -1317, as dconn_my__error marks a stopped write: never retried */
    return dconn_my__fail(err, DCONN_EQUERY, -1317, "%s", "ERROR 1317 (70100): Query execution was interrupted (between two parts of the batch)");
}

static dconn_status dconn_my__run_text(dconn_my__conn *h, const char *sql, int kind, dconn_error *err);   /* below */

/* Rows [from, to) one statement each. */
static dconn_status dconn_my__rows_alone(void *ud, dconn_my__conn *h, const dconn_stmt *stmt, size_t from, size_t to, size_t n_rows,
                                        dconn_exec_info *info, dconn_error *err) {
    dconn_stmt one = *stmt;
    size_t row;
    for (row = from; row < to; row++) {
        dconn_exec_info part = {0, 0};
        dconn_status st;
        one.params = stmt->params + row * stmt->n_params;
        if (row > from && dconn_my__was_killed(h)) return dconn_my__at_rows(err, dconn_my__stopped(err), row + 1, row + 1, n_rows);
        if ((st = dconn_my__exec(ud, h, &one, &part, err)) != DCONN_OK) return dconn_my__at_rows(err, st, row + 1, row + 1, n_rows);
        info->changes += part.changes;
        info->last_insert_id = part.last_insert_id;
    }
    return DCONN_OK;
}

/* Fills the chunk with the rows from `row` on that fit its types and
   layout so far (`types` gets each slot's type, DCONN_NULL for a slot
   NULL in every row), up to `end` rows and `max_bytes`: one pass over the
   caller's values. Returns the row after the chunk's last. */
static size_t dconn_my__chunk_fill(dconn_my__chunk *c, const dconn_my__bind *b, const dconn_stmt *stmt, const size_t *at, size_t row, size_t end,
                                   size_t max_bytes, dconn_type *types) {
    size_t i, n = c->n, first = row, bytes = 0;
    void **cells = c->cells;
    unsigned long **lens = c->lens;
    for (i = 0; i < n; i++) { types[i] = DCONN_NULL; c->has_null[i] = 0; }
    for (; row < end; row++) {
        const dconn_value *values = stmt->params + row * stmt->n_params;
        size_t r = row - first, row_bytes = 9 * n;
        for (i = 0; i < n; i++) {
            const dconn_value *v = values + at[i];
            const char *name = b->order[i]->name;
            dconn_type t = v->type;
            if (v->name != name && (!v->name || !name || strcmp(v->name, name) != 0)) return row;
            if (t == DCONN_NULL) {
                /* indicators are written from a slot's first NULL on (the rows before it had none) */
                if (!c->has_null[i]) { c->has_null[i] = 1; memset(c->ind[i], STMT_INDICATOR_NONE, r); }
                c->ind[i][r] = STMT_INDICATOR_NULL;
                continue;
            }
            if (t != types[i]) {
                if (types[i] != DCONN_NULL) return row;
                types[i] = t;
            }
            if (c->has_null[i]) c->ind[i][r] = STMT_INDICATOR_NONE;
            switch (t) {
                case DCONN_INT: ((int64_t *)cells[i])[r] = v->i; break;
                case DCONN_UINT: ((uint64_t *)cells[i])[r] = v->u; break;
                case DCONN_REAL: ((double *)cells[i])[r] = v->d; break;
                default:
                    ((const void **)cells[i])[r] = v->p ? v->p : "";
                    lens[i][r] = (unsigned long)v->n;
                    row_bytes += v->n;
                    break;
            }
        }
        if (bytes && bytes + row_bytes > max_bytes) return row;
        bytes += row_bytes;
    }
    return row;
}

/* Runs the `count` rows (two or more) the chunk holds as one bulk request. */
static dconn_status dconn_my__chunk_run(dconn_my__conn *h, MYSQL_STMT *ms, dconn_my__chunk *c, MYSQL_BIND *pb, const dconn_type *types,
                                        unsigned int count, int was_in_tx, dconn_exec_info *info, dconn_error *err) {
    unsigned int none = 0;
    size_t i;
    int failed;
    dconn_my__numbind_undo(dconn_my__entry(h, ms));
    memset(pb, 0, c->n * sizeof *pb);
    for (i = 0; i < c->n; i++) {
        pb[i].buffer_type = dconn_my__bulk_type(types[i]);
        pb[i].is_unsigned = (my_bool)(types[i] == DCONN_UINT);
        pb[i].buffer = c->cells[i];
        pb[i].length = c->lens[i];
        pb[i].u.indicator = c->has_null[i] ? c->ind[i] : NULL;   /* without NULLs the connector need not look */
    }
    failed = mysql_stmt_attr_set(ms, STMT_ATTR_ARRAY_SIZE, &count) || (c->n && mysql_stmt_bind_param(ms, pb)) || mysql_stmt_execute(ms);
    if (!failed) {
        my_ulonglong n = mysql_stmt_affected_rows(ms);
        info->changes += n == (my_ulonglong)-1 ? 0 : (int64_t)n;
    }
    (void)mysql_stmt_attr_set(ms, STMT_ATTR_ARRAY_SIZE, &none);   /* the kept statement runs single rows again from here */
    if (failed) return dconn_my__stmt_error(h, ms, DCONN_MY__WRITE, was_in_tx, err);
    return dconn_my__finish(h, ms, DCONN_MY__WRITE, was_in_tx, err);
}

/* May a chunk that failed be run again row by row to find the row? Not
   when the connection is gone, the statement was stopped (a cancel or a
   timeout), or the server undid more than the statement (a deadlock). */
static int dconn_my__replayable(const dconn_my__conn *h, const dconn_error *err) {
    int no = err->native_code < 0 ? -err->native_code : err->native_code;   /* negative: a write's, inside a transaction */
    return !h->dead && no != 1317 && no != 1213 && no != 1205 && no != 1969 && no != 3024 && !dconn_my__ends_session((unsigned int)no);
}

static dconn_status dconn_my__exec_many(void *ud, void *handle, const dconn_stmt *stmt, size_t n_rows, dconn_exec_info *info, dconn_error *err) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    dconn_exec_info sum = {0, 0};
    dconn_my__bind b;
    dconn_my__chunk c;
    MYSQL_STMT *ms;
    MYSQL_BIND *pb = NULL;
    dconn_type *types = NULL;
    size_t *at = NULL, row = 0, i, np = stmt->n_params;
    int kind, was_in_tx;
    dconn_status st = dconn_my__ready(h, 1, err);
    memset(&c, 0, sizeof c);
    (void)dconn_my__was_killed(h);   /* a cancel from an earlier call is not this one's */
    if (!st && n_rows > 2 && dconn_my__bulk_ok(h, stmt->sql)) {
        if ((st = dconn_my__bind_params(stmt->sql, stmt->params, np, &b, err)) != DCONN_OK) return dconn_my__at_rows(err, st, 1, 1, n_rows);
        was_in_tx = dconn_my__in_tx(h);
        ms = dconn_my__prepare(h, b.sql, &kind, err);
        (void)kind;   /* a write, whatever the SQL says */
        if (ms && mysql_stmt_param_count(ms) != b.n) {
            st = dconn_error_set(err, DCONN_EQUERY, "the server counts %lu parameters in the statement, dconn counted %zu", mysql_stmt_param_count(ms), b.n);
            ms = NULL;
        } else if (!ms) {
            st = err ? err->code : DCONN_EQUERY;
        }
        if (ms) {
            pb = (MYSQL_BIND *)calloc(b.n + 1, sizeof *pb);
            types = (dconn_type *)malloc((b.n + 1) * sizeof *types);
            at = (size_t *)malloc((b.n + 1) * sizeof *at);
            if (!pb || !types || !at || !dconn_my__chunk_init(&c, b.n, n_rows - 1 < DCONN_MY__BULK_ROWS ? n_rows - 1 : DCONN_MY__BULK_ROWS))
                st = dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
            for (i = 0; !st && i < b.n; i++) at[i] = (size_t)(b.order[i] - stmt->params);
            /* every row but the last, in chunks; a row that fits no chunk runs alone */
            while (!st && row < n_rows - 1) {
                size_t end = dconn_my__chunk_fill(&c, &b, stmt, at, row, row + c.cap < n_rows - 1 ? row + c.cap : n_rows - 1, h->max_packet / 2, types);
                if (row && dconn_my__was_killed(h)) { st = dconn_my__at_rows(err, dconn_my__stopped(err), row + 1, row + 1, n_rows); break; }
                if (end - row < 2) {
                    st = dconn_my__rows_alone(ud, h, stmt, row, row + 1, n_rows, &sum, err);
                    row++;
                    continue;
                }
                /* a savepoint, to undo what a failed request applied before its rows run again one by one */
                if ((st = dconn_my__run_text(h, "SAVEPOINT dconn_internal_bulk", DCONN_MY__WRITE, err)) != DCONN_OK) break;
                st = dconn_my__chunk_run(h, ms, &c, pb, types, (unsigned int)(end - row), was_in_tx, &sum, err);
                if (st && h->dead) {
                    dconn_my__drop(h, ms);
                    /* the batch always runs in a transaction (its own, or a session's) */
                    if (was_in_tx)
                        st = dconn_my__fail(err, DCONN_EQUERY, DCONN_MYSQL_OUTCOME_UNKNOWN, "%s",
                                            "the connection was lost while the batch ran inside a transaction, which the server rolls back "
                                            "(a table without transactions keeps what it took)");
                }
                if (st && err && dconn_my__replayable(h, err)) {
                    dconn_error first = *err;
                    if (dconn_my__run_text(h, "ROLLBACK TO SAVEPOINT dconn_internal_bulk", DCONN_MY__WRITE, NULL) != DCONN_OK || mysql_warning_count(h->my) > 0) {
                        /* the transaction changed a table without transactions (MyISAM), here or before: such a
                           table may have kept some of the rows, and running them again could apply them twice */
                        char text[sizeof err->message];
                        st = dconn_my__at_rows(err, first.code, row + 1, end, n_rows);
                        snprintf(text, sizeof text, "%s", err->message);
                        dconn_error_set(err, st, "%s (the transaction changed a table without transactions, which may have kept some of these "
                                                 "rows: they were not run again one by one to find the failing row)", text);
                        err->native_code = first.native_code;
                        break;
                    }
                    /* the server took none of them: one at a time, they name the row; if all go through, the
                       bulk request was the trouble (a statement it cannot take), and the rest go one by one */
                    st = dconn_my__rows_alone(ud, h, stmt, row, end, n_rows, &sum, err);
                    row = end;
                    if (!st) break;
                } else if (st) {
                    st = dconn_my__at_rows(err, st, row + 1, end, n_rows);
                }
                row = end;
            }
        }
        free(pb);
        free(types);
        free(at);
        dconn_my__chunk_free(&c);
        dconn_my__bind_free(&b);
    }
    /* the rest (all of them without bulk requests), one statement each */
    if (!st) st = dconn_my__rows_alone(ud, h, stmt, row, n_rows, n_rows, &sum, err);
    /* a cancel MariaDB ignored during the last bulk request still stops the batch before it commits */
    if (!st && dconn_my__was_killed(h)) st = dconn_my__stopped(err);
    if (!st && info) *info = sum;
    return st;
}

/* Does the SQL hold the word CALL (a procedure's result sets come as more results)? Quotes and comments not told apart: it only words a message. */
static int dconn_my__mentions_call(const char *sql) {
    const char *p;
    for (p = sql; *p; p++)
        if ((p == sql || !dconn_my__is_word_char(p[-1])) && dconn_my__word_is(p, 4, "call") && !dconn_my__is_word_char(p[4])) return 1;
    return 0;
}

/* Runs SQL text without parameters (scripts, START TRANSACTION, COMMIT, ROLLBACK); every result is read. */
static dconn_status dconn_my__run_text(dconn_my__conn *h, const char *sql, int kind, dconn_error *err) {
    int was_in_tx = dconn_my__in_tx(h), status;
    h->text_done = 0;
    if (mysql_real_query(h->my, sql, (unsigned long)strlen(sql)) != 0) return dconn_my__conn_error(h, kind, was_in_tx, err);
    do {
        MYSQL_RES *res = mysql_store_result(h->my);
        if (res) mysql_free_result(res);
        else if (mysql_field_count(h->my) != 0) return dconn_my__conn_error(h, kind, was_in_tx, err);
        h->text_done++;
        status = mysql_next_result(h->my);
        if (status > 0) return dconn_my__conn_error(h, kind, was_in_tx, err);
    } while (status == 0);
    h->last_done = dconn_my__now();
    h->no_tx = 0;
    return DCONN_OK;
}

/* Past blanks and comments at p (not executable comments, which are SQL). */
static const char *dconn_my__skip_blanks(const char *p) {
    for (;;) {
        const char *e;
        int quoted;
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') p++;
        else if ((e = dconn_my__token_end(p, &quoted)) != p && !quoted) p = e;
        else return p;
    }
}

/* The mysql client's DELIMITER command at p, as mysqldump writes it around
   routines and triggers: the word first on its line, then the new
   delimiter (up to 15 bytes) and nothing else. Copies it to delim and sets
   *next past the line; 0 when p holds none. */
static size_t dconn_my__delimiter_command(const char *sql, const char *p, char delim[16], const char **next) {
    const char *q = p, *d;
    size_t n;
    while (q > sql && (q[-1] == ' ' || q[-1] == '\t')) q--;
    if ((q > sql && q[-1] != '\n' && q[-1] != '\r') || !dconn_my__word_is(p, 9, "delimiter") || (p[9] != ' ' && p[9] != '\t')) return 0;
    for (d = p + 9; *d == ' ' || *d == '\t'; d++) {}
    n = strcspn(d, " \t\r\n");
    for (q = d + n; *q == ' ' || *q == '\t' || *q == '\r'; q++) {}
    if (!n || n > 15 || (*q && *q != '\n')) return 0;
    memcpy(delim, d, n);
    delim[n] = '\0';
    *next = *q ? q + 1 : q;
    return n;
}

/* Where the statement at p ends: its delimiter outside quotes and comments
   (inside an executable comment too, as the mysql client reads one), or
   the end of the text. */
static const char *dconn_my__statement_end(const char *p, const char *delim, size_t n) {
    while (*p) {
        int quoted;
        const char *e = dconn_my__token_end(p, &quoted);
        if (e != p) { p = e; continue; }
        if (!strncmp(p, delim, n)) return p;
        p++;
    }
    return p;
}

/* Does the script hold a DELIMITER command at the start of a statement? */
static int dconn_my__has_delimiter(const char *sql) {
    const char *p = sql, *next;
    char delim[16];
    while (*(p = dconn_my__skip_blanks(p))) {
        if (dconn_my__delimiter_command(sql, p, delim, &next)) return 1;
        p = dconn_my__statement_end(p, ";", 1);
        if (*p) p++;
    }
    return 0;
}

/* Where the statement after the first `done` of the SQL at `from` starts
   (statements under ';'), as an offset into the script: the place a
   failure names (its line in the file, for the CLI). */
static int dconn_my__statement_at(const char *sql, const char *from, int done) {
    const char *p = dconn_my__skip_blanks(from);
    while (done-- > 0 && *p) {
        p = dconn_my__statement_end(p, ";", 1);
        while (*p == ';') p = dconn_my__skip_blanks(p + 1);
    }
    return (int)(p - sql);
}

/* Runs one piece of a script (copied to be NUL-terminated), counting its statements into *done. */
static dconn_status dconn_my__script_piece(dconn_my__conn *h, const char *sql, const char *from, const char *to, char **buf, size_t *cap, int *done,
                                           dconn_error *err) {
    size_t n = (size_t)(to - from);
    const char *q = from;
    dconn_status st;
    while ((q = dconn_my__skip_blanks(q)) < to && *q == ';') q++;
    if (q >= to) return DCONN_OK;   /* blanks, comments and ';' alone, which the mysql client sends none of */
    if (!*buf || n + 1 > *cap) {
        char *grown = (char *)realloc(*buf, n + 1);
        if (!grown) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
        *buf = grown;
        *cap = n + 1;
    }
    memcpy(*buf, from, n);
    (*buf)[n] = '\0';
    st = dconn_my__run_text(h, *buf, DCONN_MY__WRITE, err);
    if (st && err && !dconn_my__mentions_call(*buf)) err->sql_offset = dconn_my__statement_at(sql, from, h->text_done);
    *done += h->text_done;
    return st;
}

/* A script that changes its delimiter (mysqldump's routines and triggers):
   the statements between DELIMITER commands, those under ';' sent
   together as the rest of a script is, the others one by one. A cancel
   that comes between two of them stops the script. */
static dconn_status dconn_my__script_delimited(dconn_my__conn *h, const char *sql, int *done, int *stopped, dconn_error *err) {
    const char *p = sql, *piece = sql, *next;
    char delim[16] = ";", *buf = NULL;
    size_t n = 1, cap = 0;
    dconn_status st = DCONN_OK;
    int sent = 0;
    *done = 0;
    while (!st && *(p = dconn_my__skip_blanks(p))) {
        char other[16];
        size_t m = dconn_my__delimiter_command(sql, p, other, &next);
        const char *e;
        if (!m && n == 1 && delim[0] == ';') {   /* under ';': gathered into the piece */
            p = dconn_my__statement_end(p, delim, n);
            if (*p) p++;
            continue;
        }
        if (sent++ && (*stopped = dconn_my__was_killed(h)) != 0) break;
        if (m) {
            st = dconn_my__script_piece(h, sql, piece, p, &buf, &cap, done, err);
            memcpy(delim, other, m + 1);
            n = m;
            p = piece = next;
            continue;
        }
        e = dconn_my__statement_end(p, delim, n);
        st = dconn_my__script_piece(h, sql, p, e, &buf, &cap, done, err);
        p = piece = *e ? e + n : e;
    }
    if (!st && !*stopped && !(sent && (*stopped = dconn_my__was_killed(h)) != 0)) st = dconn_my__script_piece(h, sql, piece, p, &buf, &cap, done, err);
    free(buf);
    if (*stopped) {
        /* a cancel that came between two statements, while the server sat idle (KILL QUERY stops a running one only) */
        char text[200];
        snprintf(text, sizeof text, "ERROR 1317 (70100): Query execution was interrupted (before the script's statement %d: the %d before it ran%s)",
                 *done + 1, *done, dconn_my__in_tx(h) ? "" : " and were committed");
        st = dconn_my__fail(err, DCONN_EQUERY, -1317, "%s", text);
    }
    return st;
}

static dconn_status dconn_my__script(void *ud, void *handle, const char *sql, dconn_error *err) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    dconn_status st = dconn_my__ready(h, 1, err);
    int state = 0, ran = 0, done = 0, stopped = 0;
    (void)ud;
    (void)dconn_my__classify(sql, &state);
    h->text_done = 0;
    if (!st) {
        (void)dconn_my__was_killed(h);   /* a cancel from an earlier call is not this one's */
        if (dconn_my__has_delimiter(sql)) {
            st = dconn_my__script_delimited(h, sql, &done, &stopped, err);
        } else {
            st = dconn_my__run_text(h, sql, DCONN_MY__WRITE, err);
            done = h->text_done;
            if (st && err && !dconn_my__mentions_call(sql)) err->sql_offset = dconn_my__statement_at(sql, sql, done);
        }
        ran = 1;
    }
    /* a script is a session of its own: what it set, in words this driver reads or not (a procedure's SET), ends
       with it, the handle closed after it */
    if (state || ran) h->state_set = 1;
    if (st && ran && done > 0 && err && !stopped) {
        /* the statements before the failing one ran, each committed on its own outside a transaction; a CALL's result
           sets count as results, so with one the statements are not numbered */
        size_t n = strlen(err->message);
        if (dconn_my__mentions_call(sql))
            snprintf(err->message + n, sizeof err->message - n, " (the script's statements before it ran%s)", dconn_my__in_tx(h) ? "" : " and were committed");
        else
            snprintf(err->message + n, sizeof err->message - n, " (at the script's statement %d: the %d before it ran%s)", done + 1,
                     done, dconn_my__in_tx(h) ? "" : " and were committed");
    }
    return st;
}

static dconn_status dconn_my__begin(void *ud, void *handle, dconn_error *err) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    dconn_status st = dconn_my__ready(h, 0, err);
    (void)ud;
    return st ? st : dconn_my__run_text(h, "START TRANSACTION", DCONN_MY__WRITE, err);
}

static dconn_status dconn_my__commit(void *ud, void *handle, dconn_error *err) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    dconn_status st = dconn_my__ready(h, 0, err);
    (void)ud;
    if (st) return st;   /* not sent: the server rolled the transaction back */
    st = dconn_my__run_text(h, "COMMIT", DCONN_MY__WRITE, err);
    h->commit_unknown = st && h->dead;
    return st;
}

/* Did the last statement leave warning `code`? */
static int dconn_my__warned(dconn_my__conn *h, unsigned int code) {
    MYSQL_RES *res;
    MYSQL_ROW row;
    int found = 0;
    if (mysql_query(h->my, "SHOW WARNINGS") != 0 || (res = mysql_store_result(h->my)) == NULL) {
        if (dconn_my__ends_session(mysql_errno(h->my))) h->dead = 1;   /* lost meanwhile: the next statement reconnects */
        return 0;
    }
    while ((row = mysql_fetch_row(res)) != NULL) found |= row[1] && (unsigned int)strtoul(row[1], NULL, 10) == code;
    mysql_free_result(res);
    return found;
}

static dconn_status dconn_my__rollback(void *ud, void *handle, dconn_error *err) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    (void)ud;
    if (!h->dead && !dconn_my__in_tx(h)) return DCONN_OK;
    if (!h->dead && dconn_my__ready(h, 0, NULL) == DCONN_OK) {
        dconn_status st = dconn_my__run_text(h, "ROLLBACK", DCONN_MY__WRITE, err);
        /* warning 1196: a table without transactions (MyISAM, MEMORY) kept what was written to it */
        if (!st && mysql_warning_count(h->my) > 0 && dconn_my__warned(h, 1196))
            return dconn_my__fail(err, DCONN_EQUERY, 1196, "%s", "the rollback could not undo the writes to tables without transactions "
                                                                 "(MyISAM, MEMORY): they stay; the other tables' writes were undone");
        if (!st || !h->dead) return st;
    }
    h->no_tx = 1;   /* whatever the last status said: the lost session's transaction is gone */
    if (h->commit_unknown)
        return dconn_my__fail(err, DCONN_EQUERY, DCONN_MYSQL_OUTCOME_UNKNOWN, "%s", "the connection was lost while the COMMIT ran: whether it committed is unknown");
    return DCONN_OK;   /* a lost connection: the server rolled the transaction back */
}

static dconn_status dconn_my__ping(void *ud, void *handle, dconn_error *err) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    dconn_status st = dconn_my__ready(h, 1, err);
    (void)ud;
    if (st) return st;
    if (mysql_ping(h->my) != 0) return dconn_my__conn_error(h, DCONN_MY__READ, 0, err);
    h->last_done = dconn_my__now();
    return DCONN_OK;
}

static int dconn_my__in_transaction(void *ud, void *handle) {
    (void)ud;
    return dconn_my__in_tx((dconn_my__conn *)handle);
}

static int dconn_my__keeps_state(void *ud, void *handle) {
    const dconn_my__conn *h = (const dconn_my__conn *)handle;
    (void)ud;
    /* autocommit turned off (by a procedure's SET): every later statement would open a transaction */
    return h->state_set || (h->my && !h->dead && !(h->my->server_status & SERVER_STATUS_AUTOCOMMIT));
}

/* --- streams: unbuffered fetches, rows read as the caller asks ------------------------ */

typedef struct dconn_my__cursor {
    dconn_my__conn *h;
    dconn_my__reader r;
    MYSQL_STMT *st;
    int kind, was_in_tx, done;
    int finished;                 /* the statement's end was read (dconn_my__stream_rest): the handle's again */
    dconn_status failed;          /* an error that came after rows: reported by the next call */
    dconn_error failure;
} dconn_my__cursor;

static dconn_status dconn_my__stream_open(void *ud, void *handle, const dconn_stmt *stmt, void **cursor, dconn_builder *columns, dconn_error *err) {
    dconn_my__conn *h = (dconn_my__conn *)handle;
    dconn_my__cursor *cur = (dconn_my__cursor *)calloc(1, sizeof *cur);
    dconn_status st;
    (void)ud;
    if (!cur) return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
    cur->h = h;
    cur->kind = DCONN_MY__WRITE;
    cur->failure.sql_offset = -1;   /* no place in the SQL */
    (void)dconn_my__was_killed(h);
    cur->st = dconn_my__execute(h, stmt, &cur->kind, &cur->was_in_tx, err);
    if (cur->kind == DCONN_MY__WRITE) dconn_builder_changed_data(columns);
    if (!cur->st) { free(cur); return err ? err->code : DCONN_EQUERY; }
    {
        dconn_my__kept *k = dconn_my__entry(h, cur->st);
        if (k && k->state) h->state_set = 1;   /* SELECT @v := 1, GET_LOCK: refused by the core, as through a query */
    }
    st = dconn_my__reader_open(&cur->r, h, cur->st, columns, err);
    cur->r.out = NULL;   /* rows go into each batch's builder, given by stream_next */
    if (st) {
        cur->st->user_data = NULL;
        (void)dconn_my__finish(h, cur->st, cur->kind, cur->was_in_tx, NULL);
        free(cur);
        return st;
    }
    h->streaming = 1;
    *cursor = cur;
    return DCONN_OK;
}

/* After the last row: what else the statement returned is read now (a CALL's later results, and the error of
   one that failed after its first result, which is the stream's), and the statement is the handle's again. */
static dconn_status dconn_my__stream_rest(dconn_my__cursor *cur, dconn_error *err) {
    dconn_status st;
    cur->st->user_data = NULL;
    cur->finished = 1;   /* finish may close the statement (a lost connection): the close leaves it alone */
    st = dconn_my__finish(cur->h, cur->st, cur->kind, cur->was_in_tx, err);
    if (!st && cur->kind == DCONN_MY__READ && dconn_my__was_killed(cur->h)) st = dconn_my__killed_read(err);
    return st;
}

static dconn_status dconn_my__stream_next(void *ud, void *cursor, size_t max_rows, dconn_builder *out, int *done, dconn_error *err) {
    dconn_my__cursor *cur = (dconn_my__cursor *)cursor;
    dconn_status st = DCONN_OK;
    size_t n = 0;
    int rc = 0;
    unsigned int i;
    (void)ud;
    *done = 0;
    if (cur->failed) {
        *done = 1;
        if (err) *err = cur->failure;
        return cur->failed;
    }
    if (cur->done || !cur->r.nf) { *done = 1; return DCONN_OK; }
    {
        MYSQL_FIELD *f = cur->st->fields;
        for (i = 0; i < cur->r.nf && !st; i++) st = dconn_builder_column(out, f[i].name, dconn_my__decltype(&f[i]));
    }
    cur->r.out = out;
    while (!st && n < max_rows && (rc = dconn_my__reader_row(&cur->r)) == 0) {
        st = cur->r.failed;
        n++;
    }
    cur->r.out = NULL;
    if (st) return dconn_error_set(err, st, "mysql: out of memory while reading rows");
    if (n == max_rows) return DCONN_OK;
    cur->done = 1;
    st = rc == 1 ? dconn_my__stmt_error(cur->h, cur->st, cur->kind, cur->was_in_tx, &cur->failure) : dconn_my__stream_rest(cur, &cur->failure);
    if (st) {
        if (n) { cur->failed = st; return DCONN_OK; }   /* the rows before the error go out first; the error comes next */
        *done = 1;
        if (err) *err = cur->failure;
        return st;
    }
    *done = 1;
    return DCONN_OK;
}

/* A stream's next row in place (driver API version 3): its values point where the connector received them. */
static int dconn_my__stream_row(void *ud, void *cursor, dconn_value *values, dconn_error *err) {
    dconn_my__cursor *cur = (dconn_my__cursor *)cursor;
    int rc;
    (void)ud;
    if (cur->failed) {
        if (err) *err = cur->failure;
        return cur->failed;
    }
    if (cur->done || !cur->r.nf) return 0;
    if (!cur->r.times && !(cur->r.times = (char *)malloc((size_t)cur->r.nf * DCONN_MY__TIME_TEXT)))
        return dconn_error_set(err, DCONN_ENOMEM, "mysql: out of memory");
    cur->r.row = values;
    rc = dconn_my__reader_row(&cur->r);
    cur->r.row = NULL;
    if (rc == 0) return 1;
    cur->done = 1;
    cur->failed = rc == 1 ? dconn_my__stmt_error(cur->h, cur->st, cur->kind, cur->was_in_tx, &cur->failure) : dconn_my__stream_rest(cur, &cur->failure);
    if (!cur->failed) return 0;
    if (err) *err = cur->failure;
    return cur->failed;
}

static void dconn_my__stream_close(void *ud, void *cursor) {
    dconn_my__cursor *cur = (dconn_my__cursor *)cursor;
    (void)ud;
    if (cur->finished) {}   /* its end was read: nothing is left */
    else if (!cur->h->dead && !cur->done && !cur->failed) {
        /* closed early: the rest of the rows must be read before the connection serves anything else; a few are
           (up to 1,024 rows or 1 MiB), but for a long rest the connection is dropped instead (the server stops the
           statement when it finds it gone), and the next use reconnects */
        int k, rc = 0;
        cur->r.skipped = 0;
        for (k = 0; k < 1024 && cur->r.skipped < ((size_t)1 << 20) && (rc = dconn_my__reader_row(&cur->r)) == 0; k++) {}   /* out NULL: skipped */
        if (rc == 0) {
            /* closing the connection first detaches its statements: closing one now would read the rest */
            mysql_close(cur->h->my);
            cur->h->my = NULL;
            cur->h->dead = 1;
        }
    }
    if (!cur->finished) {
        cur->st->user_data = NULL;   /* the reader ends here */
        if (!cur->h->my) {}          /* its statements are freed when the handle reconnects or closes */
        else if (cur->h->dead) dconn_my__drop(cur->h, cur->st);
        else (void)dconn_my__finish(cur->h, cur->st, cur->kind, cur->was_in_tx, NULL);   /* the connection is free again */
    }
    cur->h->streaming = 0;
    free(cur->r.times);
    free(cur);
}

static void dconn_my__driver(dconn_driver *d) {
    memset(d, 0, sizeof *d);
    d->version = DCONN_DRIVER_VERSION;
    d->name = "mysql";
    d->schemes = "mysql,mariadb";
    d->is_sql = 1;
    d->connect = dconn_my__connect;
    d->disconnect = dconn_my__disconnect;
    d->query = dconn_my__query;
    d->exec = dconn_my__exec;
    d->exec_many = dconn_my__exec_many;
    d->exec_script = dconn_my__script;
    d->begin = dconn_my__begin;
    d->commit = dconn_my__commit;
    d->rollback = dconn_my__rollback;
    d->ping = dconn_my__ping;
    d->is_transient = dconn_my__is_transient;
    d->in_transaction = dconn_my__in_transaction;
    d->keeps_state = dconn_my__keeps_state;
    d->stream_open = dconn_my__stream_open;
    d->stream_next = dconn_my__stream_next;
    d->stream_close = dconn_my__stream_close;
    d->stream_row = dconn_my__stream_row;
    d->cancel = dconn_my__cancel;
    d->abandon = dconn_my__abandon;
}

dconn_status dconn_mysql_register(dconn_ctx *ctx, dconn_error *err) {
    dconn_driver d;
    dconn_my__driver(&d);
    return dconn_register_driver(ctx, &d, err);
}

#endif
#endif
