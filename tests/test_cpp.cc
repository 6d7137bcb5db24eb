// Compiles the implementation as C++ (make test builds it as C++11 and
// C++20) and runs a few checks through the public API, including the
// option-struct and error patterns C++ users write.
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#include "dtest.h"

static void cpp_toml_roundtrip() {
    dconn_error err = {};
    const char text[] = "[connections.db]\nurl = \"sqlite:///x.db\"\nport = 5432\n";
    dconn_toml_doc *doc = dconn_toml_parse(text, sizeof text - 1, "cpp.toml", &err);
    REQUIRE(doc != nullptr);
    const dconn_toml_value *root = dconn_toml_root(doc);
    CHECK_STR(dconn_toml_string(dconn_toml_get(root, "connections.db.url"), nullptr), "sqlite:///x.db");
    CHECK_EQ_INT(dconn_toml_int(dconn_toml_get(root, "connections.db.port"), 0), 5432);
    CHECK_EQ_INT(dconn_toml_count(dconn_toml_get(root, "connections.db")), 2);
    dconn_toml_free(doc);
}

static void cpp_toml_error() {
    dconn_error err{};
    const char text[] = "a = [1, 2\n";
    CHECK(dconn_toml_parse(text, sizeof text - 1, nullptr, &err) == nullptr);
    CHECK_EQ_INT(err.code, DCONN_ETOML);
    CHECK_CONTAINS(err.message, "<string>:1:5: unterminated array");
}

static const dtest_case cpp_tests[] = {
    {"cpp_toml_roundtrip", cpp_toml_roundtrip},
    {"cpp_toml_error", cpp_toml_error},
};

int main(int argc, char **argv) {
    static const dtest_case *const groups[] = { cpp_tests };
    static const size_t counts[] = { sizeof cpp_tests / sizeof cpp_tests[0] };
    return dtest_run(groups, counts, 1, argc, argv);
}
