#!/usr/bin/env bash
# Measures ffivet's peak memory and wall time on the public modules of
# `make realworld` and prints a Markdown table: one row per module (the
# standard library's cgo packages are one row), with the packages that
# realworld checks in it. The groups, modules, versions and packages are
# read from cmd/ffivet/realworld_test.go, so the two stay the same. Each
# group gets a scratch module requiring its modules, as realworld builds
# it, and ffivet runs once per module in it, with its result cache off.
#
#   docs/memory.sh [-g group] [-a 'ffivet args'] [-p profiledir]
#
# -g runs only the named group (repeatable), -a passes arguments to
# ffivet (default: -test=false, as realworld runs it), -p writes a CPU
# and a heap profile per module into profiledir. FFIVET names the
# binary (default: ffivet on PATH).
set -euo pipefail
groups=()
ffargs=-test=false
profiles=
while getopts g:a:p: opt; do
	case $opt in
	g) groups+=("$OPTARG") ;;
	a) ffargs=$OPTARG ;;
	p) profiles=$(realpath -m "$OPTARG") && mkdir -p "$profiles" ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
ffivet=$(realpath "${FFIVET:-$(command -v ffivet)}")
list=$(dirname "$(realpath "$0")")/../cmd/ffivet/realworld_test.go
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FFIVET_CACHE=off

# realWorldGroups as lines "group kind value", kind being module (with
# its version) or package.
parse() {
	awk '
		/^var realWorldGroups/ { on = 1 }
		!on { next }
		/^}/ { on = 0 }
		/^\t\tname:/ { match($0, /"[^"]*"/); group = substr($0, RSTART + 1, RLENGTH - 2) }
		/^\t\t(modules|packages|findings):/ { kind = $1; sub(":", "", kind) }
		kind != "" && kind != "findings" {
			line = $0
			while (match(line, /"[^"]*"/)) {
				print group, kind, substr(line, RSTART + 1, RLENGTH - 2)
				line = substr(line, RSTART + RLENGTH)
			}
		}
		/},?$/ { kind = "" }
	' "$list"
}

echo "| module | packages | peak memory (MB) | wall (s) |"
echo "|---|---|---|---|"
for group in $(parse | awk '{print $1}' | uniq); do
	if [ ${#groups[@]} -gt 0 ] && ! printf '%s\n' "${groups[@]}" | grep -qx "$group"; then
		continue
	fi
	dir=$tmp/$group
	mkdir -p "$dir"
	modules=$(parse | awk -v g="$group" '$1 == g && $2 == "modules" {print $3, $4}')
	packages=$(parse | awk -v g="$group" '$1 == g && $2 == "packages" {print $3}')
	{
		printf 'module example.com/realworld\n\ngo 1.26\n\nrequire (\n'
		printf '%s\n' "$modules" | sed 's/^/\t/'
		printf ')\n'
	} >"$dir/go.mod"
	{
		printf 'package main\n\nimport (\n'
		for p in $packages; do
			case ${p%%/*} in *.*) printf '\t_ "%s"\n' "$p" ;; esac
		done
		printf ')\n\nfunc main() {}\n'
	} >"$dir/main.go"
	(cd "$dir" && go mod tidy >/dev/null 2>&1) || { echo "| $group: go mod tidy failed | | | |"; continue; }
	# One run per module, its packages together; std is one more.
	rows=$(printf '%s\n' "$modules" | awk '{print $1}')
	for mod in $rows std; do
		pkgs=()
		for p in $packages; do
			if [ "$mod" = std ]; then
				case ${p%%/*} in *.*) ;; *) pkgs+=("$p") ;; esac
			elif [ "$p" = "$mod" ] || [[ $p == "$mod"/* ]]; then
				pkgs+=("$p")
			fi
		done
		[ ${#pkgs[@]} -eq 0 ] && continue
		prof=()
		if [ -n "$profiles" ]; then
			name=$(echo "$mod" | tr '/' '_')
			prof=(-cpuprofile "$profiles/$name.cpu" -memprofile "$profiles/$name.mem")
		fi
		# shellcheck disable=SC2086
		(cd "$dir" && /usr/bin/time -f '%M %e' -o "$tmp/time" "$ffivet" $ffargs "${prof[@]}" "${pkgs[@]}" >"$tmp/out" 2>&1) || true
		read -r kb wall <"$tmp/time" || true
		if ! [[ ${kb:-} =~ ^[0-9]+$ ]]; then
			# time prints "Command exited with non-zero status N" first.
			read -r kb wall < <(tail -1 "$tmp/time")
		fi
		short=$(printf '%s\n' "${pkgs[@]}" | sed "s|^$mod/||; s|^$mod\$|.|" | paste -sd' ')
		printf '| %s | %s | %d | %.1f |\n' "$mod" "$short" "$((kb / 1024))" "$wall"
	done
done
