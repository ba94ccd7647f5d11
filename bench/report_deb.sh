# shellcheck shell=bash
# Issue 12's "make deb ≤ 2 minutes" target, from $R/deb.csv (bench/deb.sh).
DEB_LIMIT_S=120

# i12_deb_row: the row of the issue 12 targets table (median of the builds;
# missed if any build made no .deb).
i12_deb_row() {
	local med reps failed
	[ -s "$R/deb.csv" ] && read -r med reps failed < <(awk -F, '$1=="deb" {
		n++; t[n]=$3; if ($4 != 1) bad++ }
		END {
			if (!n) exit
			for (i=1; i<=n; i++) for (j=i+1; j<=n; j++) if (t[j]<t[i]) { x=t[i]; t[i]=t[j]; t[j]=x }
			printf "%.1f %d %d\n", n%2 ? t[(n+1)/2] : (t[n/2]+t[n/2+1])/2, n, bad + 0
		}' "$R/deb.csv")
	if [ -n "${failed:-}" ] && [ "$failed" -gt 0 ]; then
		echo "| \`make deb\` on a clean clone (wall, median of $reps) | $failed of $reps builds failed | ≤ $DEB_LIMIT_S s | **missed** |"
		return
	fi
	target_row "\`make deb\` on a clean clone (wall, median of ${reps:-0})" "${med:-}" "$DEB_LIMIT_S s" "≤" "${med:+$med s}"
}
