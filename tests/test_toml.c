/* TOML parser tests: values, lookups, iteration, errors with line and
   column, limits, and every allocation failing in turn. */

static dconn_toml_doc *parse_ok(const char *text) {
    dconn_error err;
    dconn_toml_doc *doc = dconn_toml_parse(text, strlen(text), "t.toml", &err);
    if (!doc) fprintf(stdout, "  unexpected parse error: %s\n", err.message);
    return doc;
}

static void toml_basic_values(void) {
    dconn_toml_doc *doc = parse_ok(
        "title = \"dconn\"\n"
        "n = -42\n"
        "hex = 0xDEAD_beef\n"
        "f = 6.02e23\n"
        "yes = true\n"
        "when = 1979-05-27T07:32:00.999999999-07:00\n"
        "[connections.pets_db]\n"
        "url = 'sqlite:///pets.db'\n");
    const dconn_toml_value *root;
    dconn_toml_datetime dt;
    REQUIRE(doc);
    root = dconn_toml_root(doc);
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "title"), NULL), "dconn");
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "n"), 0), -42);
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "hex"), 0), 0xDEADBEEF);
    CHECK_EQ_DBL(dconn_toml_float(dconn_toml_get(root, "f"), 0), 6.02e23);
    CHECK_EQ_INT(dconn_toml_bool(dconn_toml_get(root, "yes"), 0), 1);
    CHECK(dconn_toml_datetime_get(dconn_toml_get(root, "when"), &dt));
    CHECK_EQ_INT(dt.year, 1979);
    CHECK_EQ_INT(dt.nanosecond, 999999999);
    CHECK_EQ_INT(dt.offset_minutes, -420);
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "connections.pets_db.url"), NULL), "sqlite:///pets.db");
    CHECK_EQ_INT(dconn_toml_line(dconn_toml_get(root, "connections.pets_db.url")), 8);
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "missing"), "dflt"), "dflt");
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "title"), 7), 7);
    dconn_toml_free(doc);
}

static void toml_error_position(void) {
    dconn_error err;
    const char *text = "[connections.x]\nname = \"a\"\nurl \"sqlite:///x\"\n";
    dconn_toml_doc *doc = dconn_toml_parse(text, strlen(text), "secrets.toml", &err);
    CHECK(doc == NULL);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK_EQ_INT(err.line, 3);
    CHECK_EQ_INT(err.column, 5);
    CHECK_STR(err.file, "secrets.toml");
    CHECK_STR(err.message, "secrets.toml:3:5: expected '=' after key \"url\"\n  url \"sqlite:///x\"\n      ^");
}

static void toml_every_allocation_fails(void) {
    const char *text = "a = 1\n[t]\nb = \"two\"\nc = [1, 2, {d = 3}]\n[[arr]]\nx = 1\n[[arr]]\nx = 2\n";
    long k, before = talloc_live_blocks();
    for (k = 0; k < 10000; k++) {
        dconn_error err;
        dconn_toml_doc *doc;
        talloc_fail_at(k);
        doc = dconn_toml_parse(text, strlen(text), "t.toml", &err);
        talloc_fail_at(-1);
        if (doc) {
            CHECK(!talloc_was_injected());
            CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(dconn_toml_root(doc), "arr.1.x"), 0), 2);
            dconn_toml_free(doc);
            break;
        }
        CHECK_EQ_INT(err.code, DCONN_ENOMEM);
        CHECK_EQ_INT(talloc_live_blocks(), before);
    }
    CHECK(k > 0);
    CHECK_EQ_INT(talloc_live_blocks(), before);
}

static const dtest_case toml_tests[] = {
    {"toml_basic_values", toml_basic_values},
    {"toml_error_position", toml_error_position},
    {"toml_every_allocation_fails", toml_every_allocation_fails},
};
