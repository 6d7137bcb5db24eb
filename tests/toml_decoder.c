/* toml-decoder: reads TOML on stdin and prints toml-test's tagged JSON.
   Exit 0 on success; on a parse error prints the message on stderr, exit 1.
   Used by `make toml-test` with ../shared/toml-test/run.py. */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

static void put_json_string(const char *s, size_t n) {
    size_t i;
    putchar('"');
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
            case '"': fputs("\\\"", stdout); break;
            case '\\': fputs("\\\\", stdout); break;
            case '\n': fputs("\\n", stdout); break;
            case '\r': fputs("\\r", stdout); break;
            case '\t': fputs("\\t", stdout); break;
            case '\b': fputs("\\b", stdout); break;
            case '\f': fputs("\\f", stdout); break;
            default:
                if (c < 0x20 || c == 0x7F) printf("\\u%04x", c);
                else putchar((char)c);
        }
    }
    putchar('"');
}

static void put_tagged(const char *type, const char *value) {
    printf("{\"type\":\"%s\",\"value\":", type);
    put_json_string(value, strlen(value));
    putchar('}');
}

static void put_datetime(const dconn_toml_value *v) {
    dconn_toml_datetime dt;
    dconn_toml_type t = dconn_toml_type_of(v);
    char buf[80];
    size_t n = 0;
    dconn_toml_datetime_get(v, &dt);
    if (t != DCONN_TOML_TIME_LOCAL)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%04d-%02d-%02d", dt.year, dt.month, dt.day);
    if (t != DCONN_TOML_DATE_LOCAL) {
        if (t != DCONN_TOML_TIME_LOCAL) buf[n++] = 'T';
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%02d:%02d:%02d", dt.hour, dt.minute, dt.second);
        if (dt.nanosecond) n += (size_t)snprintf(buf + n, sizeof buf - n, ".%09d", dt.nanosecond);
    }
    if (t == DCONN_TOML_DATETIME) {
        int off = dt.offset_minutes < 0 ? -dt.offset_minutes : dt.offset_minutes;
        if (dt.offset_minutes == 0) snprintf(buf + n, sizeof buf - n, "Z");
        else snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", dt.offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
    }
    put_tagged(dconn_toml_type_name(t), buf);
}

static void put_value(const dconn_toml_value *v) {
    size_t i, n;
    char buf[64];
    switch (dconn_toml_type_of(v)) {
        case DCONN_TOML_TABLE:
            putchar('{');
            n = dconn_toml_count(v);
            for (i = 0; i < n; i++) {
                if (i) putchar(',');
                put_json_string(dconn_toml_key_at(v, i), dconn_toml_key_len(v, i));
                putchar(':');
                put_value(dconn_toml_at(v, i));
            }
            putchar('}');
            break;
        case DCONN_TOML_ARRAY:
            putchar('[');
            n = dconn_toml_count(v);
            for (i = 0; i < n; i++) {
                if (i) putchar(',');
                put_value(dconn_toml_at(v, i));
            }
            putchar(']');
            break;
        case DCONN_TOML_STRING:
            printf("{\"type\":\"string\",\"value\":");
            put_json_string(dconn_toml_string(v, ""), dconn_toml_string_len(v));
            putchar('}');
            break;
        case DCONN_TOML_INTEGER:
            snprintf(buf, sizeof buf, "%lld", (long long)dconn_toml_int(v, 0));
            put_tagged("integer", buf);
            break;
        case DCONN_TOML_FLOAT: {
            double d = dconn_toml_float(v, 0);
            if (isnan(d)) snprintf(buf, sizeof buf, "nan");
            else if (isinf(d)) snprintf(buf, sizeof buf, d < 0 ? "-inf" : "inf");
            else snprintf(buf, sizeof buf, "%.17g", d);
            put_tagged("float", buf);
            break;
        }
        case DCONN_TOML_BOOL:
            put_tagged("bool", dconn_toml_bool(v, 0) ? "true" : "false");
            break;
        case DCONN_TOML_DATETIME:
        case DCONN_TOML_DATETIME_LOCAL:
        case DCONN_TOML_DATE_LOCAL:
        case DCONN_TOML_TIME_LOCAL:
            put_datetime(v);
            break;
        case DCONN_TOML_NONE:
            fputs("null", stdout);
            break;
    }
}

/* --batch: records "LENGTH\nBYTES" on stdin, one line out for each: the
   tagged JSON, or "ERROR message" (the differential test runs thousands of
   documents through one process). */
static int batch(void) {
    char head[32];
    while (fgets(head, sizeof head, stdin)) {
        size_t n = (size_t)strtoul(head, NULL, 10);
        char *doc_text = (char *)malloc(n + 1);
        dconn_error err;
        dconn_toml_doc *doc;
        if (!doc_text || fread(doc_text, 1, n, stdin) != n) { free(doc_text); fputs("toml-decoder: short record\n", stderr); return 2; }
        doc = dconn_toml_parse(doc_text, n, "<batch>", &err);
        free(doc_text);
        if (!doc) {
            char *nl;
            while ((nl = strchr(err.message, '\n')) != NULL) *nl = ' ';
            printf("ERROR %s\n", err.message);
        } else {
            put_value(dconn_toml_root(doc));
            putchar('\n');
            dconn_toml_free(doc);
        }
        fflush(stdout);
    }
    return 0;
}

int main(int argc, char **argv) {
    char *buf = NULL;
    size_t len = 0, cap = 0;
    dconn_error err;
    dconn_toml_doc *doc;
    if (argc > 1 && strcmp(argv[1], "--batch") == 0) return batch();
    for (;;) {
        size_t got;
        if (cap - len < 65536) {
            char *nb;
            cap = cap ? cap * 2 : 65536;
            nb = (char *)realloc(buf, cap);
            if (!nb) { free(buf); fputs("toml-decoder: out of memory\n", stderr); return 2; }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, stdin);
        if (!got) break;
        len += got;
    }
    doc = dconn_toml_parse(buf, len, "<stdin>", &err);
    free(buf);
    if (!doc) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    put_value(dconn_toml_root(doc));
    putchar('\n');
    dconn_toml_free(doc);
    return 0;
}
