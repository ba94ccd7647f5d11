# shellcheck shell=bash
# The wire section of RESULTS.md, from $R/wire.csv (bench/wire.sh).

# wire_stats [CSV]: CASE,MPPS_MED,MPPS_MIN,MPPS_MAX,CPU_NS_MED,CPU_NS_MIN,CPU_NS_MAX,REPS per
# case of bench/wire.sh's output (default $R/wire.csv).
wire_stats() {
	local csv=${1:-$R/wire.csv}
	[ -s "$csv" ] || return 0
	awk -F, '$1=="wire" && $4>0 {
		if (!($2 in seen)) { seen[$2]=1; order[++n]=$2 }
		k=++cnt[$2]; pps[$2,k]=$4/$5/1e6; cpu[$2,k]=$6*1e7/$4
	}
	function med(a, c, m,   i, j, t, v) {
		for (i=1; i<=m; i++) v[i]=a[c,i]
		for (i=1; i<=m; i++) for (j=i+1; j<=m; j++) if (v[j]<v[i]) { t=v[i]; v[i]=v[j]; v[j]=t }
		lo=v[1]; hi=v[m]
		return m%2 ? v[(m+1)/2] : (v[m/2]+v[m/2+1])/2
	}
	END {
		for (i=1; i<=n; i++) {
			c=order[i]; m=cnt[c]
			p=med(pps, c, m); plo=lo; phi=hi
			q=med(cpu, c, m); printf "%s,%.3f,%.3f,%.3f,%.1f,%.1f,%.1f,%d\n", c, p, plo, phi, q, lo, hi, m
		}
	}' "$csv"
}

# wire_pair_table CSV CASE LABEL CASE LABEL: the cases of a ratio, as bench/wireban.sh ran them.
wire_pair_table() {
	echo "| case | Mpps dropped | receiver CPU ns/packet | repetitions |"
	echo "|---|---:|---:|---:|"
	wire_stats "$1" | awk -F, -v a="$2" -v la="$3" -v b="$4" -v lb="$5" '{
		label = $1 == a ? la : $1 == b ? lb : $1
		printf "| %s | %.2f (%.2f–%.2f) | %.1f (%.1f–%.1f) | %d |\n", label, $2, $3, $4, $5, $6, $7, $8 }'
}

wire_value() { # CASE FIELD [CSV]
	wire_stats "${3:-}" | awk -F, -v c="$1" -v f="$2" '$1==c {print $f}'
}

report_wire() {
	echo "## 2. Drop rate on the wire"
	echo
	no_results wire && return
	local secs
	secs=$(awk -F, '$1=="wire" {s=$5} END {printf "%.1f", s}' "$R/wire.csv")
	echo "64-byte UDP from 198.18.0.7 (a rule source) over a veth pair between two namespaces made fresh for each"
	echo "case. The generator is \`bench/wiregen\` (BPF_PROG_TEST_RUN, \`BPF_F_TEST_XDP_LIVE_FRAMES\`, a program"
	echo "returning XDP_TX). Generator and receiver share one CPU (\`taskset\`): the receiving veth's NAPI runs in"
	echo "softirq on the core that transmits, so pps ratios understate the gap between filters; the receiver's CPU"
	echo "time per packet is the softirq time of that core (\`/proc/stat\`, 10 ms ticks) ÷ packets dropped. ${secs} s"
	echo "per repetition; the same set of rule sources as section 1 (IPv4 part only for nftables/ipset)."
	echo "nftables and iptables need GRO on the receiving veth (\`ethtool -K wb gro on\`), so do generic XDP cases."
	echo "iptables is $(command -v iptables-legacy >/dev/null && echo 'iptables-legacy' || echo 'iptables') with \`-m set\` on an ipset \`hash:ip\`."
	echo
	echo "| case | Mpps dropped | receiver CPU ns/packet | xdpfw native ÷ case (pps) | case ÷ xdpfw native (CPU/packet) |"
	echo "|---|---:|---:|---:|---:|"
	local fwp fwc
	fwp=$(wire_value xdpfw_native 2)
	fwc=$(wire_value xdpfw_native 5)
	wire_stats | awk -F, -v fp="$fwp" -v fc="$fwc" '
	BEGIN {
		name["floor_drop"]="bare XDP_DROP (native)"; name["floor_hit"]="floor: parse + lookup + atomic (native)"
		name["xdp_filter"]="xdp-filter (native)"; name["xdpfw_native"]="**xdpfw native**"
		name["xdpfw_set"]="**xdpfw native, one rule on a 1M-element set** (issue 9)"
		name["xdpfw_generic"]="xdpfw generic"; name["nft_ingress"]="nftables netdev ingress"
		name["nft_input"]="nftables inet input"; name["iptables_raw"]="iptables raw PREROUTING"
	}
	{
		r1 = fp != "" ? sprintf("%.2f×", fp/$2) : "—"
		r2 = fc != "" ? sprintf("%.2f×", $5/fc) : "—"
		label = $1
		if ($1 in name) label = name[$1]
		printf "| %s | %.2f (%.2f–%.2f) | %.1f (%.1f–%.1f) | %s | %s |\n", label, $2, $3, $4, $5, $6, $7, r1, r2
	}'
	echo
}

report_wire_targets() {
	local fwp fwc
	fwp=$(wire_value xdpfw_native 2)
	fwc=$(wire_value xdpfw_native 5)
	wire_ratio_row() { # NAME CASE LIMIT FIELD(2 pps, 5 cpu)
		local other r=""
		other=$(wire_value "$2" "$4")
		if [ -n "$other" ] && [ -n "$fwp" ]; then
			if [ "$4" = 2 ]; then
				r=$(awk -v a="$fwp" -v b="$other" 'BEGIN {printf "%.2f", a/b}')
			else
				r=$(awk -v a="$other" -v b="$fwc" 'BEGIN {printf "%.2f", a/b}')
			fi
		fi
		target_row "$1" "$r" "${3}×" "≥" "${r:+${r}×}"
	}
	wire_ratio_row "wire, native, one core: xdpfw ÷ parse+lookup+atomic floor (pps)" floor_hit 0.9 2
	wire_ratio_row "wire: xdpfw ÷ xdp-filter (pps)" xdp_filter 1.1 2
	wire_ratio_row "wire: xdpfw ÷ nft netdev ingress (pps)" nft_ingress 2.3 2
	wire_ratio_row "wire: nft netdev ingress ÷ xdpfw (receiver CPU per packet)" nft_ingress 3 5
}
