/* 02_pets: the "Connecting to data" guide's first example, line for line.
   Teaches: a named connection from .streamlit/secrets.toml, writes in a
   session with named parameters, a cached query, printing a result.
   Run: make demo   (copies examples/02_pets/.streamlit to build/demo and
   runs build/02_pets there, so pets.db lands in build/demo) */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include <stdio.h>

int main(void) {
    dconn_error err;
    dconn_ctx *ctx = dconn_open(NULL, &err);
    dconn_conn *conn;
    dconn_session *s;
    dconn_result *pets;
    static const char *const owners[][2] = {{"jerry", "fish"}, {"barbara", "cat"}, {"alex", "puppy"}};
    dconn_query_options q = { .ttl = "10m" };
    size_t i;

    if (!ctx) { fprintf(stderr, "%s\n", err.message); return 1; }
    /* conn = st.connection("pets_db", type="sql") */
    conn = dconn_connect(ctx, "pets_db", "sql", NULL, &err);
    if (!conn) { fprintf(stderr, "%s\n", err.message); dconn_close(ctx); return 1; }

    /* with conn.session as s: ... s.commit() */
    s = dconn_session_begin(conn, &err);
    if (!s) goto fail;
    if (dconn_session_exec(s, "CREATE TABLE IF NOT EXISTS pet_owners (person TEXT, pet TEXT);", NULL, 0, NULL, &err) ||
        dconn_session_exec(s, "DELETE FROM pet_owners;", NULL, 0, NULL, &err))
        goto fail_session;
    for (i = 0; i < 3; i++) {
        dconn_value p[2];
        p[0] = dconn_named(":owner", dconn_text(owners[i][0]));
        p[1] = dconn_named(":pet", dconn_text(owners[i][1]));
        if (dconn_session_exec(s, "INSERT INTO pet_owners (person, pet) VALUES (:owner, :pet);", p, 2, NULL, &err)) goto fail_session;
    }
    if (dconn_session_commit(s, &err)) goto fail_session;
    dconn_session_end(s);

    /* pet_owners = conn.query("select * from pet_owners", ttl="10m") */
    pets = dconn_query(conn, "select * from pet_owners", NULL, 0, &q, &err);
    if (!pets || dconn_result_print(pets, stdout, DCONN_FORMAT_BOX, &err)) { dconn_result_release(pets); goto fail; }
    dconn_result_release(pets);
    dconn_release(conn);
    dconn_close(ctx);
    return 0;

fail_session:
    dconn_session_end(s);
fail:
    fprintf(stderr, "%s\n", err.message);
    dconn_release(conn);
    dconn_close(ctx);
    return 1;
}
