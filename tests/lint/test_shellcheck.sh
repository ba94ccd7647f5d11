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

n=0
fails=0
for f in "${scripts[@]}"; do
	n=$((n + 1))
	if out=$(shellcheck -f gcc "$f" 2>&1); then
		echo "ok $n - shellcheck $f"
	else
		fails=$((fails + 1))
		echo "not ok $n - shellcheck $f"
		while IFS= read -r line; do echo "# $line"; done <<<"$out"
	fi
done
echo "1..$n"
[ "$n" -gt 0 ] && [ "$fails" -eq 0 ]
