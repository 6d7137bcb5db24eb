/* toml_demo: parse a secrets file and list its connections.
   Run: make demo   (or: build/toml-demo examples/demo_secrets.toml) */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <stdio.h>

int main(int argc, char **argv) {
    dconn_error err;
    const char *path = argc > 1 ? argv[1] : "secrets.toml";
    dconn_toml_doc *doc = dconn_toml_parse_file(path, &err);
    const dconn_toml_value *conns;
    size_t i;
    if (!doc) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    conns = dconn_toml_get(dconn_toml_root(doc), "connections");
    printf("%s: %zu connection(s)\n", path, dconn_toml_count(conns));
    for (i = 0; i < dconn_toml_count(conns); i++) {
        const dconn_toml_value *c = dconn_toml_at(conns, i);
        printf("  %-10s type=%-8s url=%s  (line %d)\n", dconn_toml_key_at(conns, i),
               dconn_toml_string(dconn_toml_get(c, "type"), "sql"),
               dconn_toml_string(dconn_toml_get(c, "url"), "(parts)"), dconn_toml_line(c));
    }
    dconn_toml_free(doc);
    return 0;
}
