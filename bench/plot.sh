#!/bin/bash
# bench/results.png: per-packet costs (hot cache, 1M rules) and wire drop rates, with gnuplot.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
R=${RESULTS_DIR:-$ROOT/build/bench/results}
OUT=${RESULTS_PNG:-$ROOT/bench/results.png}
. "$ROOT/bench/report_lib.sh"
. "$ROOT/bench/report_wire.sh"
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
n=$(awk -F, '$1=="cost" {n=$2} END {print n}' "$R/pktcost.csv" 2>/dev/null || true)
# program, v4 hit, v4 miss, v6 hit, v6 miss (one frame, the largest set)
[ -s "$R/pktcost.csv" ] && awk -F, -v n="$n" '$1=="cost" && $2==n && $5=="one" {
	k=$3 "-" $4; v[$6,k]=$7; if (!($6 in seen)) { seen[$6]=1; o[++m]=$6 } }
	END { for (i=1; i<=m; i++) printf "%s %s %s %s %s\n", o[i], v[o[i],"v4-hit"], v[o[i],"v4-miss"], v[o[i],"v6-hit"], v[o[i],"v6-miss"] }' \
	"$R/pktcost.csv" >"$D/cost.dat"
wire_stats | awk -F, '{printf "%s %s %s %s\n", $1, $2, $3, $4}' >"$D/wire.dat"
[ -s "$D/cost.dat" ] || echo "none 0 0 0 0" >"$D/cost.dat"
[ -s "$D/wire.dat" ] || echo "none 0 0 0" >"$D/wire.dat"
gnuplot <<EOF
set terminal pngcairo size 1400,560 font ",10"
set output "$OUT"
set multiplot layout 1,2
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set grid ytics
set xtics rotate by -30 noenhanced
set key top left noenhanced
set title "Per-packet cost, BPF\\\\_PROG\\\\_TEST\\\\_RUN, hot cache, ${n:-?} rules (ns, lower is better)"
set ylabel "ns per packet"
set yrange [0:*]
plot "$D/cost.dat" using 2:xtic(1) title "IPv4 hit", "" using 3 title "IPv4 miss", "" using 4 title "IPv6 hit", "" using 5 title "IPv6 miss"
set title "Drop rate on the wire, 64-byte UDP, one core (Mpps, higher is better)"
set ylabel "Mpps dropped"
set style histogram errorbars gap 1 lw 1
set key top right
plot "$D/wire.dat" using 2:3:4:xtic(1) title "median (min-max)"
unset multiplot
EOF
echo "  PLOT     $OUT"
