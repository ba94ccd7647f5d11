# bench: issue 10's per-packet binary, and the datapath as issue 9 left it,
# built from git so `make bench` can time both in one run (bench/pktbase.sh).
BENCH10_BINS := $(BUILD)/bench/pktban $(BUILD)/bench/enforcewait
BENCH10_BASELINE := a03be5f
BENCH10_BASELINE_OBJ := $(BUILD)/bench/issue9/xdpfw.bpf.o

bench-bins: $(BENCH10_BINS)
$(BENCH10_BINS): $(BUILD)/bench/baseline.o $(BUILD)/bench/rotor_ctl.o

# Its own headers first: the current fw/xdpfw.h must not stand in for that commit's.
$(BENCH10_BASELINE_OBJ):
	$(call msg,BPF,$@ (git $(BENCH10_BASELINE)))
	$(Q)rm -rf $(@D) && mkdir -p $(@D)/src
	$(Q)git rev-parse --verify -q $(BENCH10_BASELINE)^{commit} >$(@D)/commit || \
		{ echo "commit $(BENCH10_BASELINE) is not in this clone (a shallow clone?)" >&2; exit 1; }
	$(Q)git archive $(BENCH10_BASELINE) bpf fw/xdpfw.h | tar -x -C $(@D)/src
	$(Q)$(CLANG) -I$(@D)/src/fw $(filter-out -MMD -MP,$(BPF_CFLAGS)) \
		-c $(@D)/src/bpf/xdpfw.bpf.c -o $@
