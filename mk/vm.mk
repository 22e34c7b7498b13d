# SPDX-License-Identifier: GPL-2.0
# Kernel module (kernel-mod/) and QEMU guests running Debian's kernels.
#
#   make kmod [KVER=...]   build ppnic.ko into build/kmod/KVER/ for KVER
#                          (default: every kernel tools/vm/vm.sh kernels lists)
#   make test-vm           run tests/vm (module tests and the project's
#                          suites inside one guest per kernel)
#   make bench-vm          ppnic vs veth XDP_DROP ratio inside the guests

VM_SH     := tools/vm/vm.sh
KMOD_SRCS := kernel-mod/Kbuild $(wildcard kernel-mod/*.c kernel-mod/*.h)
KMOD_KVERS = $(or $(KVER),$(shell $(VM_SH) kernels))

.PHONY: kmod test-vm bench-vm

kmod:
	$(Q)test -n "$(KMOD_KVERS)" || { echo "kmod: no kernel headers in /lib/modules/*/build: run make deps" >&2; exit 1; }
	$(Q)$(MAKE) --no-print-directory $(foreach k,$(KMOD_KVERS),$(BUILD)/kmod/$(k)/ppnic.ko)

# Kbuild cannot put an external module's objects outside M= before 6.13, so
# every kernel gets its own copy of the sources.
$(BUILD)/kmod/%/ppnic.ko: $(KMOD_SRCS)
	$(Q)test -f /lib/modules/$*/build/Makefile || { echo "kmod: no headers for $*: install linux-headers-$*" >&2; exit 1; }
	$(Q)mkdir -p $(@D)
	$(Q)cp $(KMOD_SRCS) $(@D)/
	@echo "  KMOD     $@"
	$(Q)$(MAKE) -C /lib/modules/$*/build M=$(abspath $(@D)) W=1 KCFLAGS=-Werror \
		$(if $(filter 1,$(V)),V=1) modules >$(@D)/build.log 2>&1 || \
		{ cat $(@D)/build.log >&2; exit 1; }
	$(Q)grep -E 'warning:' $(@D)/build.log >&2 || true

test-vm: $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory build-tests
	$(Q)tests/run.sh vm

bench-vm: $(DEPS_STAMP)
	$(Q)$(MAKE) --no-print-directory build-all kmod
	$(Q)tools/vm/bench.sh

# ppnl: the netdev netlink family's view of page pools, for tests/vm.
PPNL := $(BUILD)/tools/ppnl

$(PPNL): tools/vm/ppnl.c
	$(Q)mkdir -p $(@D)
	@echo "  CC       $@"
	$(Q)$(CC) $(CFLAGS) $< -o $@ -lmnl

build-tests: $(PPNL)
