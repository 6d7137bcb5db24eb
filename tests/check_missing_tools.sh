#!/bin/sh
# `make test` and `make demo` check the programs they run before building
# anything, and name the package that has each missing one (a fresh
# machine with only part of the README's install line gets "apt-get
# install clang", not "make: clang: No such file or directory"). Runs make
# with a PATH that lacks some tools. Ends with "N passed, N failed, N skipped".
B=${B:-build}
dir=$B/tools-check
rm -rf "$dir"; mkdir -p "$dir"
passed=0; failed=0; skipped=0
unset MAKEFLAGS MAKELEVEL MFLAGS
make=$(command -v make)

check() {   # NAME WANT_RC SUBSTRING... (output in $out, exit status in $rc)
  name=$1; want=$2; shift 2; ok=1
  [ "$rc" = "$want" ] || { ok=0; echo "FAIL $name: exit $rc, expected $want"; }
  for s in "$@"; do
    case "$out" in *"$s"*) ;; *) ok=0; echo "FAIL $name: output lacks: $s";; esac
  done
  case "$out" in *"No such file or directory"*|*"command not found"*) ok=0; echo "FAIL $name: make ran a missing program";; esac
  if [ $ok = 1 ]; then passed=$((passed + 1)); echo "ok $name"; else failed=$((failed + 1)); printf '%s\n' "$out" | sed 's/^/    | /'; fi
}

# a bin folder holding links to every program make needs here but those named
path_without() {
  bin=$dir/bin-$(echo "$*" | tr ' +' '_p')
  mkdir -p "$bin"
  for t in sh make cc gcc g++ clang clang++ pkg-config sed cat mkdir rm cp chmod; do
    case " $* " in *" $t "*) continue ;; esac
    p=$(command -v "$t") && ln -sf "$p" "$bin/$t"
  done
  echo "$bin"
}

for t in cc gcc g++ clang clang++ pkg-config; do
  command -v "$t" >/dev/null 2>&1 || { skipped=$((skipped + 1)); echo "skip check_missing_tools: $t is not installed, so the checks that hide it cannot run"; echo "$passed passed, $failed failed, $skipped skipped"; exit 0; }
done

# every tool here: the checks say nothing and pass
out=$("$make" -s check-tools check-tools-demo 2>&1); rc=$?
check tools_all_found 0
[ -z "$out" ] || { failed=$((failed + 1)); echo "FAIL tools_all_found_silent: $out"; }

# `make test` checks before it builds: the tools check is its first command
out=$("$make" -n test B="$dir/b" 2>&1 | head -n 1); rc=0
check test_checks_tools_first 0 'tests/need_tools.sh "make test"'
out=$("$make" -n demo B="$dir/b" 2>&1 | head -n 1); rc=0
check demo_checks_tools_first 0 'tests/need_tools.sh "make demo"'

# the fresh machine of the issue: no clang (nor clang++)
out=$(PATH=$(path_without clang clang++) "$make" test B="$dir/b" 2>&1); rc=$?
check test_without_clang 2 'make test needs clang clang++' 'apt-get install clang '
[ ! -d "$dir/b" ] || { failed=$((failed + 1)); echo "FAIL test_without_clang_builds_nothing: $dir/b was made"; }
out=$(PATH=$(path_without g++ pkg-config) "$make" test B="$dir/b" 2>&1); rc=$?
check test_without_gxx_pkgconfig 2 'make test needs pkg-config g++' 'apt-get install pkg-config build-essential '
out=$(PATH=$(path_without cc) "$make" demo B="$dir/b" 2>&1); rc=$?
check demo_without_cc 2 'make demo needs cc' 'apt-get install build-essential '
out=$("$make" check-tools CLANG=clang-99 CLANGXX=clang++-99 2>&1); rc=$?
check test_names_the_clang_given 2 'make test needs clang-99 clang++-99' 'apt-get install clang-99 ' 'CLANG=...'

rm -rf "$dir"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
