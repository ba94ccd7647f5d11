# shellcheck shell=bash
# Issue 10's targets and section of RESULTS.md: bans, limits and CrowdSec,
# from $R/pktbase.csv, pktban.csv, pktlimit.csv (bench/pktban.c), wireban.csv
# (bench/wireban.sh), banfile.csv (bench/banfile.sh) and crowdsec.csv
# (bench/crowdsec.sh).

# i10_med CSV MODE N FAMILY CASE PROG [FIELD]: a pb line's median (or FIELD).
i10_med() {
	[ -s "$R/$1.csv" ] || return 0
	awk -F, -v m="$2" -v n="$3" -v fam="$4" -v c="$5" -v p="$6" -v f="${7:-7}" \
		'$1=="pb" && $2==m && $3==n && $4==fam && $5==c && $6==p {print $f; exit}' "$R/$1.csv"
}

# i10_ratio CSV MODE N FAMILY CASE NUM DEN
i10_ratio() {
	local a b
	a=$(i10_med "$1" "$2" "$3" "$4" "$5" "$6")
	b=$(i10_med "$1" "$2" "$3" "$4" "$5" "$7")
	if [ -n "$a" ] && [ -n "$b" ]; then awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", a / b}'; fi
}

i10_check() { # CSV MODE FAMILY WHAT: a check line's value
	[ -s "$R/$1.csv" ] || return 0
	awk -F, -v m="$2" -v fam="$3" -v w="$4" '$1=="check" && $2==m && $3==fam && $4==w {print $5; exit}' "$R/$1.csv"
}

# i10_stat CSV KIND [FIELD]: "median min max" of FIELD (default 4) over KIND lines.
i10_stat() {
	[ -s "$R/$1.csv" ] || return 0
	awk -F, -v k="$2" -v f="${3:-4}" '$1==k && $f ~ /^[0-9.]+$/ { v[++m]=$f }
	END { if (!m) exit
		for (i=1; i<=m; i++) for (j=i+1; j<=m; j++) if (v[j]<v[i]) { t=v[i]; v[i]=v[j]; v[j]=t }
		printf "%s %s %s\n", m%2 ? v[(m+1)/2] : (v[m/2]+v[m/2+1])/2, v[1], v[m] }' "$R/$1.csv"
}

i10_s() { # seconds to 3 decimals
	awk -v s="$1" 'BEGIN {if (s ~ /^[0-9.]+$/) printf "%.3f", s; else printf "%s", s}'
}

i10_ratio_row() { # NAME RATIO LIMIT [OP]
	target_row "$1" "$2" "${3}×" "${4:-≤}" "${2:+${2}×}"
}

i10_unmeasured() { # NAME LIMIT WHY
	echo "| $1 | not measured: $3 | $2 | — |"
}

i10_baseline() { # the commit pktbase compared with, or nothing
	[ -s "$R/pktbase.csv" ] || return 0
	awk -F, '$1=="baseline" && $2!="missing" {print substr($2, 1, 7)}' "$R/pktbase.csv"
}

# CrowdSec's limit: the poll interval + 100 ms.
i10_cs_limit() {
	[ -s "$R/crowdsec.csv" ] || return 0
	awk -F, '$1=="poll" {print $2 + 100; exit}' "$R/crowdsec.csv"
}

