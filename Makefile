# SPDX-License-Identifier: GPL-2.0
# ppxdp top-level build. All output goes to build/.
#
#   make deps     install the Debian packages the build and tests need
#   make          build the ppxdp CLI, the XDP and tracing objects, tools
#   make test     build and run the whole test suite
#   make demo     build and run the three-namespace demo
#   make install  PREFIX=/usr/local DESTDIR=

BUILD      ?= build
PREFIX     ?= /usr/local
V          ?= 0
Q          := $(if $(filter 1,$(V)),,@)

CLANG      ?= clang
CC         ?= gcc
BPFTOOL    ?= bpftool
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
# Set VMLINUX_H to use a ready vmlinux.h instead of generating one from
# VMLINUX_BTF (for example to build CO-RE objects on a machine without BTF).
VMLINUX_H  ?= $(BUILD)/vmlinux.h

DEPS_STAMP := $(BUILD)/.deps.stamp

XDP_SRCS   := $(wildcard xdp-progs/*.bpf.c)
TRACE_SRCS := $(wildcard bpf/*.bpf.c)
XDP_OBJS   := $(patsubst xdp-progs/%.bpf.c,$(BUILD)/xdp-progs/%.bpf.o,$(XDP_SRCS))
TRACE_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(TRACE_SRCS))
SKELS      := $(patsubst %.bpf.o,$(BUILD)/skel/%.skel.h,$(notdir $(XDP_OBJS) $(TRACE_OBJS)))

LOADER_SRCS := $(wildcard loader/*.c)
LOADER_OBJS := $(patsubst loader/%.c,$(BUILD)/loader/%.o,$(LOADER_SRCS))
# Everything but main(): linked into the CLI and into the test binaries.
LIB_OBJS    := $(filter-out $(BUILD)/loader/main.o,$(LOADER_OBJS))

UNIT_SRCS    := $(wildcard tests/unit/*.c)
PROGRUN_SRCS := $(wildcard tests/progrun/*.c)
TOOL_SRCS    := $(wildcard tools/*.c)
TOOLS        := $(patsubst tools/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
	      -I$(dir $(VMLINUX_H)) -Ibpf -Ixdp-progs
CFLAGS     ?= -O2 -g
CFLAGS     += -Wall -Wextra -Wno-unused-parameter -Werror=implicit-function-declaration \
	      -std=gnu11 -D_GNU_SOURCE -I$(BUILD)/skel -Ibpf -Iloader
LDLIBS     := -lbpf -lelf -lz -lmnl -lm -lpthread

.PHONY: all deps test test-unit test-progrun test-netns demo bench install clean help

all: $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory build-all

.PHONY: build-all
build-all: $(BUILD)/ppxdp $(XDP_OBJS) $(TRACE_OBJS) $(TOOLS) $(BUILD)/ppxdp.8

help:
	@sed -n '2,10p' Makefile | sed 's/^# \{0,1\}//'

deps:
	$(Q)tools/deps.sh
	$(Q)mkdir -p $(BUILD) && touch $(DEPS_STAMP)

$(DEPS_STAMP): tools/deps.sh $(wildcard tools/deps.d/*.list)
	$(Q)tools/deps.sh
	$(Q)mkdir -p $(BUILD) && touch $@

$(BUILD)/vmlinux.h:
	$(Q)mkdir -p $(@D)
	@echo "  GEN      $@ (from $(VMLINUX_BTF))"
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(BUILD)/xdp-progs/%.bpf.o: xdp-progs/%.bpf.c $(VMLINUX_H) $(wildcard bpf/*.h xdp-progs/*.h)
	$(Q)mkdir -p $(@D)
	@echo "  BPF      $@"
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(VMLINUX_H) $(wildcard bpf/*.h)
	$(Q)mkdir -p $(@D)
	@echo "  BPF      $@"
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/skel/%.skel.h: $(BUILD)/xdp-progs/%.bpf.o
	$(Q)mkdir -p $(@D)
	@echo "  SKEL     $@"
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@.tmp && mv $@.tmp $@

$(BUILD)/skel/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(Q)mkdir -p $(@D)
	@echo "  SKEL     $@"
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@.tmp && mv $@.tmp $@

$(BUILD)/loader/%.o: loader/%.c $(SKELS) $(wildcard loader/*.h bpf/*.h)
	$(Q)mkdir -p $(@D)
	@echo "  CC       $@"
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/ppxdp: $(LOADER_OBJS)
	@echo "  LINK     $@"
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/ppxdp.8: docs/ppxdp.8
	$(Q)mkdir -p $(@D) && cp $< $@

$(BUILD)/tools/%: tools/%.c
	$(Q)mkdir -p $(@D)
	@echo "  CC       $@"
	$(Q)$(CC) $(CFLAGS) $< -o $@ $(LDLIBS)

$(BUILD)/tests/unit_tests: $(UNIT_SRCS) $(LIB_OBJS) $(wildcard tests/unit/*.h)
	$(Q)mkdir -p $(@D)
	@echo "  LINK     $@"
	$(Q)$(CC) $(CFLAGS) -Itests/unit $(UNIT_SRCS) $(LIB_OBJS) -o $@ $(LDLIBS) -lcriterion

$(BUILD)/tests/progrun_tests: $(PROGRUN_SRCS) $(LIB_OBJS) $(SKELS) $(wildcard tests/progrun/*.h)
	$(Q)mkdir -p $(@D)
	@echo "  LINK     $@"
	$(Q)$(CC) $(CFLAGS) -Itests/progrun $(PROGRUN_SRCS) $(LIB_OBJS) -o $@ $(LDLIBS) -lcriterion

.PHONY: build-tests
build-tests: build-all $(if $(UNIT_SRCS),$(BUILD)/tests/unit_tests) \
	$(if $(PROGRUN_SRCS),$(BUILD)/tests/progrun_tests)

# The suite runner prints one PASS/FAIL/SKIP line per test and a closing
# "N passed, N failed, N skipped" line; its exit code is the verdict.
test: $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory build-tests
	$(Q)tests/run.sh $(TESTS)

test-unit test-progrun test-netns: $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory build-tests
	$(Q)tests/run.sh $(patsubst test-%,%,$@)

demo: $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory build-all
	$(Q)tools/demo.sh

# The suite on the host (scenarios, trace on/off A/B), then the
# kernel-timed trace overhead and the stats loop's CPU, then ppnic vs veth
# inside the Debian guests when their kernels are installed. Every part
# runs; the exit status says whether one failed.
bench: $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory build-all
	$(Q)kvers="$$($(VM_SH) kernels)"; \
	test -z "$$kvers" || $(MAKE) --no-print-directory kmod || exit 1; \
	rc=0; \
	tools/bench.sh || rc=1; \
	echo; tools/bench_trace.sh --json $(BUILD)/bench/trace_kernel.json || rc=1; \
	if test -n "$$kvers" && command -v qemu-system-x86_64 >/dev/null; then \
		echo; tools/vm/bench.sh --out $(BUILD)/bench/vm || rc=1; \
	else \
		echo "bench: no Debian guest kernel or qemu (make deps): ppnic vs veth not measured"; \
	fi; \
	exit $$rc

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/ppxdp \
		$(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0755 $(BUILD)/ppxdp $(DESTDIR)$(PREFIX)/sbin/ppxdp
	install -m 0644 $(XDP_OBJS) $(TRACE_OBJS) $(DESTDIR)$(PREFIX)/lib/ppxdp/
	install -m 0644 docs/ppxdp.8 $(DESTDIR)$(PREFIX)/share/man/man8/ppxdp.8

clean:
	rm -rf $(BUILD)

.DELETE_ON_ERROR:
.SECONDARY:

# Part-specific rules (VM harness, kernel module, ...).
-include $(wildcard mk/*.mk)
