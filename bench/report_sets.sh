# shellcheck shell=bash
# Issue 9's sections of RESULTS.md and its targets, from $R/pktset.csv and
# $R/pktexact.csv (bench/pktset.sh), $R/sets.csv (bench/sets.sh), and the
# pktcost, wire and control CSVs.

# ps_med FILE FAMILY CASE one|rotate PROG: the median of a pc9 line.
ps_med() {
	[ -s "$R/$1.csv" ] || return 0
	awk -F, -v fam="$2" -v c="$3" -v m="$4" -v p="$5" \
		'$1=="pc9" && $4==fam && $5==c && $6==m && $7==p {print $8; exit}' "$R/$1.csv"
}

# ps_ratio FILE FAMILY CASE MODE NUM DEN
ps_ratio() {
	local a b
	a=$(ps_med "$1" "$2" "$3" "$4" "$5")
	b=$(ps_med "$1" "$2" "$3" "$4" "$6")
	div "$a" "$b"
}

# The hot hit case of a family with the highest xdpfw ÷ DEN_PROG ratio: "CASE RATIO".
ps_worst_hit() {
	[ -s "$R/pktset.csv" ] || return 0
	awk -F, -v fam="$1" -v den="$2" '
	$1=="pc9" && $4==fam && $6=="one" && $5 ~ /^hit\// { v[$5,$7]=$8; c[$5]=1 }
	END { for (k in c) if (v[k,den] > 0 && v[k,"xdpfw"]/v[k,den] > w) { w=v[k,"xdpfw"]/v[k,den]; wk=k }
		if (wk != "") printf "%s %.2f\n", wk, w }' "$R/pktset.csv"
}

div() { # A B [FORMAT]: A ÷ B, nothing when either is missing
	if [ -n "$1" ] && [ -n "$2" ]; then awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN {printf f, a / b}'; fi
}

ratio_row() { # NAME RATIO LIMIT [OP]
	target_row "$1" "$2" "${3}×" "${4:-≤}" "${2:+${2}×}"
}

sets_val() { # KIND FAMILY FIELD: field of the first matching line of sets.csv
	[ -s "$R/sets.csv" ] || return 0
	awk -F, -v k="$1" -v fam="$2" -v f="$3" '$1==k && $2==fam {print $f; exit}' "$R/sets.csv"
}

sets_med() { # KIND FAMILY FIELD: median over repetitions
	[ -s "$R/sets.csv" ] || return 0
	awk -F, -v k="$1" -v fam="$2" -v f="$3" '
	$1==k && $2==fam && $f ~ /^[0-9.]+$/ { v[++m]=$f }
	END { if (!m) exit
		for (i=1; i<=m; i++) for (j=i+1; j<=m; j++) if (v[j]<v[i]) { t=v[i]; v[i]=v[j]; v[j]=t }
		printf "%s\n", m%2 ? v[(m+1)/2] : (v[m/2]+v[m/2+1])/2 }' "$R/sets.csv"
}

# Per element: (memlock - empty config's) / N, bytes.
sets_per_element() {
	[ -s "$R/sets.csv" ] || return 0
	awk -F, -v fam="$1" '$1=="mem" && $2==fam {printf "%.0f\n", ($4 - $5) / $3; exit}' "$R/sets.csv"
}

par_ratio() { # FAMILY PROG: both CPUs ÷ alone, per packet
	[ -s "$R/pktset.csv" ] || return 0
	awk -F, -v fam="$1" -v p="$2" '$1=="par9" && $2==fam && $4==p {printf "%.2f\n", ($7 + $8) / ($5 + $6); exit}' "$R/pktset.csv"
}