report_issue10_targets() {
	local n fam r base why a b ip lim
	echo "## Targets (issue 10), this run"
	echo
	echo "| target | measured | limit | |"
	echo "|---|---:|---:|---|"
	base=$(i10_baseline)
	why=""
	[ -s "$R/pktbase.csv" ] && why=$(awk -F, '$1=="baseline" && $2=="missing" {print $3}' "$R/pktbase.csv")
	for n in 1000 1000000; do
		for fam in v4 v6; do
			if [ -n "$why" ]; then
				i10_unmeasured "no bans, no limits: xdpfw miss ÷ issue 9's, $n rules, $fam, hot" "≤ 1.02×" "$why"
			else
				i10_ratio_row "no bans, no limits: xdpfw miss ÷ issue 9's (${base:-?}), same rules, $n rules, $fam, hot" \
					"$(i10_ratio pktbase base "$n" "$fam" miss xdpfw xdpfw_issue9)" 1.02
			fi
		done
	done
	for fam in v4 v6; do
		a=$(i10_check pktban ban "$fam" ban_packets)
		if [ "${a:-1}" = 0 ]; then
			i10_unmeasured "1M bans per family: xdpfw miss ÷ parse + exact-hash miss, $fam, hot" "≤ 1.3×" \
				"the datapath did not count the banned source's packets (bans not in force)"
		else
			i10_ratio_row "1M bans per family: xdpfw miss ÷ parse + exact-hash miss, $fam, hot" \
				"$(i10_ratio pktban ban 1000000 "$fam" miss xdpfw_bans floor_miss)" 1.3
		fi
	done
	if declare -F wire_value >/dev/null; then
		a=$(wire_value xdpfw_ban 2 "$R/wireban.csv")
		b=$(wire_value xdpfw_native 2 "$R/wireban.csv")
		r=""
		[ -n "$a" ] && [ -n "$b" ] && r=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", a / b}')
		i10_ratio_row "wire: a source banned among 1M bans ÷ the same source dropped by an exact rule (pps, native)" "$r" 0.9 "≥"
	fi
	read -r a _ < <(i10_stat banfile ban) || true
	read -r ip _ < <(i10_stat banfile ipset) || true
	target_row "\`xdpfw ban --file\` of 1M IPv4 addresses, into an applied config" "$a" "0.5 s" "≤" "${a:+$(i10_s "$a") s}"
	r=""
	[ -n "$a" ] && [ -n "$ip" ] && r=$(awk -v a="$a" -v b="$ip" 'BEGIN {printf "%.3f", a / b}')
	i10_ratio_row "the same ÷ \`ipset restore\` of the same addresses (hash:ip, $(i10_s "${ip:-?}") s)" "$r" 0.3
	for fam in v4 v6; do
		a=$(i10_check pktlimit limit src buckets)
		b=$(i10_med pktlimit limit 1000 "$fam" hit xdpfw_limit_src 10)
		if [ -s "$R/pktlimit.csv" ] && { [ "${a:-0}" = 0 ] || [ "$b" != 2 ]; }; then
			i10_unmeasured "limit rule hit, per source, within the rate ÷ parse + hit + atomic, $fam, hot" "≤ 2×" \
				"the datapath made no bucket or did not pass the packet (limits not in force)"
		else
			i10_ratio_row "limit rule hit, per source, within the rate ÷ parse + hit + atomic, $fam, hot" \
				"$(i10_ratio pktlimit limit 1000 "$fam" hit xdpfw_limit_src floor_hit)" 2
		fi
	done
	lim=$(i10_cs_limit)
	read -r a _ b < <(i10_stat crowdsec decision 5) || true
	target_row "CrowdSec: \`cscli decisions add\` returned → enforced, median" "$a" "${lim:-poll + 100} ms" "≤" "${a:+$a ms}"
	n=0
	[ -s "$R/crowdsec.csv" ] && n=$(awk -F, '$1=="decision" && $5 !~ /^[0-9.]+$/ {t++} END {print t + 0}' "$R/crowdsec.csv")
	if [ "$n" -gt 0 ]; then
		echo "| CrowdSec: \`cscli decisions add\` returned → enforced, slowest | $n never enforced | ≤ $lim ms | **missed** |"
	else
		target_row "CrowdSec: \`cscli decisions add\` returned → enforced, slowest" "$b" "${lim:-poll + 100} ms" "≤" "${b:+$b ms}"
	fi
	echo
}

report_issue10() {
	echo "## 6. Bans, limits and CrowdSec (issue 10)"
	echo
	report_issue10_pkt
	report_issue10_wire
	report_issue10_banfile
	report_issue10_crowdsec
}

