#!/usr/bin/env python3
"""Differential test of dconn's TOML parser against Python's tomllib.

    python3 tests/toml_diff.py DECODER [COUNT] [SEED]

Generates COUNT documents (default 20000) from a seeded grammar of TOML 1.0
(every key, string, number and date form, tables, arrays of tables, dotted
keys, inline tables, comments), drawing keys from a small pool so that
redefinitions happen, and mutates a third of them a few bytes at a time so
that near-valid documents are common. Each goes through one `DECODER
--batch` process and through tomllib: both must accept or both reject, and
accepted documents must hold the same values. Prints each disagreement
(with the document) and ends with "N passed, N failed".
"""

import datetime
import json
import math
import random
import subprocess
import sys
import tomllib

BARE = "abcxyzABC019_-"
KEY_POOL = ["a", "b", "c", "x-y", "k_1", "1", "true", "inf"]


class Gen:
    def __init__(self, rnd):
        self.r = rnd

    def pick(self, *xs):
        return self.r.choice(xs)

    def gb(self, good, bad, p_bad=0.08):
        """Mostly a valid form, sometimes an invalid one."""
        return self.r.choice(bad if self.r.random() < p_bad else good)

    def bare_key(self):
        if self.r.random() < 0.7:
            return self.r.choice(KEY_POOL)
        return "".join(self.r.choice(BARE) for _ in range(self.r.randint(1, 4)))

    def key_part(self):
        x = self.r.random()
        if x < 0.7:
            return self.bare_key()
        if x < 0.85:
            return '"' + self.basic_body(short=True) + '"'
        return "'" + self.r.choice(KEY_POOL + ["a b", "é", ""]) + "'"

    def key(self):
        parts = [self.key_part() for _ in range(self.r.choice([1, 1, 1, 2, 3]))]
        return self.pick(".", " . ", ".").join(parts)

    def basic_body(self, short=False):
        out = []
        for _ in range(self.r.randint(0, 3 if short else 8)):
            x = self.r.random()
            if x < 0.5:
                out.append(self.r.choice("abc xyz019é€"))
            elif x < 0.7:
                out.append(self.gb(["\\n", "\\t", "\\\"", "\\\\", "\\b", "\\f", "\\r"], ["\\e", "\\x41", "\\ "]))
            elif x < 0.85:
                out.append(self.gb(["\\u00e9", "\\u20AC", "\\U0001F600", "\\u0000"], ["\\uD800", "\\U00110000", "\\u12"]))
            else:
                out.append(self.gb(["'", "#", "=", "[", "]", "{", "}", ","], ["\x7f", "\x01", "\n"]))
        return "".join(out)

    def string(self):
        x = self.r.random()
        if x < 0.4:
            return '"' + self.basic_body() + '"'
        if x < 0.6:
            return "'" + self.r.choice(["", "a\\b", "C:\\x", "it''s", "tab\there", "é"]) + "'"
        if x < 0.8:
            body = self.r.choice(["", "\n", "a\nb", "a \\\n   b", "\"\"x", "one\"\"", "\\\n", "x\r\ny", "\"\"\"\""])
            return '"""' + body + self.basic_body() + '"""'
        body = self.r.choice(["", "\n", "a\nb", "''x", "raw \\n", "x\r\ny", "''''"])
        return "'''" + body + "'''"

    def integer(self):
        x = self.r.random()
        if x < 0.4:
            return self.pick("", "+", "-") + self.gb(["0", "1", "42", "1_000", "9223372036854775807", "123456789"],
                                                    ["9223372036854775808", "007", "1__0", "_1", "1_"], 0.15)
        if x < 0.6:
            return self.pick("-9223372036854775808", "-9223372036854775809", "+0", "-0")
        return self.gb(["0x", "0o", "0b"], ["0X", "+0x", "-0o"], 0.1) + self.gb(["1A", "dead_beef", "0", "777", "101", "7FFFFFFFFFFFFFFF"], ["8", "_1", "FFFFFFFFFFFFFFFF", ""], 0.2)

    def float_(self):
        x = self.r.random()
        if x < 0.6:
            return self.pick("", "+", "-") + self.gb(["0.0", "1.5", "3.14159", "1e5", "1E+5", "6.02e23", "1e-7", "1_0.0_1",
                                                    "0.1e1_0", "5e+22", "1e400", "2.5E-320", "1e-400", "0e0", "1.7976931348623157e308"],
                                                   ["1.", ".5", "1.e5", "01.5", "1e", "1.5e-", "1_.5"], 0.15)
        return self.pick("", "+", "-") + self.gb(["inf", "nan"], ["Inf", "NaN", "infinity"], 0.2)

    def datetime_(self):
        date = self.gb(["1979-05-27", "2000-02-29", "0001-01-01", "9999-12-31", "1900-02-28"], ["2001-02-29", "1979-13-01", "1979-5-27", "1900-02-29"], 0.15)
        time = self.gb(["07:32:00", "00:00:00", "07:32:00.999999", "07:32:00.1234567891", "23:59:59.5"], ["23:59:60", "24:00:00", "07:32", "7:32:00", "07:32:00."], 0.15)
        off = self.gb(["", "Z", "z", "+07:00", "-00:00", "+05:30", "+23:59"], ["+24:00", "+0530", "+07", "-00:60"], 0.15)
        sep = self.pick("T", "t", " ", "T")
        x = self.r.random()
        if x < 0.5:
            return date + sep + time + off
        if x < 0.75:
            return date
        return time

    def value(self, depth=0):
        x = self.r.random()
        if x < 0.2:
            return self.string()
        if x < 0.35:
            return self.integer()
        if x < 0.47:
            return self.float_()
        if x < 0.55:
            return self.gb(["true", "false"], ["True", "tru"])
        if x < 0.7:
            return self.datetime_()
        if depth > 2:
            return self.integer()
        if x < 0.85:
            items = [self.value(depth + 1) for _ in range(self.r.randint(0, 3))]
            seps = [self.pick(",", ", ", ",\n", " ,\n# c\n") for _ in items]
            body = "".join(v + s for v, s in zip(items, seps))
            if body and self.r.random() < 0.6:
                body = body.rstrip(",\n# c")
            return "[" + self.pick("", "\n", " ") + body + self.pick("", "\n", " ") + "]"
        items = [self.key() + self.pick(" = ", "=") + self.value(depth + 1) for _ in range(self.r.randint(0, 3))]
        return "{" + self.pick(" ", "") + ", ".join(items) + self.pick(" ", "", ",") + "}"

    def document(self):
        lines = []
        for _ in range(self.r.randint(1, 8)):
            x = self.r.random()
            if x < 0.6:
                lines.append(self.key() + self.pick(" = ", "=", " =") + self.value() + self.pick("", " # note", "\t"))
            elif x < 0.75:
                lines.append("[" + self.key() + "]")
            elif x < 0.87:
                lines.append("[[" + self.key() + "]]")
            elif x < 0.97:
                lines.append(self.gb(["# comment", "", "  ", "# é", "#\t"], ["#\x01", "#\x7f"]))
            else:
                lines.append(self.pick("[ a ]", "[[ a ]]", "[a]]", "[[a]", "a = ", "= 1", "a = 1 b = 2", "\ufeffa = 1"))
        return self.pick("\n", "\r\n", "\n")[0:2].join(lines) + self.pick("", "\n")

    def mutate(self, doc):
        b = list(doc)
        for _ in range(self.r.randint(1, 3)):
            if not b:
                break
            i = self.r.randrange(len(b) + 1)
            op = self.r.random()
            if op < 0.35 and i < len(b):
                del b[i]
            elif op < 0.7:
                b.insert(i, self.r.choice('"\'[]{}=,.#\n\\ 0x_-+:TZe\r\t'))
            elif i < len(b):
                b[i] = self.r.choice('"\'[]{}=,.# \n0')
        return "".join(b)


