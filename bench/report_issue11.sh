# shellcheck shell=bash
# Issue 11's targets and section of RESULTS.md: events and metrics, from
# $R/pktlog.csv (bench/pktbase.sh against issue 10's datapath), pktlogcost.csv
# (bench/pktban.c log), wirelog.csv
# (bench/wire.sh cases xdpfw_native and xdpfw_log), scrape.csv
# (bench/scrape.sh) and events.csv (bench/events.sh). Uses report_issue10.sh's
# i10_* readers.

i11_baseline() { # the commit pktlog compared with, or nothing
	[ -s "$R/pktlog.csv" ] || return 0
	awk -F, '$1=="baseline" && $2!="missing" {print substr($2, 1, 7)}' "$R/pktlog.csv"
}

i11_missing() { # CSV: why the section measured nothing, or nothing
	[ -s "$R/$1.csv" ] || return 0
	awk -F, '($1=="missing") || ($1=="baseline" && $2=="missing") {print $NF; exit}' "$R/$1.csv"
}

# i11_none CSV: says so, and succeeds, when the section left no figures (no CSV, or why not).
i11_none() {
	local why
	no_results "$1" && return 0
	why=$(i11_missing "$1")
	[ -n "$why" ] || return 1
	echo "_Not measured: ${why}._"
	echo
}

# i11_wire: "RATIO FLOOD_X_LOG_RATE" of the logged rule against the unlogged one, or nothing.
i11_wire() {
	local a b rate
	[ -s "$R/wirelog.csv" ] || return 0
	a=$(wire_value xdpfw_log 2 "$R/wirelog.csv")
	b=$(wire_value xdpfw_native 2 "$R/wirelog.csv")
	rate=$(awk -F, '$1=="events" {print $6; exit}' "$R/wirelog.csv")
	[ -n "$a" ] && [ -n "$b" ] && [ -n "$rate" ] || return 0
	awk -v a="$a" -v b="$b" -v r="$rate" 'BEGIN {printf "%.2f %.0f\n", a / b, a * 1e6 / r}'
}

# i11_scrape: "FIRST_MS MEDIAN_MS SLOWEST_MS RSS_FIRST_MB RSS_MAX_MB PEAK_MB SCRAPES BAD": VmRSS
# growth after the first scrape and the most after any, VmHWM's growth (BAD: not HTTP 200 or empty).
i11_scrape() {
	[ -s "$R/scrape.csv" ] || return 0
	awk -F, '$1=="rss" {before=$3}
	$1=="scrape" {
		n++; ms[n]=$4 * 1000; if ($6 != 200 || $5 == 0) bad++
		grow=($7 - before) / 1024; if (n == 1) first=most=grow; if (grow > most) most=grow
		if ($8 - before > peak) peak=$8 - before
	}
	END {
		if (!n || before == "") exit
		f=ms[1]
		for (i=1; i<=n; i++) for (j=i+1; j<=n; j++) if (ms[j]<ms[i]) { t=ms[i]; ms[i]=ms[j]; ms[j]=t }
		med=n%2 ? ms[(n+1)/2] : (ms[n/2]+ms[n/2+1])/2
		printf "%.1f %.1f %.1f %.2f %.2f %.2f %d %d\n", f, med, ms[n], first, most, peak / 1024, n, bad + 0
	}' "$R/scrape.csv"
}

# i11_events: "PACKETS SECONDS SENT SUPPRESSED LOST LINES NAMED" summed over the repetitions.
i11_events() {
	[ -s "$R/events.csv" ] || return 0
	awk -F, '$1=="events" {p+=$3; s+=$4; sent+=$5; sup+=$6; lost+=$7; l+=$8; nm+=$9; n++}
	END {if (n) printf "%d %.3f %d %d %d %d %d\n", p, s, sent, sup, lost, l, nm}' "$R/events.csv"
}

