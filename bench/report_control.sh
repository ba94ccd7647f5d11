# shellcheck shell=bash
# The control-plane section of RESULTS.md, from $R/control.csv (bench/control.sh).

# ctl_med KIND N FIELD [FILTER_FIELD VALUE]: "median min max" of FIELD over matching lines.
ctl_med() {
	[ -s "$R/control.csv" ] || return 0
	awk -F, -v k="$1" -v n="$2" -v f="$3" -v ff="${4:-0}" -v fv="${5:-}" '
	$1==k && $2==n && (ff==0 || $ff==fv) && $f ~ /^[0-9.]+$/ { v[++m]=$f }
	END {
		if (!m) exit
		for (i=1; i<=m; i++) for (j=i+1; j<=m; j++) if (v[j]<v[i]) { t=v[i]; v[i]=v[j]; v[j]=t }
		printf "%s %s %s\n", m%2 ? v[(m+1)/2] : (v[m/2]+v[m/2+1])/2, v[1], v[m]
	}' "$R/control.csv"
}

ctl_cell() { # KIND N FIELD SCALE [FF FV]: "median (min–max)" scaled
	local r
	r=$(ctl_med "$1" "$2" "$3" "${5:-0}" "${6:-}")
	[ -n "$r" ] || { echo "—"; return; }
	awk -v s="$4" -v r="$r" 'BEGIN {split(r, a, " "); printf "%.3g (%.3g–%.3g)", a[1]*s, a[2]*s, a[3]*s}'
}

report_control() {
	echo "## 3. Control plane"
	echo
	no_results control && return
	echo "Configs from \`bench/mkconf.sh\`: N per-rule YAML entries (\`name\`, \`src\`, \`action: drop\`), the sources of section 1."
	echo "\`check\` is the parse and validation alone; \`apply\` is end to end into a fresh pin dir (parse, load, kernel sync, pin)."
	echo "Kernel sync ≈ apply − check. The reload is timed from SIGHUP (sent by \`bench/verdictwait\`) until the pinned"
	echo "program, run on a frame from the changed rule's source, returns the new verdict (rule 7 flipped drop→pass and back)."
	echo "Memory: the daemon's RSS once enforcing (and peak, VmHWM), and the memlock of every map it pinned (\`bpftool map show\`)."
	echo "nft and ipset load the same sources (IPv4 and IPv6 sets) in a fresh namespace."
	echo
	echo "| rules | check (s) | apply (s) | ≈ kernel sync (s) | reload at SIGHUP → verdict (ms) | daemon RSS / peak (MiB) | kernel maps (MiB) | \`nft -f\` (s) | \`ipset restore\` (s) | apply ÷ nft |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	local n
	for n in $(awk -F, '$1=="check" {print $2}' "$R/control.csv" | uniq); do
		local c a nf mem sync ratio
		c=$(ctl_med check "$n" 4 | cut -d' ' -f1)
		a=$(ctl_med apply "$n" 4 | cut -d' ' -f1)
		nf=$(ctl_med nft "$n" 4 | cut -d' ' -f1)
		sync=$(awk -v a="$a" -v c="$c" 'BEGIN {printf "%.3g", a - c}')
		ratio=$(awk -v a="$a" -v b="$nf" 'BEGIN {if (b > 0) printf "%.2f×", a / b; else print "—"}')
		mem=$(awk -F, -v n="$n" '$1=="mem" && $2==n {printf "%.1f / %.1f | %.1f", $3/1024, $4/1024, $5/1048576}' "$R/control.csv")
		echo "| $n | $(ctl_cell check "$n" 4 1) | $(ctl_cell apply "$n" 4 1) | $sync | $(ctl_cell reload "$n" 5 1) | ${mem:-— | —} | $(ctl_cell nft "$n" 4 1) | $(ctl_cell ipset "$n" 4 1) | $ratio |"
	done
	echo
}

report_control_targets() {
	local a c s r nf sync
	if [ -s "$R/pktcost.csv" ]; then
		s=$(awk -F, '$1=="sync" && $2==1000000 {print $3}' "$R/pktcost.csv")
		target_row "kernel-side sync of 1M rules (fw_datapath_sync, in process)" "$s" "0.5 s" "≤" "${s:+$s s}"
	fi
	a=$(ctl_med apply 1000000 4 | cut -d' ' -f1)
	c=$(ctl_med check 1000000 4 | cut -d' ' -f1)
	if [ -n "$a" ] && [ -n "$c" ]; then
		sync=$(awk -v a="$a" -v c="$c" 'BEGIN {printf "%.3f", a - c}')
		target_row "kernel-side sync of 1M rules (apply − check)" "$sync" "0.5 s" "≤" "$sync s"
	fi
	nf=$(ctl_med nft 1000000 4 | cut -d' ' -f1)
	if [ -n "$a" ] && [ -n "$nf" ]; then
		r=$(awk -v a="$a" -v b="$nf" 'BEGIN {printf "%.2f", a / b}')
		target_row "apply of 1M rules, end to end ÷ nft -f of the same set ($nf s)" "$r" "1×" "≤" "$a s = ${r}×"
	fi
	r=$(ctl_med reload 10000 5 | cut -d' ' -f1)
	target_row "one changed rule at 10K rules, SIGHUP → enforced" "$r" "100 ms" "≤" "${r:+$r ms}"
}
