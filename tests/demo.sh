#!/bin/sh
# make demo: generate everything from the bundled Xen specs into build/demo/
# and say what was produced.
set -eu
tool=$1 specs=$2 out=$3
mkdir -p "$out"
echo "== validating $specs"
"$tool" validate -i "$specs"
echo
echo "== C headers -> $out/c"
"$tool" -i "$specs" -o "$out/c" -l c --regen-hint "make demo"
for f in $(cd "$out/c" && find . -name '*.h' | sort); do
	printf '   %-28s %5d lines\n' "${f#./}" "$(wc -l < "$out/c/$f")"
done
