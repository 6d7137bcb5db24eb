#!/bin/sh
# Checks that the programs a make target runs are installed, and names the
# package that has each missing one, instead of letting make fail with
# "clang: No such file or directory" halfway through:
#   sh tests/need_tools.sh "make test" TOOL=PACKAGE...
# PACKAGE is the Debian/Ubuntu name. Silent, exit 0, when every TOOL is found.
what=$1; shift
missing=; pkgs=
for tp in "$@"; do
  t=${tp%%=*}; p=${tp#*=}
  command -v "$t" >/dev/null 2>&1 && continue
  missing="$missing $t"
  case " $pkgs " in *" $p "*) ;; *) pkgs="$pkgs $p" ;; esac
done
[ -z "$missing" ] && exit 0
{
  echo "$what needs$missing, which this PATH lacks."
  echo "Install:  apt-get install$pkgs   (Debian/Ubuntu package names)"
  echo "or name the compilers to use: make ${what#make } CC=... CLANG=... CLANGXX=..."
} >&2
exit 1