report_issue11_targets() {
	local n fam c base why r flood a
	echo "## Targets (issue 11), this run"
	echo
	echo "| target | measured | limit | |"
	echo "|---|---:|---:|---|"
	base=$(i11_baseline)
	why=$(i11_missing pktlog)
	a=""
	[ -s "$R/pktlog.csv" ] && a=$(i10_check pktlog base any log_param)
	[ -n "$a" ] && [ "$a" != 0 ] && why="the datapath had logging on (FW_PARAM_LOG $a)"
	for n in 1000 1000000; do
		for fam in v4 v6; do
			for c in miss hit; do
				if [ -n "$why" ]; then
					i10_unmeasured "\`log: false\`: xdpfw $c ÷ issue 10's, $n rules, $fam, hot" "≤ 1.02×" "$why"
				else
					i10_ratio_row "\`log: false\`: xdpfw $c ÷ issue 10's (${base:-?}), same rules, $n rules, $fam, hot" \
						"$(i10_ratio pktlog base "$n" "$fam" "$c" xdpfw xdpfw_issue10)" 1.02
				fi
			done
		done
	done
	read -r r flood < <(i11_wire) || true
	if [ -n "$r" ] && [ "$flood" -lt 10 ]; then
		i10_unmeasured "wire: logged drop rule ÷ the same rule unlogged (pps, native, flood ≥ 10× log_rate)" "≥ 0.9×" \
			"the flood reached only ${flood}× log_rate"
	else
		target_row "wire: logged drop rule ÷ the same rule unlogged (pps, native, flood ≥ 10× log_rate)" \
			"$r" "0.9×" "≥" "${r:+${r}× (flood ${flood}× log_rate)}"
	fi
	report_issue11_scrape_targets
	report_issue11_event_targets
	echo
}

report_issue11_scrape_targets() {
	local first med slow grow1 grow peak n bad why name="scrape of \`/metrics\`, 100k rules, whole body"
	local rss="daemon VmRSS growth for scrapes, 100k rules"
	why=$(i11_missing scrape)
	read -r first med slow grow1 grow peak n bad < <(i11_scrape) || true
	if [ -n "$why" ] || [ "${bad:-0}" -gt 0 ]; then
		[ -n "$why" ] || why="$bad of $n scrapes did not return HTTP 200 with a body"
		i10_unmeasured "$name" "≤ 100 ms" "$why"
		i10_unmeasured "$rss" "≤ 10 MB" "$why"
		return
	fi
	target_row "$name, first" "$first" "100 ms" "≤" "${first:+$first ms}"
	target_row "$name, median of ${n:-?} (slowest ${slow:-?} ms)" "$med" "100 ms" "≤" "${med:+$med ms}"
	target_row "$rss, after each (after the first: ${grow1:-?} MB)" "$grow" "10 MB" "≤" "${grow:++$grow MB}"
	target_row "$rss, at its peak while scraping (VmHWM)" "$peak" "10 MB" "≤" "${peak:++$peak MB}"
}

report_issue11_event_targets() {
	local p s sent sup lost lines why rate name="events delivered to \`xdpfw events --json\` at 100k events/s: sent but not printed"
	why=$(i11_missing events)
	read -r p s sent sup lost lines _ < <(i11_events) || true
	if [ -z "$why" ] && [ -n "$p" ]; then
		rate=$(awk -v p="$p" -v s="$s" 'BEGIN {printf "%.0f", p / s}')
		[ "$rate" -ge 99000 ] || why="the pacer reached only $rate packets/s"
		[ "$sup" = 0 ] || why="log_rate held back $sup events"
	fi
	if [ -n "$why" ]; then
		i10_unmeasured "$name" "≤ 0" "$why"
		return
	fi
	target_row "$name" "${p:+$((sent - lines))}" "0" "≤" \
		"${p:+$((sent - lines)) of $sent sent, $lost of them lost to the full ring ($(awk -v r="$rate" 'BEGIN {printf "%.1fk", r / 1000}')/s)}"
}

