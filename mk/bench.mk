# bench: helpers and binaries added for issue 9. The Makefile links every
# bench binary with BENCH_HELPER_OBJS by a pattern rule; these join them as
# prerequisites (and so in $^).
BENCH9_HELPER_OBJS := $(BUILD)/bench/rotor_ctl.o $(BUILD)/bench/synth.o
BENCH9_BINS := $(BUILD)/bench/pktset $(BUILD)/bench/mksynth

bench-bins: $(BENCH9_BINS)
$(BUILD)/bench/pktcost $(BUILD)/bench/wiregen $(BUILD)/bench/wireload \
	$(BUILD)/bench/verdictwait $(BENCH9_BINS): $(BENCH9_HELPER_OBJS)
$(BUILD)/bench/pktset: $(BUILD)/bench/prefix_floors.o $(BUILD)/bench/par.o
