#!/bin/sh
# tests/sqlite_amalgamation.sh takes its deb-src lines from the machine's
# own apt sources, so the repository names no package host: checked on
# made-up /etc trees (deb822 .sources as Debian 12 writes them, one-line
# .list files, third-party entries, disabled ones), with mirror.example
# as the host. Ends with "N passed, N failed".
B=${B:-build}
dir=$B/apt-sources-check
script=tests/sqlite_amalgamation.sh
rm -rf "$dir"; mkdir -p "$dir"
passed=0; failed=0

check() {   # NAME WANT_RC EXPECTED_OUTPUT (output in $out, exit status in $rc)
  if [ "$rc" = "$2" ] && [ "$out" = "$3" ]; then passed=$((passed + 1)); echo "ok $1"
  else failed=$((failed + 1)); echo "FAIL $1: exit $rc (want $2)"; printf '    got:  %s\n    want: %s\n' "$out" "$3"; fi
}

# no package host in any file of the repository (build/ and .git aside; the
# made-up sources below use hosts under .example, which is reserved)
out=$({ grep -rInE --exclude-dir=build --exclude-dir=.git '(debian|ubuntu)\.(org|com)' .
        grep -rInE --exclude-dir=build --exclude-dir=.git 'deb(-src)? +(\[[^]]*\] +)?[a-z+]+://' . | grep -vE '://[a-z0-9.-]+\.example[/:]'
      } 2>&1); rc=0
check no_package_host_in_the_repository 0 ""

# the script writes nothing under /etc/apt (it used to add a sources file there)
out=$(grep -nE '>>? *"?/etc' "$script"); rc=$?
[ "$rc" = 1 ] && rc=0
check writes_nothing_under_etc 0 ""

if ! grep -q -- '--print-sources' "$script"; then
  failed=$((failed + 1)); echo "FAIL $script has no --print-sources (it cannot be checked without downloading)"
  echo "$passed passed, $failed failed"; exit 1
fi

# etc NAME: a made-up /etc under $dir, release bookworm; files follow as NAME=TEXT
etc() {
  e=$dir/$1; shift
  mkdir -p "$e/apt/sources.list.d"
  printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n' > "$e/os-release"
  for f in "$@"; do printf '%s\n' "${f#*=}" > "$e/apt/${f%%=*}"; done
}
srcs() { out=$(DCONN_ETC=$dir/$1 sh "$script" --print-sources bookworm bullseye 2>&1); rc=$?; }

etc deb822 "sources.list.d/debian.sources=Types: deb
# http://snapshot.example/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
srcs deb822
check deb822_debian_sources 0 "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example/debian bullseye main"

etc oneline "sources.list=# the main archive
deb [arch=amd64 signed-by=/etc/apt/keyrings/d.gpg] https://mirror.example/debian/ bookworm main contrib
deb http://security.mirror.example/debian-security bookworm-security main"
srcs oneline
check one_line_sources_list 0 "deb-src [signed-by=/etc/apt/keyrings/d.gpg] https://mirror.example/debian/ bookworm main
deb-src [signed-by=/etc/apt/keyrings/d.gpg] https://mirror.example/debian/ bullseye main"

etc thirdparty "sources.list.d/aaa-vendor.list=deb https://vendor.example/apt nodistro main" \
  "sources.list.d/disabled.sources=Types: deb
URIs: http://old.example/debian
Suites: bookworm
Components: main
Enabled: no" \
  "sources.list.d/debian.sources=Types: deb deb-src
URIs: mirror+file:/etc/apt/mirrors/debian.list
Suites: bookworm
Components: main non-free-firmware"
srcs thirdparty
check third_party_and_disabled_entries 0 "deb-src mirror+file:/etc/apt/mirrors/debian.list bookworm main
deb-src mirror+file:/etc/apt/mirrors/debian.list bullseye main"

etc inlinekey "sources.list.d/debian.sources=Types: deb
URIs: http://mirror.example/debian
Suites: bookworm
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mQINBGPL0BUBEADmW5NdOOHwPIJlgPu6JDcKw/NZJPR8lsD3K87ZM18gzyQZJD+w
 -----END PGP PUBLIC KEY BLOCK-----"
srcs inlinekey
check inline_key_not_passed_on 0 "deb-src http://mirror.example/debian bookworm main
deb-src http://mirror.example/debian bullseye main"

etc none "sources.list.d/vendor.list=deb https://vendor.example/apt stable-updates main"
srcs none
case "$out" in *"found no Debian mirror"*"DCONN_DEBIAN_MIRROR=URI"*) out=refused ;; esac
check no_mirror_refused 1 refused

out=$(DCONN_ETC=$dir/none DCONN_DEBIAN_MIRROR=http://given.example/debian sh "$script" --print-sources bullseye 2>&1); rc=$?
check mirror_given 0 "deb-src http://given.example/debian bullseye main"

rm -rf "$dir"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