report_issue11() {
	echo "## 7. Events and metrics (issue 11)"
	echo
	report_issue11_pkt
	report_issue11_logcost
	report_issue11_wire
	report_issue11_scrape
	report_issue11_events
}

report_issue11_pkt() {
	echo "### \`log: false\`: per packet against issue 10's datapath (ns, \`BPF_PROG_TEST_RUN\`)"
	echo
	i11_none pktlog && return
	echo "Section 6's method (\`bench/pktban.c\` base, programs timed in turn: $(awk -F, '$1=="params" {printf "%s runs a call, median of %s calls each", $2, $3; exit}' "$R/pktlog.csv")):"
	echo "N drop rules on a source in xdpfw, whose config logs nothing (\`FW_PARAM_LOG\` read back as"
	echo "$(i10_check pktlog base any log_param)), and in xdpfw as issue 10 left it (commit $(i11_baseline), main's head before"
	echo "events, built from git by \`mk/bench10.mk\`'s rule with today's compiler, its maps sized and filled as today's)."
	echo
	echo "| N | family | case | **xdpfw** | xdpfw at issue 10 | ratio | verdict |"
	echo "|---:|---|---|---:|---:|---:|---|"
	awk -F, '$1=="pb" {
		k=$3 SUBSEP $4 SUBSEP $5
		if (!(k in seen)) { seen[k]=1; order[++n]=k }
		med[k,$6]=$7; cell[k,$6]=sprintf("%.1f (%.1f–%.1f)", $7, $8, $9); v[k]=$10==1 ? "drop" : $10==2 ? "pass" : "XDP " $10
	}
	END {
		for (i=1; i<=n; i++) {
			k=order[i]; split(k, f, SUBSEP)
			printf "| %s | %s | %s | **%s** | %s | %s | %s |\n", f[1], f[2], f[3], cell[k,"xdpfw"], cell[k,"xdpfw_issue10"],
				(med[k,"xdpfw_issue10"] > 0 ? sprintf("%.3f×", med[k,"xdpfw"] / med[k,"xdpfw_issue10"]) : "—"), v[k]
		}
	}' "$R/pktlog.csv"
	echo
}

report_issue11_logcost() {
	echo "### What logging costs a rule's hit (ns, \`BPF_PROG_TEST_RUN\`, not a target)"
	echo
	i11_none pktlogcost && return
	echo "1000 drop rules loaded four times, the four programs timed in turn as above; the hit frame's rule decides in each:"
	echo "nothing logs; logging on (\`FW_PARAM_LOG\`) for another rule; the hit rule logs and \`log_rate\` holds every"
	echo "event back; it logs and every event is sent, into one ring that a thread on the other CPU drains (\`ring_buffer__poll\`)."
	echo
	echo "| family | nothing logs | logging on, rule unlogged | rule logs, held back | rule logs, sent |"
	echo "|---|---:|---:|---:|---:|"
	awk -F, '$1=="pb" && $2=="log" {
		if (!($4 in seen)) { seen[$4]=1; order[++n]=$4 }
		med[$4,$6]=$7; cell[$4,$6]=sprintf("%.1f (%.1f–%.1f)", $7, $8, $9)
	}
	function rel(f, p) { return med[f,"xdpfw"] > 0 ? sprintf(", %.2f×", med[f,p] / med[f,"xdpfw"]) : "" }
	END {
		for (i=1; i<=n; i++) {
			f=order[i]
			printf "| %s | %s | %s%s | %s%s | %s%s |\n", f, cell[f,"xdpfw"], cell[f,"xdpfw_log_other"], rel(f, "xdpfw_log_other"),
				cell[f,"xdpfw_log_held"], rel(f, "xdpfw_log_held"), cell[f,"xdpfw_log_sent"], rel(f, "xdpfw_log_sent")
		}
	}' "$R/pktlogcost.csv"
	echo
	awk -F, '$1=="check" && $2=="log" {v[$4]=$5}
	END {printf "Events held back: %d; sent: %d, of which %d lost to a full ring; the thread read %d.\n", v["held"], v["sent"], v["lost"], v["read"]}' "$R/pktlogcost.csv"
	echo
}

