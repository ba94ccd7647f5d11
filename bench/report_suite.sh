# shellcheck shell=bash
# The test-suite section of RESULTS.md and issue 8's targets, from $R/suite.csv (bench/suite.sh).

SUITE_LIMIT_S=150

report_suite_targets() {
	[ -s "$R/suite.csv" ] || return 0
	local wall passed failed
	IFS=, read -r _ wall passed failed < <(grep '^suite,' "$R/suite.csv")
	echo "## Targets (issue 8), this run"
	echo
	echo "| target | measured | limit | |"
	echo "|---|---:|---:|---|"
	echo "| \`make test\` on a clean clone, packages installed (wall) | ${wall} s | ≤ ${SUITE_LIMIT_S} s | $(
		awk -v w="$wall" -v l="$SUITE_LIMIT_S" -v f="$failed" -v p="$passed" \
			'BEGIN { print (w <= l && f == 0 && p > 0) ? "met" : "**missed**" }') |"
	echo
	echo "That run: ${passed} passed, ${failed} failed. Fuzzer smoke runs in it (about 20 s each, beside the other tests on 2 CPUs):"
	echo
	echo "| fuzzer | what it checks | executions per second |"
	echo "|---|---|---:|"
	local name rate what
	while IFS=, read -r _ name rate; do
		case $name in
		config) what="config loader: no crash, leak or UB; one-line diagnostics" ;;
		lanes) what="fast YAML lane against libyaml: same verdict, rules and messages" ;;
		setfile) what="list-file reader: no crash, leak or UB; every line accounted for" ;;
		frame) what="datapath (BPF_PROG_TEST_RUN) against the reference classifier" ;;
		*) what="" ;;
		esac
		echo "| \`fuzz_$name\` | $what | ${rate:-—} |"
	done < <(grep '^fuzz,' "$R/suite.csv")
	echo
}
