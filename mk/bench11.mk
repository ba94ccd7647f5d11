# bench: issue 11's sections (events and metrics). The datapath as issue 10
# left it, main's head before events, built from git by mk/bench10.mk's
# rule for bench/pktbase.sh; bench/evpace drives and counts events.
BENCH_BASELINE_issue10 := 5d3770f
BENCH11_BINS := $(BUILD)/bench/evpace

bench-bins: $(BENCH11_BINS)
$(BENCH11_BINS): $(BUILD)/bench/rotor_ctl.o
