/* 03_secrets_global_and_local: a global secrets file and a project file, merged.
   Teaches: the project's [connections.dev] overrides the global url key
   by key, keeps the global connect_args, and does not hide the global
   [connections.prod] (Streamlit would hide it).
   Run (from the repository root; it only reads files):
       make build/03_secrets_global_and_local && cd examples/03_secrets_global_and_local/project &&
       HOME=../home ../../../build/03_secrets_global_and_local */
#define DCONN_IMPLEMENTATION
#include "../../dconn.h"
#include <stdio.h>

int main(void) {
    dconn_error err;
    dconn_ctx *ctx = dconn_open(NULL, &err);
    char *dev, *prod;
    if (!ctx) { fprintf(stderr, "%s\n", err.message); return 1; }
    if (dconn_secrets_describe(ctx, "dev", &dev, &err) || dconn_secrets_describe(ctx, "prod", &prod, &err)) {
        fprintf(stderr, "%s\n", err.message);
        dconn_close(ctx);
        return 1;
    }
    printf("%s\n%s", dev, prod);
    printf("dev timeout from the global file: %lld s\n", (long long)dconn_secret_int(ctx, "connections.dev.connect_args.timeout", 0));
    dconn_free(dev);
    dconn_free(prod);
    dconn_close(ctx);
    return 0;
}