report_issue10_pkt() {
	local f have=0
	for f in pktbase pktban pktlimit; do [ -s "$R/$f.csv" ] && have=1; done
	echo "### Per packet (ns, \`BPF_PROG_TEST_RUN\`)"
	echo
	if [ "$have" = 0 ]; then
		echo "_Not measured in this run._"
		echo
		return
	fi
	echo "As section 1, but the programs of each row group are timed in turn: one call of each, then again in reverse"
	echo "order, $(cat "$R"/pkt{base,ban,limit}.csv 2>/dev/null | awk -F, '$1=="params" {printf "%s runs a call, median of %s calls each", $2, $3; exit}'),"
	echo "so that the machine's drift reaches every program of a ratio alike (\`bench/pktban.c\`)."
	echo
	echo "- **no bans, no limits**: N drop rules on a source (section 1's sets) in xdpfw, and in xdpfw as issue 9 left it"
	echo "  (commit $(i10_baseline), built from git by \`mk/bench10.mk\` with today's compiler and flags, its maps sized and filled"
	echo "  as today's: \`bench/baseline.c\`)."
	echo "- **1M bans**: 1000 rules and 1,000,000 bans per family (100.64.0.0 + i, 2001:2:0:2::i) written straight into"
	echo "  \`fw_bans4\`/\`fw_bans6\`; the floors' hashes hold the same 1M addresses. A miss comes from a source neither"
	echo "  banned nor in a rule; \`banned\` from a banned one."
	echo "- **limit**: the 1000 rules with the hit frame's rule made \`limit: {rate: 1e9/s, burst: 1e9, per: source}\`, so"
	echo "  every packet is within the rate and passes; beside it a 1001st rule (any, 53, udp) with that limit, hit from a"
	echo "  source no rule names, and the plain drop rule on the same source."
	echo
	cat "$R"/pkt{base,ban,limit}.csv 2>/dev/null | awk -F, -v base="$(i10_baseline)" '
	$1=="pb" {
		k=$2 SUBSEP $3 SUBSEP $4 SUBSEP $5
		if (!(k in seen)) { seen[k]=1; order[++n]=k }
		progs[k]=progs[k] " " $6; med[k,$6]=$7; cell[k,$6]=sprintf("%.1f (%.1f–%.1f)", $7, $8, $9)
		v[k,$6]=$10==1 ? "drop" : $10==2 ? "pass" : "XDP " $10
	}
	$1=="fill" { fill[$2]=$4 }
	BEGIN {
		ref["base"]="xdpfw_issue9"; ref["ban","miss"]="floor_miss"; ref["ban","banned"]="floor_hit"; ref["limit"]="floor_hit"
		name["xdpfw_issue9"]="xdpfw at issue 9"; name["xdpfw_bans"]="**xdpfw, 1M bans**"
		name["floor_miss"]="floor: parse + miss"; name["floor_parse"]="floor: parse"; name["floor_hit"]="floor: parse + hit + atomic"; name["floor_hit_clock"]="floor: parse + hit + clock read + compare-and-swap"
		name["xdpfw_limit_src"]="**xdpfw, limit rule on the source**"; name["xdpfw_limit_port"]="xdpfw, limit rule on (any, 53, udp)"
		name["xdpfw_drop"]="xdpfw, drop rule on the source"
	}
	END {
		print "| what | N | family | case | program | ns per packet | verdict | ÷ the last program of its group |"
		print "|---|---:|---|---|---|---:|---|---:|"
		for (i=1; i<=n; i++) {
			k=order[i]; split(k, f, SUBSEP)
			r = f[1] == "ban" ? ref["ban", f[4]] : ref[f[1]]
			what = f[1] == "base" ? "no bans, no limits" : f[1] == "ban" ? "1M bans" : "limit"
			m = split(substr(progs[k], 2), p, " ")
			for (j=1; j<=m; j++) {
				label = p[j] in name ? name[p[j]] : p[j]
				if (p[j] == "xdpfw") label = f[1] == "ban" ? "xdpfw, no bans" : "**xdpfw**"
				printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", what, f[2], f[3], f[4], label, cell[k,p[j]], v[k,p[j]],
					(p[j] != r && med[k,r] > 0) ? sprintf("%.3f×", med[k,p[j]] / med[k,r]) : ""
			}
		}
		if ("v4" in fill) printf "\nWriting the bans in one batch update (the 1M bans rows): IPv4 %.2f s, IPv6 %.2f s.\n", fill["v4"], fill["v6"]
	}'
	echo
	if [ -s "$R/pktban.csv" ]; then
		echo "The datapath counted $(i10_check pktban ban v4 ban_packets) packets on the banned IPv4 source and $(i10_check pktban ban v6 ban_packets) on the IPv6 one."
	fi
	if [ -s "$R/pktlimit.csv" ]; then
		echo "Buckets made: $(i10_check pktlimit limit src buckets) for the source limit rule, $(i10_check pktlimit limit port buckets) for the port one (one per family's source)."
	fi
	echo
}

