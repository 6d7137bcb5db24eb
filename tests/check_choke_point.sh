#!/bin/sh
# Checks that text the library writes leaves it through its one way out
# (dconn__redact_out, which masks every known secret value):
#  - every public function that fills a dconn_error and has a context calls
#    dconn__err_out before returning (the exceptions are listed with why);
#  - the user's log callback is called from dconn__log alone, which masks;
#  - describe output and printed URLs are masked before they are handed out.
# Ends with "N passed, N failed".
h=${1:-dconn.h}
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# context-free, or no secret can be in what they write:
#   dconn_error_set, dconn_error_at, dconn_settings_check_keys   fill errors for drivers; the library's wrappers pass them out
#   dconn_toml_parse(_file), dconn_ttl_parse, dconn_url_parse   no context, no secrets known (shape rules apply)
#   dconn_open                         no secrets loaded yet
#   dconn_register_driver              messages hold the driver's name only
#   dconn_result_format, dconn_result_print   results are the user's data
allowed=" dconn_error_set dconn_error_at dconn_settings_check_keys dconn_toml_parse dconn_toml_parse_file dconn_ttl_parse dconn_url_parse dconn_open dconn_register_driver dconn_result_format dconn_result_print "

impl=$(awk '/define DCONN_IMPLEMENTATION_INCLUDED/{f=1} f' "$h")

# the "_out" helpers public functions end through (dconn__fetch_out, ...):
# each must pass err out itself (the masking and a copy of masked text aside)
helpers=""
for fn in $(printf '%s\n' "$impl" | sed -n 's/^static [^(]*[ *]\(dconn__[a-z_0-9]*_out\)(.*/\1/p'); do
  case $fn in dconn__err_out|dconn__redact_out|dconn__copy_out) continue;; esac
  body=$(printf '%s\n' "$impl" | awk -v fn="$fn" '$0 ~ "^static .*[ *]" fn "\\(" {f=1} f {print} f && /^}/ {exit}')
  if printf '%s\n' "$body" | grep -q 'dconn__err_out('; then ok; helpers="$helpers\\|$fn("; else bad "$fn (a way out) does not call dconn__err_out"; fi
done

for fn in $(printf '%s\n' "$impl" | sed -n 's/^DCONN_API [^(]*[ *]\(dconn_[a-z_0-9]*\)(.*dconn_error \*err.*{$/\1/p'); do
  case "$allowed" in *" $fn "*) ok; continue;; esac
  body=$(printf '%s\n' "$impl" | awk -v fn="$fn" '$0 ~ "^DCONN_API .*[ *]" fn "\\(" {f=1} f {print} f && /^}/ {exit}')
  if printf '%s\n' "$body" | grep -q "dconn__err_out($helpers"; then ok; else bad "$fn fills err without dconn__err_out"; fi
done

n=$(printf '%s\n' "$impl" | grep -c -- '->log(')
[ "$n" = 1 ] && ok || bad "the log callback is called in $n places (want 1: dconn__log)"
printf '%s\n' "$impl" | awk '/^static DCONN__NOINLINE void dconn__log\(/{f=1} f{print} f&&/^}/{exit}' | grep -q 'dconn__redact_out' && ok || bad "dconn__log does not mask"
printf '%s\n' "$impl" | awk '/^static dconn_status dconn__secrets_describe\(/{f=1} f{print} f&&/^}/{exit}' | grep -q 'dconn__redact_out' && ok || bad "describe output is not masked"
printf '%s\n' "$impl" | grep -q 'dconn__redact_out(&ctx->known, r->settings->url)' && ok || bad "printed URLs are not masked"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
