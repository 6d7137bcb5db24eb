/* dconn: the command-line face of dconn.h.
     dconn query NAME "SQL" [--type T] [--ttl T] [--param [name=]value]... [--format box|csv|json|markdown] [--stats]
     dconn exec NAME "SQL" [--type T] [--param [name=]value]...
     dconn secrets [NAME]
     dconn check NAME [--type T]
   Secrets are found exactly as the library finds them: ~/.streamlit,
   ~/.dconn, ./.streamlit and ./.dconn secrets.toml, or $DCONN_SECRETS.
   A parameter value that reads as an integer or a real binds as one,
   "null" binds NULL, anything else binds as text; prefix the value with
   "text:" to force text. Exit 0 on success, 1 with the message on stderr. */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 64

static int usage(void) {
    fputs("usage:\n"
          "  dconn query NAME \"SQL\" [--type T] [--ttl T] [--param [name=]value]... [--format box|csv|json|markdown] [--stats]\n"
          "  dconn exec NAME \"SQL\" [--type T] [--param [name=]value]...\n"
          "  dconn secrets [NAME]\n"
          "  dconn check NAME [--type T]\n", stderr);
    return 1;
}

static int fail(const dconn_error *err) {
    fprintf(stderr, "dconn: %s\n", err->message);
    return 1;
}

static int is_ident(const char *s, size_t n) {
    size_t i;
    if (!n || (s[0] >= '0' && s[0] <= '9')) return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

/* "name=value" binds :name; a bare value binds the next '?'. */
static dconn_value parse_param(const char *arg) {
    const char *eq = strchr(arg, '=');
    const char *val = arg;
    const char *name = NULL;
    static char names[MAX_PARAMS][64];
    static int next;
    dconn_value v;
    char *end;
    if (eq && is_ident(arg, (size_t)(eq - arg)) && eq - arg < 63) {
        char *n = names[next++ % MAX_PARAMS];
        memcpy(n, arg, (size_t)(eq - arg));
        n[eq - arg] = '\0';
        name = n;
        val = eq + 1;
    }
    if (strncmp(val, "text:", 5) == 0) v = dconn_text(val + 5);
    else if (strcmp(val, "null") == 0) v = dconn_null();
    else {
        long long i = strtoll(val, &end, 10);
        if (*val && !*end) v = dconn_int(i);
        else {
            double d = strtod(val, &end);
            v = *val && !*end ? dconn_real(d) : dconn_text(val);
        }
    }
    return name ? dconn_named(name, v) : v;
}

int main(int argc, char **argv) {
    dconn_error err;
    dconn_options o;
    dconn_ctx *ctx;
    dconn_conn *conn;
    dconn_value params[MAX_PARAMS];
    size_t nparams = 0;
    const char *cmd, *name = NULL, *sql = NULL, *type = NULL, *ttl = NULL;
    dconn_format format = DCONN_FORMAT_BOX;
    int stats = 0, i, rc = 0;

    if (argc < 2) return usage();
    cmd = argv[1];
    for (i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--type") == 0 && i + 1 < argc) type = argv[++i];
        else if (strcmp(a, "--ttl") == 0 && i + 1 < argc) ttl = argv[++i];
        else if (strcmp(a, "--param") == 0 && i + 1 < argc) {
            if (nparams == MAX_PARAMS) { fprintf(stderr, "dconn: at most %d parameters\n", MAX_PARAMS); return 1; }
            params[nparams++] = parse_param(argv[++i]);
        } else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "box") == 0) format = DCONN_FORMAT_BOX;
            else if (strcmp(f, "csv") == 0) format = DCONN_FORMAT_CSV;
            else if (strcmp(f, "json") == 0) format = DCONN_FORMAT_JSON;
            else if (strcmp(f, "markdown") == 0 || strcmp(f, "md") == 0) format = DCONN_FORMAT_MARKDOWN;
            else { fprintf(stderr, "dconn: unknown format \"%s\" (box, csv, json or markdown)\n", f); return 1; }
        } else if (strcmp(a, "--stats") == 0) stats = 1;
        else if (a[0] == '-' && a[1] == '-') { fprintf(stderr, "dconn: unknown option %s\n", a); return usage(); }
        else if (!name) name = a;
        else if (!sql) sql = a;
        else return usage();
    }

    memset(&o, 0, sizeof o);
    o.log = dconn_log_stderr;
    ctx = dconn_open(&o, &err);
    if (!ctx) return fail(&err);

    if (strcmp(cmd, "secrets") == 0) {
        char *text;
        if (dconn_secrets_describe(ctx, name, &text, &err)) rc = fail(&err);
        else {
            const char *paths[16];
            int exists[16];
            size_t n = dconn_secrets_files(ctx, paths, exists, 16), k;
            printf("# files searched, lowest precedence first:\n");
            for (k = 0; k < n && k < 16; k++) printf("#   %s (%s)\n", paths[k], exists[k] ? "read" : "missing");
            fputs(text, stdout);
            dconn_free(text);
        }
        dconn_close(ctx);
        return rc;
    }
    if (!name || ((strcmp(cmd, "query") == 0 || strcmp(cmd, "exec") == 0) && !sql) ||
        (strcmp(cmd, "query") && strcmp(cmd, "exec") && strcmp(cmd, "check"))) {
        dconn_close(ctx);
        return usage();
    }
    conn = dconn_connect(ctx, name, type, NULL, &err);
    if (!conn) { rc = fail(&err); dconn_close(ctx); return rc; }

    if (strcmp(cmd, "query") == 0) {
        dconn_query_options q;
        dconn_result *r;
        memset(&q, 0, sizeof q);
        q.ttl = ttl;
        r = dconn_query(conn, sql, params, nparams, &q, &err);
        if (!r) rc = fail(&err);
        else {
            if (dconn_result_print(r, stdout, format, &err)) rc = fail(&err);
            dconn_result_release(r);
        }
        if (stats) {
            dconn_cache_stats s;
            dconn_cache_stats_get(ctx, &s);
            fprintf(stderr, "cache: %llu hits, %llu misses, %llu evictions, %llu expirations, %llu entries, %llu bytes\n",
                    (unsigned long long)s.hits, (unsigned long long)s.misses, (unsigned long long)s.evictions,
                    (unsigned long long)s.expirations, (unsigned long long)s.entries, (unsigned long long)s.bytes);
        }
    } else if (strcmp(cmd, "exec") == 0) {
        dconn_exec_info info;
        if (dconn_exec(conn, sql, params, nparams, NULL, &info, &err)) rc = fail(&err);
        else printf("%lld row(s) changed, last insert id %lld\n", (long long)info.changes, (long long)info.last_insert_id);
    } else {
        char url[512];
        dconn_conn_url(conn, url, sizeof url);
        if (dconn_ping(conn, &err)) rc = fail(&err);
        else printf("ok: connection \"%s\" (driver %s) %s\n", dconn_conn_name(conn), dconn_conn_type(conn), url);
    }
    dconn_release(conn);
    dconn_close(ctx);
    return rc;
}
