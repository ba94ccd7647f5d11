# bench: issue 10's per-packet binary, and the datapath as issue 9 left it,
# built from git so `make bench` can time both in one run (bench/pktbase.sh).
BENCH10_BINS := $(BUILD)/bench/pktban $(BUILD)/bench/enforcewait
BENCH10_BASELINE := a03be5f
BENCH10_BASELINE_OBJ := $(BUILD)/bench/issue9/xdpfw.bpf.o

bench-bins: $(BENCH10_BINS)
$(BENCH10_BINS): $(BUILD)/bench/baseline.o $(BUILD)/bench/rotor_ctl.o

# Each baseline datapath from git, into $(BUILD)/bench/issueN/ from commit
# BENCH_BASELINE_issueN; its own headers first: the current fw/xdpfw.h must
# not stand in for that commit's.
BENCH_BASELINE_issue9 := $(BENCH10_BASELINE)

$(BUILD)/bench/issue%/xdpfw.bpf.o:
	$(call msg,BPF,$@ (git $(BENCH_BASELINE_issue$*)))
	$(Q)rm -rf $(@D) && mkdir -p $(@D)/src
	$(Q)git rev-parse --verify -q $(BENCH_BASELINE_issue$*)^{commit} >$(@D)/commit || \
		{ echo "commit $(BENCH_BASELINE_issue$*) is not in this clone (a shallow clone?)" >&2; exit 1; }
	$(Q)git archive $(BENCH_BASELINE_issue$*) bpf fw/xdpfw.h | tar -x -C $(@D)/src
	$(Q)$(CLANG) -I$(@D)/src/fw $(filter-out -MMD -MP,$(BPF_CFLAGS)) \
		-c $(@D)/src/bpf/xdpfw.bpf.c -o $@
