# libFuzzer harnesses (tests/fuzz/): the fw library and the unit-test helpers
# they link, rebuilt with clang and the sanitizers into build/fuzz/.
# `make fuzz` builds them and runs each for FUZZ_SECONDS from its committed
# corpus (copied to a scratch directory; the repo's corpus is never written).

FUZZ_CC ?= $(CLANG)
# libFuzzer and the sanitizer runtimes; clang only recommends them.
DEB_PACKAGES += libclang-rt-14-dev
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The main build's flags (so its include paths follow it), at the -O1 libFuzzer suggests.
FUZZ_CFLAGS = $(filter-out -O%,$(CFLAGS)) -O1 -Itests/unit $(FUZZ_SAN) -fsanitize=fuzzer-no-link

FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRCS))
FUZZ_BINS := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_NAMES))
FUZZ_LIB_OBJS := $(patsubst fw/%.c,$(FUZZ_DIR)/fw/%.o,$(LIB_SRCS))
FUZZ_LIB := $(FUZZ_DIR)/libxdpfw.a
# The config harnesses' shared checks, and the unit-test helpers the frame
# harness shares with tests/unit (no cmocka in them).
FUZZ_HELPER_OBJS := $(FUZZ_DIR)/config_check.o $(FUZZ_DIR)/tests/harness.o \
	$(FUZZ_DIR)/tests/pkt.o

.PHONY: fuzz fuzz-bins
.SECONDARY: $(FUZZ_HELPER_OBJS) $(FUZZ_LIB_OBJS) $(FUZZ_BINS:=.o)
TEST_BUILD += fuzz-bins

fuzz-bins: $(FUZZ_BINS)

fuzz: fuzz-bins
	$(Q)failed=0; for name in $(FUZZ_NAMES); do \
		FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/test_fuzz_$$name.sh || failed=1; \
	done; exit $$failed

$(FUZZ_DIR)/fw/%.o: fw/%.c $(SKEL)
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/tests/%.o: tests/unit/%.c $(SKEL)
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/%.o: tests/fuzz/%.c $(SKEL)
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/fuzz_%.o $(FUZZ_HELPER_OBJS) $(FUZZ_LIB)
	$(call msg,FUZZ-LD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

-include $(wildcard $(FUZZ_DIR)/*.d $(FUZZ_DIR)/fw/*.d $(FUZZ_DIR)/fw/*/*.d $(FUZZ_DIR)/tests/*.d)
