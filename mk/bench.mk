# SPDX-License-Identifier: GPL-2.0
# Benchmark suite (`make bench`, tools/bench.sh; docs/bench.md).
#
# bench-sample, the sampler the suite runs, reads ppxdp's counter and
# page_pool records with the loader's own arithmetic (counters, pool_stats)
# and JSON writer, so it is linked with those objects. It is part of
# build-all: `make bench` builds it, and so does every test build.

BENCH_SAMPLE := $(BUILD)/tools/bench-sample
BENCH_SAMPLE_OBJS := $(addprefix $(BUILD)/loader/,counters.o pool_stats.o json_writer.o)

build-all: $(BENCH_SAMPLE)

$(BENCH_SAMPLE): tools/bench/sample.c $(BENCH_SAMPLE_OBJS) $(wildcard bpf/*.h loader/*.h)
	$(Q)mkdir -p $(@D)
	@echo "  CC       $@"
	$(Q)$(CC) $(CFLAGS) $< $(BENCH_SAMPLE_OBJS) -o $@ $(LDLIBS)

# xdptools-fix.so: preloaded into Debian's xdp-tools 1.3.1 only when they
# fail in one of the two known ways (tools/bench/xdptools_fix.c).
XDPTOOLS_FIX := $(BUILD)/tools/xdptools-fix.so

build-all: $(XDPTOOLS_FIX)

$(XDPTOOLS_FIX): tools/bench/xdptools_fix.c
	$(Q)mkdir -p $(@D)
	@echo "  CC       $@"
	$(Q)$(CC) $(CFLAGS) -shared -fPIC $< -o $@ -ldl -lbpf
