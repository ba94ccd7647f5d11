# xdpfw: clang -target bpf -> bpftool gen skeleton -> one userspace binary.
# `make V=1` prints full commands.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD := build
NPROC := $(shell nproc 2>/dev/null || echo 2)

CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
# The BPF build needs asm/ from the Debian multiarch dir (x86_64-linux-gnu), a
# name neither clang's -dumpmachine nor its -print-multiarch gives: dpkg knows
# (gcc too, if dpkg-dev is not installed yet).
MULTIARCH ?= $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch 2>/dev/null)
ARCH_INCLUDE := /usr/include/$(MULTIARCH)

WARN := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -MMD -MP -Ifw -I$(BUILD) -D_GNU_SOURCE
BPF_CFLAGS := -O2 -g -target bpf -mcpu=v3 $(WARN) -MMD -MP -Ifw -I$(ARCH_INCLUDE)
LDLIBS := -lbpf -lelf -lz -lyaml -lsystemd -ljson-c -lpthread

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

BPF_OBJ := $(BUILD)/xdpfw.bpf.o
SKEL := $(BUILD)/xdpfw.skel.h
LIB_SRCS := $(filter-out fw/main.c,$(wildcard fw/*.c)) $(wildcard fw/config/*.c)
LIB_OBJS := $(patsubst fw/%.c,$(BUILD)/fw/%.o,$(LIB_SRCS))
LIB := $(BUILD)/libxdpfw.a
BIN := $(BUILD)/xdpfw
TEST_BIN := $(BUILD)/xdpfw-test
TEST_HOOK_OBJS := $(patsubst fw/%.c,$(BUILD)/fw-test/%.o,fw/main.c $(LIB_SRCS))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_HELPERS := $(filter-out $(UNIT_SRCS),$(wildcard tests/unit/*.c))
UNIT_HELPER_OBJS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%.o,$(UNIT_HELPERS))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

.PHONY: all deps test unit-tests install clean demo bench
.PRECIOUS: $(BUILD)/tests/%.o
all: $(BIN) $(UNIT_BINS)

$(BUILD) $(BUILD)/fw $(BUILD)/fw/config $(BUILD)/tests:
	$(Q)mkdir -p $@

$(BPF_OBJ): bpf/xdpfw.bpf.c | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(SKEL): $(BPF_OBJ)
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name xdpfw > $@.tmp && mv $@.tmp $@

$(BUILD)/fw/%.o: fw/%.c $(SKEL) | $(BUILD)/fw
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# The config parser: its internal headers live beside it, only fw/config.h is public.
$(BUILD)/fw/config/%.o: fw/config/%.c $(SKEL) | $(BUILD)/fw/config
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	@# Afresh, so an object whose source moved or went is not kept.
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BIN): $(BUILD)/fw/main.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The same binary with test hooks (XDPFW_FAILPOINT), from objects of its own;
# only tests run it: what `make install` installs reads no test variables.
$(BUILD)/fw-test/%.o: fw/%.c $(SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(CFLAGS) -DFW_TEST_HOOKS -c $< -o $@

$(TEST_BIN): $(TEST_HOOK_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(wildcard $(TEST_HOOK_OBJS:.o=.d))

$(BUILD)/tests/%.o: tests/unit/%.c $(SKEL) | $(BUILD)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit -c $< -o $@

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(UNIT_HELPER_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# Installs what a fresh Debian 12 lacks; a no-op when everything is there.
DEB_PACKAGES := clang llvm dpkg-dev bpftool libbpf-dev libelf-dev zlib1g-dev libyaml-dev \
	libsystemd-dev libjson-c-dev libcmocka-dev pkg-config iproute2 ethtool iputils-ping \
	python3-scapy jq systemd man-db groff-base
deps:
	$(Q)tests/install-deps.sh $(DEB_PACKAGES)

unit-tests: $(UNIT_BINS)

# What `make test` builds besides `all`; mk/*.mk add to it.
TEST_BUILD := $(TEST_BIN)

test: deps
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all $(TEST_BUILD)
	$(Q)tests/run.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all
	$(Q)scripts/demo.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all
	$(Q)bench/run.sh

install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/xdpfw
	@# The config is the operator's once it exists: never overwrite it.
	@if [ ! -e $(DESTDIR)/etc/xdpfw/xdpfw.yaml ]; then \
		install -D -m 0644 conf/xdpfw.yaml $(DESTDIR)/etc/xdpfw/xdpfw.yaml; fi
	install -d $(DESTDIR)/lib/systemd/system
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' systemd/xdpfw.service > $(DESTDIR)/lib/systemd/system/xdpfw.service
	install -D -m 0644 man/xdpfw.8 $(DESTDIR)$(PREFIX)/share/man/man8/xdpfw.8
	install -D -m 0644 man/xdpfw.yaml.5 $(DESTDIR)$(PREFIX)/share/man/man5/xdpfw.yaml.5

clean:
	rm -rf $(BUILD)

-include $(wildcard $(BUILD)/*.d $(BUILD)/fw/*.d $(BUILD)/fw/config/*.d $(BUILD)/tests/*.d)

# Parts of the build with a file of their own (sanitizers, fuzzing, ...).
include $(wildcard mk/*.mk)

# bench: programs and tools that only `make bench` uses (bench/run.sh builds them).
BENCH_BPF := $(patsubst bench/%.bpf.c,$(BUILD)/bench/%.bpf.o,$(wildcard bench/*.bpf.c))
BENCH_HELPERS := bench/addrs.c bench/bpfobj.c bench/hold.c bench/timing.c bench/targets.c
BENCH_HELPER_OBJS := $(patsubst bench/%.c,$(BUILD)/bench/%.o,$(BENCH_HELPERS)) \
	$(BUILD)/tests/pkt.o
BENCH_BINS := $(BUILD)/bench/pktcost $(BUILD)/bench/wiregen $(BUILD)/bench/wireload \
	$(BUILD)/bench/verdictwait
.PHONY: bench-bins
.PRECIOUS: $(BUILD)/bench/%.o
bench-bins: $(BENCH_BPF) $(BENCH_BINS)

$(BUILD)/bench:
	$(Q)mkdir -p $@

$(BUILD)/bench/%.bpf.o: bench/%.bpf.c | $(BUILD)/bench
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bench/%.o: bench/%.c $(SKEL) | $(BUILD)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -std=c11 -Itests/unit -c $< -o $@

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BENCH_HELPER_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(wildcard $(BUILD)/bench/*.d)