report_issue10_wire() {
	echo "### On the wire: a ban against an exact rule"
	echo
	no_results wireban && return
	echo "Section 2's setup (\`bench/wire.sh\`), native mode, one repetition of each case in turn, each in fresh namespaces."
	echo "The exact rule: 198.18.0.7 dropped by its rule among 1000. The ban: the same config with that rule made a \`pass\`,"
	echo "and 198.18.0.7 banned with 999,999 other addresses by \`xdpfw ban --file\`."
	echo
	wire_pair_table "$R/wireban.csv" xdpfw_ban "**banned among 1M bans**" xdpfw_native "exact drop rule"
	echo
}

report_issue10_banfile() {
	echo "### \`xdpfw ban --file\` against \`ipset restore\`"
	echo
	no_results banfile && return
	local s
	echo "1,000,000 IPv4 addresses (100.64.0.0 + i, \`bench/mkbans.sh\`), one per line, banned by \`xdpfw ban --file\` into"
	echo "the pin dir of an applied 1000-rule config (a fresh one each time); \`ipset restore\` of a \`hash:ip\` set of the same"
	echo "addresses (\`maxelem\` N + 1) in a fresh namespace. Wall time of the command, seconds."
	echo
	echo "| command | median (min–max) |"
	echo "|---|---:|"
	i10_stat_row "\`xdpfw ban --file\`" "$(i10_stat banfile ban)" "%.3f"
	i10_stat_row "\`ipset restore\`" "$(i10_stat banfile ipset)" "%.3f"
	echo
	s=$(awk -F, '$1=="banparts" {r++; a+=$4; b+=$5; c+=$6}
		END {if (r) printf "%.0f ms reading the file, %.0f ms opening the pinned state, %.0f ms writing the maps", a/r, b/r, c/r}' "$R/banfile.csv")
	if [ -n "$s" ]; then
		echo "Where \`ban -v\` says the time went, mean of the repetitions: $s."
		echo
	fi
	s=$(awk -F, '$1=="banned" {print $3; exit}' "$R/banfile.csv")
	if [ -n "$s" ]; then
		echo "\`xdpfw bans --json\` listed $s bans after the first."
		echo
	fi
}

i10_stat_row() { # LABEL "MEDIAN MIN MAX" [FORMAT]
	[ -n "$2" ] || return 0
	awk -v l="$1" -v s="$2" -v f="${3:-%.1f}" 'BEGIN {split(s, a, " ")
		printf "| %s | " f " (" f "–" f ") |\n", l, a[1], a[2], a[3]}'
}

report_issue10_crowdsec() {
	echo "### CrowdSec: from \`cscli decisions add\` to enforced"
	echo
	no_results crowdsec && return
	local poll why
	why=$(awk -F, '$1=="missing" {print $2; exit}' "$R/crowdsec.csv")
	if [ -n "$why" ]; then
		echo "_Not measured: ${why}._"
		echo
		return
	fi
	poll=$(awk -F, '$1=="poll" {print $2; exit}' "$R/crowdsec.csv")
	echo "A CrowdSec Local API (\`crowdsec -no-cs -no-capi\`, SQLite) on 127.0.0.1 and \`xdpfw run\` as its bouncer with"
	echo "\`poll: ${poll}ms\` (\`bench/crowdsec.sh\`). Each time, \`cscli decisions add --ip\` of a fresh address starts, and the"
	echo "pinned program runs on a frame from that address every millisecond until it drops it (\`bench/enforcewait\`)."
	echo "The adds are spread over the poll interval (golden-ratio steps). Milliseconds; the target counts from \`cscli\`'s"
	echo "return, when the decision is in the Local API."
	echo
	echo "| from | median (fastest–slowest) |"
	echo "|---|---:|"
	i10_stat_row "\`cscli decisions add\` starting" "$(i10_stat crowdsec decision 3)"
	i10_stat_row "\`cscli decisions add\` returning" "$(i10_stat crowdsec decision 5)"
	i10_stat_row "(\`cscli decisions add\` itself)" "$(i10_stat crowdsec decision 4)"
	echo
	awk -F, '$1=="decision" {n++} $1=="decision" && $3 !~ /^[0-9.]+$/ {t++}
		END {printf "%d decisions%s.\n", n, t ? sprintf(", %d not enforced within 3 polls + 2 s", t) : ""}' "$R/crowdsec.csv"
	echo
}