def tagged_to_py(v):
    if isinstance(v, list):
        return [tagged_to_py(x) for x in v]
    if isinstance(v, dict) and set(v) == {"type", "value"} and isinstance(v["value"], str):
        t, s = v["type"], v["value"]
        if t == "string":
            return s
        if t == "integer":
            return int(s)
        if t == "float":
            return float(s)
        if t == "bool":
            return s == "true"
        if t in ("datetime", "datetime-local"):
            return datetime.datetime.fromisoformat(s.replace("z", "Z"))
        if t == "date-local":
            return datetime.date.fromisoformat(s)
        if t == "time-local":
            return datetime.time.fromisoformat(s)
        raise ValueError("unknown type " + t)
    if isinstance(v, dict):
        return {k: tagged_to_py(x) for k, x in v.items()}
    raise ValueError("unexpected JSON " + repr(v))


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, datetime.datetime):
        return a == b and (a.tzinfo is None) == (b.tzinfo is None) and a.utcoffset() == b.utcoffset()
    return a == b


INT64 = (-(1 << 63), (1 << 63) - 1)


def has_big_int(v):
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return not INT64[0] <= v <= INT64[1]
    if isinstance(v, dict):
        return any(has_big_int(x) for x in v.values())
    if isinstance(v, list):
        return any(has_big_int(x) for x in v)
    return False


