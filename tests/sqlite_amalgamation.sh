#!/bin/sh
# Builds SQLite amalgamations (sqlite3.c + sqlite3.h) from Debian's source
# packages, for `make test SQLITE_AMALGAMATION=...`:
#   sh tests/sqlite_amalgamation.sh bookworm bullseye
# prints the path of each sqlite3.c, one per line (stdout; the rest on stderr).
# Needs apt-get, tclsh and a C compiler. Works in build/sqlite-src/<release>/.
#
# The source packages come from the Debian mirror this machine already uses:
# the URI of its main archive entry (the one for its own release, with
# component main) in /etc/apt/sources.list, sources.list.d/*.list or
# sources.list.d/*.sources (deb822, as Debian 12 writes debian.sources).
# The deb-src lines made from it live in build/sqlite-src/apt/ with apt's
# lists for them, so nothing under /etc/apt changes and root is not needed.
#   DCONN_DEBIAN_MIRROR=URI   use this mirror instead
#   sh tests/sqlite_amalgamation.sh --print-sources REL...
#                             print the deb-src lines and stop (no download)
#   DCONN_ETC=DIR             read DIR/apt/... and DIR/os-release, not /etc (for tests)
set -e
root=$(pwd)
etc=${DCONN_ETC:-/etc}
work=$root/build/sqlite-src

# Every configured entry, one line each: TYPE URI SUITE COMPONENTS... [signed-by=PATH]
apt_entries() {
  for f in "$etc/apt/sources.list" "$etc"/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # one-line style: deb [opt=value ...] uri suite component...
    sed -e 's/#.*//' "$f" | awk '
      $1 != "deb" && $1 != "deb-src" { next }
      {
        type = $1; i = 2; signed = ""
        if ($2 ~ /^\[/) {
          opts = ""
          for (; i <= NF; i++) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } }
          gsub(/[][]/, "", opts)
          n = split(opts, o, " ")
          for (k = 1; k <= n; k++) if (o[k] ~ /^signed-by=/) signed = o[k]
        }
        if (i + 2 > NF) next
        line = type " " $i " " $(i + 1)
        for (j = i + 2; j <= NF; j++) line = line " " $j
        print line (signed != "" ? " " signed : "")
      }'
  done
  for f in "$etc"/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822 style: paragraphs of Field: value, continuation lines start with a blank
    awk '
      function flush(   nt, nu, ns, a, b, c, t, u, s) {
        if (types != "" && tolower(enabled) != "no") {
          nt = split(types, t, " "); nu = split(uris, u, " "); ns = split(suites, s, " ")
          for (a = 1; a <= nt; a++) for (b = 1; b <= nu; b++) for (c = 1; c <= ns; c++)
            print t[a] " " u[b] " " s[c] " " comps (signed != "" ? " signed-by=" signed : "")
        }
        types = uris = suites = comps = signed = enabled = ""; field = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { if (field == "signed-by") signed = ""; next }   # an inline key: not a path to pass on
      {
        field = tolower($1); sub(/:$/, "", field)
        value = $0; sub(/^[^:]*:[ \t]*/, "", value)
        if (field == "types") types = value
        else if (field == "uris") uris = value
        else if (field == "suites") suites = value
        else if (field == "components") comps = value
        else if (field == "signed-by") signed = value
        else if (field == "enabled") enabled = value
      }
      END { flush() }' "$f"
  done
}

# "URI [signed-by=PATH]" of the machine's main Debian archive: an entry
# for the machine's own release (VERSION_CODENAME) with component main;
# else the first entry with main and a plain release name (no -security,
# -updates or /updates suffix) that is not a CD. "deb" entries before
# "deb-src" ones.
debian_mirror() {
  if [ -n "$DCONN_DEBIAN_MIRROR" ]; then echo "$DCONN_DEBIAN_MIRROR"; return; fi
  codename=$(sed -n 's/^VERSION_CODENAME=["]*\([^"]*\)["]*$/\1/p' "$etc/os-release" 2>/dev/null | head -n 1)
  apt_entries | awk -v want="$codename" '
    $2 ~ /^cdrom:/ { next }
    {
      main = 0; signed = ""
      for (i = 4; i <= NF; i++) { if ($i == "main") main = 1; if ($i ~ /^signed-by=/) signed = " " $i }
      if (!main) next
      k = $1 == "deb" ? 1 : 2                  # a binary entry first: it is the one apt uses
      if (want != "" && $3 == want && !own[k]) own[k] = $2 signed
      if ($3 ~ /^[a-z]+$/ && !plain[k]) plain[k] = $2 signed
    }
    END { print own[1] ? own[1] : own[2] ? own[2] : plain[1] ? plain[1] : plain[2] }'
}

# The deb-src line of a release, from the machine's mirror.
src_line() {
  set -- $(debian_mirror) "$1"
  case $# in
    2) echo "deb-src $1 $2 main" ;;
    3) echo "deb-src [$2] $1 $3 main" ;;
    *) return 1 ;;
  esac
}

no_mirror() {
  echo "sqlite_amalgamation.sh: found no Debian mirror in $etc/apt/sources.list or $etc/apt/sources.list.d/ (an entry with component main for this machine's release); name one with DCONN_DEBIAN_MIRROR=URI" >&2
  exit 1
}

if [ "$1" = --print-sources ]; then
  shift
  for rel in "$@"; do src_line "$rel" || no_mirror; done
  exit 0
fi

apt="$work/apt"
apt_opts() {
  echo "-o Dir::Etc::SourceList=$apt/sources.list -o Dir::Etc::SourceParts=$apt/parts -o Dir::State::Lists=$apt/lists -o Dir::Cache=$apt/cache"
}
updated=
for rel in "$@"; do
  dir="$work/$rel"
  if [ ! -f "$dir/bld/sqlite3.c" ]; then
    if [ -z "$updated" ]; then
      mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache/archives/partial"
      : > "$apt/sources.list"
      for r in "$@"; do src_line "$r" >> "$apt/sources.list" || no_mirror; done
      echo "deb-src entries (from this machine's mirror): $(tr '\n' ';' < "$apt/sources.list")" >&2
      # shellcheck disable=SC2046 # the options are words
      apt-get -q $(apt_opts) update >&2
      updated=1
    fi
    rm -rf "$dir"; mkdir -p "$dir"
    # download only: unpacking by hand needs no dpkg-dev, and _apt may not write here
    # shellcheck disable=SC2046
    (cd "$dir" && apt-get -q $(apt_opts) source --download-only "sqlite3/$rel" >&2)
    tarball=$(ls "$dir"/sqlite3_*.orig.tar.* | grep -v -- '-www' | head -n 1)
    (cd "$dir" && tar xf "$tarball")
    src=$(find "$dir" -maxdepth 1 -type d -name 'sqlite3-*' | head -n 1)
    mkdir -p "$dir/bld"
    (cd "$dir/bld" && "$src/configure" --quiet >&2 && make sqlite3.c >&2)
  fi
  test -f "$dir/bld/sqlite3.c" && test -f "$dir/bld/sqlite3.h"
  echo "$dir/bld/sqlite3.c"
done
