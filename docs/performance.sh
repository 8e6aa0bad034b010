#!/usr/bin/env bash
# Compares ffivet with go vet on the same packages, in one run, and
# prints a Markdown table of medians over N runs: wall seconds of each,
# their ratio, and ffivet's peak memory. Used to write
# docs/performance.md.
#
#   docs/performance.sh [-n runs] [-C dir] [-e file.go] [-a 'ffivet args'] [-l] package...
#
# Without -e, nothing changes between runs: go vet answers from its
# result cache, ffivet from its own. With -e, the named .go file (of the
# packages checked) gets a new comment line before every run of either
# tool, as an edit would, and is restored at the end. With -l, each
# package also gets a row for "ffivet lsp": the median time of a re-check
# in a running server (BenchmarkLSPRecheck in cmd/ffivet), after the
# same edit, beside a fresh median of go vet's.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=5
dir=.
edit=
ffargs=
lsp=
while getopts n:C:e:a:l opt; do
	case $opt in
	n) runs=$OPTARG ;;
	C) dir=$OPTARG ;;
	e) edit=$OPTARG ;;
	a) ffargs=$OPTARG ;;
	l) lsp=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
ffivet=${FFIVET:-$(command -v ffivet)}
cd "$dir"
tmp=$(mktemp -d)
if [ -n "$edit" ]; then
	cp "$edit" "$tmp/edited.go"
	trap 'cp "$tmp/edited.go" "$edit"; rm -rf "$tmp"' EXIT
else
	trap 'rm -rf "$tmp"' EXIT
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure command... -> "wall-seconds peak-KB", after an edit with -e.
measure() {
	if [ -n "$edit" ]; then
		echo "// edited $(date +%s%N)" >>"$edit"
	fi
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>&1 || true
	cat "$tmp/time" | tail -1
}

echo "| packages | case | go vet (s) | ffivet $ffargs (s) | ratio | ffivet peak memory (MB) |"
echo "|---|---|---|---|---|---|"
case_name="unchanged"
[ -n "$edit" ] && case_name="\`$(basename "$edit")\` edited"
for pkg in "$@"; do
	# Warm the go command's build cache and both result caches.
	go vet "$pkg" >/dev/null 2>&1 || true
	# shellcheck disable=SC2086
	"$ffivet" $ffargs "$pkg" >/dev/null 2>&1 || true
	: >"$tmp/vet"
	: >"$tmp/ff"
	for _ in $(seq "$runs"); do
		measure go vet "$pkg" >>"$tmp/vet"
		# shellcheck disable=SC2086
		measure "$ffivet" $ffargs "$pkg" >>"$tmp/ff"
	done
	vet=$(cut -d' ' -f1 "$tmp/vet" | median)
	ff=$(cut -d' ' -f1 "$tmp/ff" | median)
	mem=$(cut -d' ' -f2 "$tmp/ff" | median)
	ratio=$(echo "scale=2; $ff / $vet" | bc)
	printf '| `%s` | %s | %.2f | %.2f | %sx | %d |\n' "$pkg" "$case_name" "$vet" "$ff" "$ratio" "$((mem / 1024))"
	if [ -n "$lsp" ]; then
		# The benchmark edits the file itself; the package must be a
		# directory for the server to check.
		pkgdir=$(go list -f '{{.Dir}}' "$pkg")
		editpath=
		[ -n "$edit" ] && editpath=$(cd "$(dirname "$edit")" && pwd)/$(basename "$edit")
		: >"$tmp/vet"
		for _ in $(seq "$runs"); do
			measure go vet "$pkg" >>"$tmp/vet"
		done
		vet=$(cut -d' ' -f1 "$tmp/vet" | median)
		FFIVET_BENCH_DIR=$pkgdir FFIVET_BENCH_EDIT=$editpath \
			go -C "$repo" test -run '^$' -bench '^BenchmarkLSPRecheck$' -benchtime "${runs}x" -count 1 ./cmd/ffivet >"$tmp/bench" 2>&1 || {
			cat "$tmp/bench" >&2
			exit 1
		}
		ns=$(awk '/^BenchmarkLSPRecheck/ {print $3}' "$tmp/bench")
		lspsec=$(echo "scale=2; $ns / 1000000000" | bc)
		ratio=$(echo "scale=2; $lspsec / $vet" | bc)
		printf '| `%s` | %s, `ffivet lsp` re-check (mean of %s) | %.2f | %.2f | %sx | |\n' "$pkg" "$case_name" "$runs" "$vet" "$lspsec" "$ratio"
	fi
done