# Where tomllib departs from TOML 1.0 (or where Python cannot hold the value),
# dconn follows the specification; such documents are counted apart.
def known_difference(doc, ours, theirs):
    if theirs is not None and has_big_int(theirs) and ours.startswith("ERROR ") and "does not fit in 64 bits" in ours:
        return "an integer beyond 64 bits (TOML: an error; tomllib: a Python int)"
    if not ours.startswith("ERROR ") and theirs is None:
        try:
            tagged_to_py(json.loads(ours))
        except ValueError:
            return "a date or time RFC 3339 allows and Python's datetime cannot hold (second 60, year 0)"
    return None


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    decoder = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    g = Gen(random.Random(seed))
    docs = []
    for _ in range(count):
        d = g.document()
        if g.r.random() < 0.33:
            d = g.mutate(d)
        docs.append(d)
    payload = b"".join(b"%d\n" % len(d.encode("utf-8", "surrogatepass")) + d.encode("utf-8", "surrogatepass") for d in docs)
    proc = subprocess.run([decoder, "--batch"], input=payload, stdout=subprocess.PIPE, timeout=600)
    lines = proc.stdout.decode("utf-8", "replace").split("\n")
    if proc.returncode != 0 or len(lines) < count:
        print(f"FAIL the decoder exited {proc.returncode} after {len(lines) - 1} of {count} documents")
        print(f"0 passed, {count} failed")
        return 1
    passed = failed = accepted = 0
    known = {}
    for i, d in enumerate(docs):
        ours = lines[i]
        try:
            # a leading byte order mark: dconn skips it (editors on Windows
            # write one), tomllib refuses it
            theirs, why = tomllib.loads(d[1:] if d.startswith("\ufeff") else d), ""
        except tomllib.TOMLDecodeError as e:
            theirs, why = None, str(e)
        except (ValueError, OverflowError) as e:   # tomllib lets a few value errors escape
            theirs, why = None, "ValueError: " + str(e)
        reason = known_difference(d, ours, theirs)
        if reason:
            known[reason] = known.get(reason, 0) + 1
            continue
        if ours.startswith("ERROR "):
            ok = theirs is None
            detail = f"dconn rejects ({ours[6:]}), tomllib accepts: {theirs!r}"
        else:
            mine = tagged_to_py(json.loads(ours))
            ok = theirs is not None and same(mine, theirs)
            detail = f"tomllib rejects ({why})" if theirs is None else f"values differ:\n  dconn:   {mine!r}\n  tomllib: {theirs!r}"
            accepted += ok
        if ok:
            passed += 1
        else:
            failed += 1
            if failed <= 20:
                print(f"FAIL document {i} (seed {seed}): {detail}\n  {d!r}")
    print(f"{count} documents, seed {seed}: {accepted} accepted by both with the same values, {passed - accepted} rejected by both")
    for reason, n in sorted(known.items()):
        print(f"  {n} not compared: {reason}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
