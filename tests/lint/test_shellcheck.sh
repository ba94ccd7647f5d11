#!/bin/bash
# Every shell script in the tree (*.sh, or a sh/bash shebang) passes the
# linter shellcheck, set up by .shellcheckrc; one TAP line per script.
set -u
cd "$(dirname "$0")/../.." || exit 1

if ! command -v shellcheck >/dev/null; then
	echo "not ok - shellcheck is not installed (make deps)"
	exit 1
fi

is_shell_script() {
	case $1 in *.sh) return 0 ;; esac
	head -n 1 "$1" 2>/dev/null | grep -qE '^#!.*(/|env )(ba|da)?sh( |$)'
}

mapfile -t scripts < <(find . \( -path ./build -o -path ./.git \) -prune -o -type f -print |
	sed 's|^\./||' | sort | while read -r f; do is_shell_script "$f" && echo "$f"; done)

out_dir=$(mktemp -d)
trap 'rm -rf "$out_dir"' EXIT
# One shellcheck per script, as many at once as there are CPUs: a script
# takes up to seconds, and there are dozens.
# shellcheck disable=SC2016 # expanded by the inner sh
for i in "${!scripts[@]}"; do printf '%s\0%s\0' "$i" "${scripts[$i]}"; done |
	xargs -0 -n 2 -P "$(nproc)" sh -c 'shellcheck -f gcc "$2" >"$0/$1.out" 2>&1; echo $? >"$0/$1.rc"' "$out_dir"

n=0
fails=0
for i in "${!scripts[@]}"; do
	n=$((n + 1))
	f=${scripts[$i]}
	if [ "$(cat "$out_dir/$i.rc" 2>/dev/null)" = 0 ]; then
		echo "ok $n - shellcheck $f"
	else
		fails=$((fails + 1))
		echo "not ok $n - shellcheck $f"
		while IFS= read -r line; do echo "# $line"; done <"$out_dir/$i.out"
	fi
done
echo "1..$n"
[ "$n" -gt 0 ] && [ "$fails" -eq 0 ]