report_issue9_targets() {
	local n fam r w c a ip nf pe s
	echo "## Targets (issue 9), this run"
	echo
	echo "| target | measured | limit | |"
	echo "|---|---:|---:|---|"
	for n in 1000 1000000; do
		for fam in v4 v6; do
			ratio_row "(source, port, proto) hit ÷ parse + {addr, port, proto} lookup + atomic, $n rules, $fam, hot" \
				"$(pc_ratio "$n" "$fam" hit xdpfw_port floor_port_hit)" 1.3
			ratio_row "source-only hit ÷ parse + lookup + atomic, $n rules, $fam, hot" \
				"$(pc_ratio "$n" "$fam" hit xdpfw floor_hit)" 1.25
			ratio_row "exact-address miss ÷ parse + miss, $n rules, $fam, hot" \
				"$(pc_ratio "$n" "$fam" miss xdpfw floor_miss)" 1.15
		done
	done
	for fam in v4 v6; do
		ratio_row "exact-address hit ÷ xdp-filter's, 1M $fam sources in rotation (cold)" \
			"$(ps_ratio pktexact "$fam" hit rotate xdpfw xdp_filter)" 1.0
	done
	for fam in v4 v6; do
		ratio_row "1M set ($fam), hot miss ÷ parse + exact-hash miss" \
			"$(ps_ratio pktset "$fam" miss one xdpfw floor_miss)" 1.5
		w=$(ps_worst_hit "$fam" floor_hit)
		ratio_row "1M set ($fam), hot hit ÷ parse + hit + atomic (worst: ${w%% *})" "${w#* }" 1.5
		ratio_row "1M set ($fam), hot miss ÷ parse + LPM trie" \
			"$(ps_ratio pktset "$fam" miss one xdpfw floor_lpm)" 0.5
		w=$(ps_worst_hit "$fam" floor_lpm)
		ratio_row "1M set ($fam), hot hit ÷ parse + LPM trie (worst: ${w%% *})" "${w#* }" 0.5
		for c in hit miss; do
			ratio_row "1M set ($fam), $c, 1M sources in rotation (cold) ÷ parse + LPM trie" \
				"$(ps_ratio pktset "$fam" "$c" rotate xdpfw floor_lpm)" 0.5
		done
	done
	if declare -F wire_value >/dev/null; then
		a=$(wire_value xdpfw_set 2)
		c=$(wire_value xdpfw_native 2)
		r=$(div "$a" "$c")
		ratio_row "wire: 1M-element set ÷ exact-match rules (pps, native)" "$r" 0.9 "≥"
	fi
	for fam in v4 v6; do
		ratio_row "one set rule, two CPUs at once ÷ one alone, per packet ($fam, hot hit)" "$(par_ratio "$fam" xdpfw)" 1.3
	done
	a=$(sets_med apply v4 5)
	target_row "1M-element list-file set (IPv4), apply end to end" "$a" "0.5 s" "≤" "${a:+$a s}"
	ip=$(sets_med ipset v4 5)
	nf=$(sets_med nft v4 5)
	r=$(div "$a" "$ip")
	ratio_row "the same ÷ \`ipset restore\` (hash:net, ${ip:-?} s)" "$r" 0.3
	r=$(div "$a" "$nf")
	ratio_row "the same ÷ \`nft -f\` (interval set, ${nf:-?} s)" "$r" 0.3
	r=""
	[ -s "$R/sets.csv" ] && r=$(awk -F, '$1=="reload" && $5 ~ /^[0-9.]+$/ {v[++m]=$5}
		END { if (!m) exit; for (i=1; i<=m; i++) for (j=i+1; j<=m; j++) if (v[j]<v[i]) { t=v[i]; v[i]=v[j]; v[j]=t }
		print m%2 ? v[(m+1)/2] : (v[m/2]+v[m/2+1])/2 }' "$R/sets.csv")
	target_row "one changed element in a 1M set, SIGHUP → enforced" "$r" "50 ms" "≤" "${r:+$r ms}"
	for fam in v4 v6; do
		pe=$(sets_per_element "$fam")
		ip=$(sets_val ipsetmem "$fam" 4)
		s=$(div "$ip" 1000000 ", ipset %.0f")
		target_row "kernel memory per element, 1M $fam set, both copies (bpftool memlock − empty config)" \
			"$pe" "$([ "$fam" = v4 ] && echo 80 || echo 120) bytes" "≤" "${pe:+$pe bytes$s}"
	done
	if [ -s "$R/sets.csv" ] && grep -q '^big,' "$R/sets.csv"; then
		IFS=, read -r _ n s a _ <<<"$(grep '^big,' "$R/sets.csv")"
		if [ "$s" = failed ]; then
			echo "| $n IPv4 elements load | failed | loads | **missed** |"
		else
			echo "| $n IPv4 elements load | $s s, $(awk -v b="$a" 'BEGIN {printf "%.2f GB", b / 1e9}') kernel | loads | met |"
		fi
	fi
	if [ -s "$R/control.csv" ]; then
		a=$(awk -F, '$1=="mem" && $2==1000000 {printf "%.0f", $5 / 1e6}' "$R/control.csv")
		target_row "kernel maps at 1M rules (every pinned map's memlock)" "$a" "250 MB" "≤" "${a:+$a MB}"
	fi
	echo
	if [ -s "$R/control.csv" ] && grep -q '^map,1000000,' "$R/control.csv"; then
		echo "Kernel maps at 1M rules, the largest (MB): $(awk -F, '$1=="map" && $2==1000000 && $4 >= 1e6 {printf "%s%s %.0f", n++ ? ", " : "", $3, $4 / 1e6}' "$R/control.csv")."
	fi
	echo
}

report_pktset() {
	echo "## 4. Prefix sets per packet (issue 9)"
	echo
	if [ ! -s "$R/pktset.csv" ]; then
		echo "_Not measured in this run._"
		echo
		return
	fi
	local params
	params=$(awk -F, '$1=="params9" {printf "%s elements per family, up to %s runs per call (fewer for slow cases, about 0.25 s a call), median of %s calls", $3, $4, $5}' "$R/pktset.csv")
	echo "One drop rule on a synthetic IPv4 set and one on an IPv6 set ($params; \`bench/synth.h\`), and the floor"
	echo "of each candidate structure holding the same prefixes, through \`BPF_PROG_TEST_RUN\` as in section 1."
	echo "The floors (\`bench/floor_prefix.bpf.c\`) each parse, look up and add atomically on a hit: the kernel LPM trie (one lookup);"
	echo "one hash per length present, folded into one hash keyed {length, address} and probed longest first in a bounded loop"
	echo "(IPv4: $(grep -c '^len9,v4' "$R/pktset.csv") lengths, IPv6: $(grep -c '^len9,v6' "$R/pktset.csv")); the same through \`bpf_loop\` reading each length from a map, as xdpfw walks IPv6"
	echo "(IPv6 only); guided: a hash of the /32s that hold elements, each listing the lengths present in it, so a miss costs"
	echo "one lookup and a hit one more per length listed (IPv6 only); DIR-24-8 as DPDK's rte_lpm (2^24 entries, 256-entry"
	echo "groups for /25-/31) after an exact hash of the /32s, the order xdpfw reads its trie in (IPv4 only)."
	echo "IPv4 takes FireHOL level1's prefix-length mix: lengths up to /16 as many as in the file, longer ones scaled up;"
	echo "IPv6 takes 2% /32, 20% /48, 10% /56, 38% /64 and 30% /128 (allocations beside attack sources). Elements do not overlap."
	echo "Hot cases use one source in the middle of the first element of a length; \`rotate\` walks 1M sources, each inside"
	echo "a random element (hit) or in no element (miss), copied whole from a shuffled table by the rotor (its cost: the bare"
	echo "XDP_DROP column). The exact-hash floors hold the 1M hit sources as exact keys."
	echo
	echo "Elements per length: $(awk -F, '$1=="len9" {a[$2]=a[$2] sprintf("%s/%s: %s, ", "", $3, $4)} END {printf "IPv4 %s; IPv6 %s", a["v4"], a["v6"]}' "$R/pktset.csv" | sed 's/, ;/;/; s/, $//')."
	echo
	awk -F, '
	$1=="pc9" {
		k=$4 SUBSEP $5 SUBSEP $6
		if (!(k in seen)) { seen[k]=1; order[++n]=k }
		med[k,$7]=$8; cell[k,$7]=sprintf("%.1f (%.1f–%.1f)", $8, $9, $10); act[k,$7]=$11
	}
	function c(k, p) { return (k,p) in cell ? cell[k,p] : "—" }
	function r(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f×", a / b) : "—" }
	END {
		print "| family | case (xdpfw verdict) | frames | bare XDP_DROP | parse | exact hash: miss / hit+atomic | kernel LPM trie | hash per length | hash per length, bpf_loop | guided hash per length | DIR-24-8 + exact | **xdpfw** | xdpfw ÷ exact floor | xdpfw ÷ LPM trie |"
		print "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		for (i=1; i<=n; i++) {
			k=order[i]; split(k, f, SUBSEP)
			ex = f[2] ~ /^hit/ ? "floor_hit" : "floor_miss"
			v = act[k,"xdpfw"]==1 ? "drop" : "pass"
			printf "| %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | **%s** | %s | %s |\n", f[1], f[2], v, f[3],
				c(k,"floor_drop"), c(k,"floor_parse"), c(k,ex), c(k,"floor_lpm"), c(k,"floor_plen"),
				c(k,"floor_plen_loop"), c(k,"floor_guided"), c(k,"floor_dir24"), c(k,"xdpfw"),
				r(med[k,"xdpfw"], med[k,ex]), r(med[k,"xdpfw"], med[k,"floor_lpm"])
		}
	}' "$R/pktset.csv"
	echo
	awk -F, '$1=="compiled9" {printf "xdpfw compiled the sets into %s IPv4 exact entries, %s trie blocks of 1 KiB (beside the 256 KiB root), %s classes, %s IPv6 exact entries and %s IPv6 prefixes.\n\n", $2, $3, $4, $5, $6}' "$R/pktset.csv"
	echo "Kernel memory of each structure holding the set (one copy; xdpfw keeps two, for the atomic swap), and the time"
	echo "to fill it from userspace in the same process (xdpfw: \`fw_datapath_sync\` of both sets, compile included):"
	echo
	echo "| structure | IPv4: MB | bytes per element | fill (s) | IPv6: MB | bytes per element | fill (s) |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	awk -F, '
	$1=="mem9" { if (!($2 in seen)) { seen[$2]=1; order[++n]=$2 } b[$2,$3]=$4; t[$2,$3]=$5; e[$2,$3]=$6 }
	function cells(s, fam) {
		if (!((s,fam) in b)) return "— | — | —"
		return sprintf("%.1f | %.0f | %s", b[s,fam] / 1e6, b[s,fam] / e[s,fam], t[s,fam] > 0 ? sprintf("%.2f", t[s,fam]) : "—")
	}
	BEGIN {
		name["xdpfw"]="**xdpfw** (IPv4: exact hash + 16-8-8 trie + classes; IPv6: exact hash + hash per length)"
		name["lpm_trie"]="kernel LPM trie"; name["hash_per_length"]="one hash per length ({length, address} keys)"
		name["dir_24_8"]="DIR-24-8 + exact hash for /32"; name["exact_hash"]="exact hash of 1M addresses (the floor)"
		name["guided_hash_per_length"]="guided hash per length (the hash per length + a /32 guide)"
	}
	END {
		for (i=1; i<=n; i++) {
			s=order[i]; label = s in name ? name[s] : s
			if (s ~ /^xdpfw:/) label = "xdpfw, of which " substr(s, 7)
			printf "| %s | %s | %s |\n", label, cells(s, "v4"), cells(s, "v6")
		}
	}' "$R/pktset.csv"
	echo
	echo "One set rule taking every packet from both CPUs: each CPU test-runs the same hot hit frame alone, then both at"
	echo "once (threads pinned to CPU 0 and 1, \`bench/par.c\`; ns per packet, wall time ÷ repeat):"
	echo
	echo "| family | case | program | CPU 0 alone | CPU 1 alone | CPU 0 with 1 | CPU 1 with 0 | both ÷ alone | ÷ bare XDP_DROP's both ÷ alone |"
	echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
	awk -F, '$1=="par9" && $4=="floor_drop" {machine = ($7 + $8) / ($5 + $6)}
	$1=="par9" { line[++n] = $0 }
	END { for (i=1; i<=n; i++) { split(line[i], f, ",")
		label = f[4] == "floor_hit_percpu" ? "floor: exact hash hit + a per-CPU counter" : f[4] == "floor_hit" ? "floor: exact hash hit + atomic" : f[4] == "floor_lpm" ? "floor: LPM trie hit + atomic" : f[4] == "floor_drop" ? "bare XDP_DROP" : "**" f[4] "**"
		r = (f[7] + f[8]) / (f[5] + f[6])
		printf "| %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %.2f× | %s |\n", f[2], f[3], label, f[5], f[6], f[7], f[8], r, (machine > 0 ? sprintf("%.2f×", r / machine) : "—") } }' "$R/pktset.csv"
	echo
	echo "Two programs that share nothing slow each other down only through the machine (SMT siblings, the host): the bare"
	echo "XDP_DROP row shows how much; the last column divides it out."
	echo
	report_pktexact
}

report_pktexact() {
	[ -s "$R/pktexact.csv" ] || return 0
	echo "Exact-address rules, every source in rotation: $(awk -F, '$1=="params9" {printf "%s IPv4 and %s IPv6 drop rules on random sources", $3, $3}' "$R/pktexact.csv"),"
	echo "the rotor walking all of them (hit) or as many sources that match no rule (miss); \`one\`: the first of them, hot."
	echo
	awk -F, '
	$1=="pc9" {
		k=$4 SUBSEP $5 SUBSEP $6
		if (!(k in seen)) { seen[k]=1; order[++n]=k }
		med[k,$7]=$8; cell[k,$7]=sprintf("%.1f (%.1f–%.1f)", $8, $9, $10)
	}
	function c(k, p) { return (k,p) in cell ? cell[k,p] : "—" }
	function r(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f×", a / b) : "—" }
	END {
		print "| family | case | frames | bare XDP_DROP | parse | floor | xdp-filter | **xdpfw** | xdpfw ÷ floor | xdpfw ÷ xdp-filter |"
		print "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
		for (i=1; i<=n; i++) {
			k=order[i]; split(k, f, SUBSEP)
			fl = f[2]=="hit" ? "floor_hit" : "floor_miss"
			printf "| %s | %s | %s | %s | %s | %s | %s | **%s** | %s | %s |\n", f[1], f[2], f[3], c(k,"floor_drop"),
				c(k,"floor_parse"), c(k,fl), c(k,"xdp_filter"), c(k,"xdpfw"), r(med[k,"xdpfw"], med[k,fl]),
				r(med[k,"xdpfw"], med[k,"xdp_filter"])
		}
	}' "$R/pktexact.csv"
	echo
}

report_sets() {
	echo "## 5. Prefix sets: apply, reload and memory (issue 9)"
	echo
	if [ ! -s "$R/sets.csv" ]; then
		echo "_Not measured in this run._"
		echo
		return
	fi
	local n
	n=$(awk -F, '$1=="apply" {print $3; exit}' "$R/sets.csv")
	echo "A list file of the synthetic set of section 4 ($n elements; FireHOL style, bare addresses for /32 and /128) named by"
	echo "one rule \`src: \"@big\"\`, \`action: drop\`. \`apply\` is end to end into a fresh pin dir; its log splits parse and kernel."
	echo "\`ipset restore\` (hash:net) and \`nft -f\` (an interval set) load the same elements in a fresh namespace."
	echo "Memory: every map pinned (\`bpftool map show\`, memlock), minus what an empty config pins (the same maps, empty)."
	echo "The reload removes 198.18.0.0/24 from the list file (or puts it back) and times SIGHUP → the new verdict for 198.18.0.7."
	echo
	echo "| family | check (s) | apply (s) | of which parse / kernel (ms) | \`ipset restore\` (s) | \`nft -f\` (s) | kernel memory (MB) | per element (bytes) | ipset's \"Size in memory\" (MB, bytes per element) |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	local fam
	for fam in v4 v6; do
		awk -F, -v fam="$fam" -v check="$(sets_med check "$fam" 5)" -v apply="$(sets_med apply "$fam" 5)" \
			-v parse="$(sets_med apply "$fam" 6)" -v kern="$(sets_med apply "$fam" 7)" \
			-v ipset="$(sets_med ipset "$fam" 5)" -v nft="$(sets_med nft "$fam" 5)" '
		$1=="mem" && $2==fam { mem=$4; empty=$5; n=$3 }
		$1=="ipsetmem" && $2==fam { ipm=$4 }
		END {
			if (n == "") exit
			printf "| %s | %s | %s | %s / %s | %s | %s | %.1f (empty config %.1f) | %.0f | %s |\n", fam, check, apply, parse, kern,
				ipset == "" ? "—" : ipset, nft == "" ? "—" : nft, mem / 1e6, empty / 1e6, (mem - empty) / n,
				ipm == "" ? "—" : sprintf("%.1f, %.0f", ipm / 1e6, ipm / n)
		}' "$R/sets.csv"
	done
	echo
	echo "Map by map (both copies of every per-set map; MB):"
	echo
	echo "| map | IPv4 set | IPv6 set |"
	echo "|---|---:|---:|"
	awk -F, '$1=="map" { if (!($4 in seen)) { seen[$4]=1; order[++n]=$4 } b[$4,$2]=$5 }
		END { for (i=1; i<=n; i++) printf "| %s | %.1f | %.1f |\n", order[i], b[order[i],"v4"] / 1e6, b[order[i],"v6"] / 1e6 }' "$R/sets.csv"
	echo
	echo "Reload, one changed element, SIGHUP → verdict in ms (to; the daemon's parse / kernel ms for it): $(awk -F, '$1=="reload" {printf "%s%s (%s; %s / %s)", n++ ? ", " : "", $5, $4, $6, $7}' "$R/sets.csv")."
	if grep -q '^big,' "$R/sets.csv"; then
		awk -F, '$1=="big" {
			if ($3 == "failed") printf "\n%s IPv4 elements: `apply` failed (%.1f GiB available before).\n", $2, $7 / 1048576
			else printf "\n%s IPv4 elements (the same mix, /24-/32 scaled up): `apply` took %s s with a peak RSS of %.0f MiB; the kernel maps hold %.2f GB (%.0f bytes per element); %.1f GiB were available before.\n", $2, $3, $6 / 1024, $4 / 1e9, ($4 - $5) / $2, $7 / 1048576 }' "$R/sets.csv"
	fi
	echo
}
