# shellcheck shell=bash
# Issue 12's targets and section of RESULTS.md: from a write of a watched
# config to its enforcement, from $R/watch.csv (bench/watch.sh). Uses
# report_issue11.sh's i11_none.

# i12_watch N: "MEDIAN WORST COUNT MEDIAN_PARSE MEDIAN_KERNEL" of the writes of an N-rule config, or nothing.
i12_watch() {
	[ -s "$R/watch.csv" ] || return 0
	awk -F, -v n="$1" '
	function med(a, k,   i, j, t) {
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	$1 == "watch" && $2 == n {
		k++; ms[k] = $5; p[k] = $7; kern[k] = $8
		if ($5 + 0 > worst) worst = $5 + 0
	}
	END { if (k) printf "%.1f %.1f %d %.1f %.1f\n", med(ms, k), worst, k, med(p, k), med(kern, k) }' "$R/watch.csv"
}

# i12_sizes: the config sizes watch.csv has, in order.
i12_sizes() {
	[ -s "$R/watch.csv" ] || return 0
	awk -F, '$1 == "watch" && !seen[$2]++ {print $2}' "$R/watch.csv"
}

report_issue12_targets() {
	local n med worst k why name
	echo "## Targets (issue 12), this run"
	echo
	echo "| target | measured | limit | |"
	echo "|---|---:|---:|---|"
	why=$(i11_missing watch)
	if [ -n "$why" ] || [ -z "$(i12_sizes)" ]; then
		i10_unmeasured "a change in a watched file is enforced after the write" "≤ 300 ms" \
			"${why:-no results in this run}"
	fi
	for n in $(i12_sizes); do
		read -r med worst k _ < <(i12_watch "$n") || true
		name="a change in a watched file is enforced after the write, $n rules"
		target_row "$name, median of ${k:-?}" "$med" "300 ms" "≤" "${med:+$med ms}"
		target_row "$name, worst of ${k:-?}" "$worst" "300 ms" "≤" "${worst:+$worst ms}"
	done
	i12_deb_row
	echo
}

report_issue12() {
	echo "## 8. Watched configs (issue 12)"
	echo
	report_issue12_watch
}

report_issue12_watch() {
	local n med worst k parse kern
	echo "### From a write to enforcement, \`run --watch\`"
	echo
	i11_none watch && return
	echo "\`xdpfw run --watch\` of N drop rules (\`bench/mkconf.sh\`), the first writes' rules passing; each write turns"
	echo "one of them to drop, and \`bench/enforcewait\` starts the write, then runs the pinned program on a frame from"
	echo "that rule's source every millisecond until it drops it. Writes take turns: a rename-on-save (\`mv\` of a file"
	echo "written beside it) and an edit in place (\`cp\` over it). The daemon reloads once no event came for 50 ms; the"
	echo "next write waits for its log line (\`bench/watch.sh\`)."
	echo
	echo "| rules | writes | median (ms) | worst (ms) | median parse (ms) | median kernel (ms) | reloads logged |"
	echo "|---:|---:|---:|---:|---:|---:|---:|"
	for n in $(i12_sizes); do
		read -r med worst k parse kern < <(i12_watch "$n") || true
		echo "| $n | ${k:-0} | ${med:-—} | ${worst:-—} | ${parse:-—} | ${kern:-—} | $(awk -F, -v n="$n" '$1 == "reloads" && $2 == n {print $3}' "$R/watch.csv") |"
	done
	echo
}
