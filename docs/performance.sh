#!/usr/bin/env bash
# Compares ffivet with go vet on the same packages, warm caches, and
# prints a Markdown table of medians over N runs. Used to write
# docs/performance.md; run it with `make perf` from a module that has the
# packages (the default is this repository and its demo).
#
#   docs/performance.sh [-n runs] [-C dir] package...
set -euo pipefail
runs=5
dir=.
while getopts n:C: opt; do
	case $opt in
	n) runs=$OPTARG ;;
	C) dir=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
ffivet=${FFIVET:-$(command -v ffivet)}
cd "$dir"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

seconds() { # command... -> wall seconds
	local start end
	start=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	end=$(date +%s.%N)
	echo "$end - $start" | bc
}

echo "| packages | go vet (s) | ffivet (s) | ratio |"
echo "|---|---|---|---|"
for pkg in "$@"; do
	# Warm both: the go command's build cache, and go vet's result cache.
	go vet "$pkg" >/dev/null 2>&1 || true
	"$ffivet" "$pkg" >/dev/null 2>&1 || true
	vet=$(for _ in $(seq "$runs"); do seconds go vet "$pkg"; done | median)
	ff=$(for _ in $(seq "$runs"); do seconds "$ffivet" "$pkg"; done | median)
	ratio=$(echo "scale=1; $ff / $vet" | bc)
	printf '| `%s` | %.2f | %.2f | %sx |\n' "$pkg" "$vet" "$ff" "$ratio"
done