report_issue11_wire() {
	echo "### On the wire: a logged drop rule under a flood"
	echo
	i11_none wirelog && return
	local rate
	rate=$(awk -F, '$1=="events" {print $6; exit}' "$R/wirelog.csv")
	echo "Section 2's setup (\`bench/wire.sh\`), native mode, 1000 rules, the two cases in turn, each in fresh namespaces:"
	echo "198.18.0.7's drop rule unlogged, and the same config with that rule \`log: true\`, \`log_rate: ${rate:-?}/s\` and"
	echo "\`log_burst\` 1 % of that (so that the events of a short run are the flood's steady state, not a fresh bucket's"
	echo "burst), while \`xdpfw events --json\` reads (on the CPU the generator and the receiver leave free)."
	echo
	wire_pair_table "$R/wirelog.csv" xdpfw_log "**logged rule**" xdpfw_native "the same rule, unlogged"
	echo
	awk -F, '$1=="logstat" {s+=$4; h+=$5; l+=$6}
	$1=="wire" && $2=="xdpfw_log" {t+=$5}
	$1=="events" {lines+=$3}
	END {
		if (t > 0) printf "While the logged rule dropped: %d events sent (%.0f a second), %d held back by log_rate, %d lost to a full ring; the reader printed %d lines.\n", s, s / t, h, l, lines
	}' "$R/wirelog.csv"
	echo
}

report_issue11_scrape() {
	echo "### \`/metrics\` with 100k rules"
	echo
	i11_none scrape && return
	echo "\`xdpfw run\` of 100,000 drop rules (\`bench/mkconf.sh\`) with \`metrics: 127.0.0.1:PORT\`; \`curl\` fetches \`/metrics\`"
	echo "one scrape after the other (\`time_total\`: connect to the last byte of the body); the daemon's VmRSS before the first"
	echo "and after each, once the scrape unmapped the maps it read, and its peak (VmHWM, reset by \`clear_refs\` before the"
	echo "first) (\`bench/scrape.sh\`)."
	echo
	echo "| scrape | ms | bytes | HTTP | daemon VmRSS after (MB) | its peak so far, VmHWM (MB) |"
	echo "|---:|---:|---:|---:|---:|---:|"
	awk -F, '$1=="rss" {printf "| before | | | | %.1f | |\n", $3 / 1024}
	$1=="scrape" {printf "| %d | %.1f | %d | %s | %.1f | %.1f |\n", $3, $4 * 1000, $5, $6, $7 / 1024, $8 / 1024}' "$R/scrape.csv"
	echo
	awk -F, '$1=="series" {printf "The last body held %d `xdpfw_rule_packets_total` series. ", $3}
	$1=="prom" {printf "`xdpfw stats --prometheus` wrote %d bytes in %.0f ms.", $4, $3 * 1000}
	END {print ""}' "$R/scrape.csv"
	echo
}

report_issue11_events() {
	echo "### Events at 100k a second into \`xdpfw events --json\`"
	echo
	i11_none events && return
	echo "A config of 1000 rules whose rule on 198.18.0.7 logs, \`log_rate\` twice the offered rate, applied to a veth in a"
	echo "namespace of its own; \`xdpfw events --json\` reads on one CPU while \`bench/evpace\` runs the pinned program on"
	echo "198.18.0.7's frame through \`BPF_PROG_TEST_RUN\` on the other, 100 runs a call at absolute times 1 ms apart; the"
	echo "reader stops once it printed as many lines as \`fw_event_stats\` counts sent (or 3 s after the last)."
	echo
	echo "| run | packets | per second | sent | held back | lost | lines printed | lines naming the rule | pacer's worst lag (ms) |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -F, '$1=="events" {printf "| %d | %d | %.0f | %d | %d | %d | %d | %d | %.1f |\n", $2, $3, $3 / $4, $5, $6, $7, $8, $9, $10}' "$R/events.csv"
	echo
}
