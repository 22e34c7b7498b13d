# SPDX-License-Identifier: GPL-2.0
# Summaries and the report of the benchmark suite (tools/bench.sh);
# the schema is documented in docs/bench.md.

def median:
	map(select(. != null)) | sort
	| if length == 0 then null
	  elif length % 2 == 1 then .[length / 2 | floor]
	  else (.[length / 2 - 1] + .[length / 2]) / 2 end;

# A comparison measured in pairs: $a (ppxdp) and $b (xdp-tools) hold the
# pairs' rates in Mpps; the ratio is the median of the pairs' ratios.
def paired($a; $b):
	[range($a | length) | $a[.] / $b[.]] as $pr
	| {ppxdp_mpps: ($a | median), xdp_tools_mpps: ($b | median),
	   ratio: ($pr | median), pair_ratios: $pr};

# {median, min, max} of an array of numbers (nulls ignored)
def summary:
	map(select(. != null))
	| if length == 0 then {median: null, min: null, max: null}
	  else {median: median, min: min, max: max} end;

def ratio($a; $b):
	if $a == null or $b == null or $b == 0 then null else $a / $b end;

# Generator intervals without the first (warm-up) and a short last one.
def gen_steady:
	if length >= 3 then .[1:-1] else . end;

# CPU figures of a window: per-CPU medians over the intervals; used: busy
# CPUs among the scenario's; kernel: system + softirq + irq time there,
# the time of the measured path (all of it runs in the kernel), which
# other processes' user time does not inflate; ns_per_frame: kernel time
# per frame counted at the measuring point, over the whole window.
def cpu_summary($cpus; $frames):
	def on_cpus: [.[] | select(.cpu as $c | $cpus | index($c))];
	(.intervals | map(.cpu) | transpose
	 | map(select(.[0] != null)
	       | {cpu: .[0].cpu,
		  busy: (map(.busy) | median),
		  user: (map(.user) | median),
		  system: (map(.system) | median),
		  softirq: (map(.softirq) | median),
		  steal: (map(.steal) | median)})) as $per
	| (.totals.cpu | on_cpus) as $tot
	| ([$tot[] | .system + .softirq + .irq] | add) as $kernel
	| {per_cpu: $per, scenario_cpus: $cpus,
	   used: ([$per | on_cpus | .[].busy] | add),
	   kernel: $kernel,
	   # user time on the scenario's CPUs: the measured path is all kernel
	   # time, so this is other work competing for them
	   other_user: ([$tot[] | .user] | add),
	   ns_per_frame: (if $kernel == null or ($frames // 0) == 0 then null
			  else $kernel * .totals.secs / $frames * 1e9 end)};

def stats_summary($name):
	.totals.stats[$name] as $t
	| if $t == null then null else
	  {mpps: ([.intervals[].stats[$name].pps / 1e6] | summary),
	   frames: $t.frames,
	   actions: ($t.actions | map_values(.packets)),
	   per_cpu: $t.per_cpu} end;

# One scenario from bench-sample's window ($s), the generator's JSON ($g)
# and the sample taken after the generator stopped ($e).
def scenario_record:
	$s[0] as $s | $g[0] as $g | ($e[0] // {}) as $e
	| ([$s.intervals[].stats[$at].pps / 1e6]) as $head
	| ($head | summary) as $mpps
	| ($s | stats_summary("dut")) as $dut
	| ($s | stats_summary("sink")) as $sink
	| {
	    name: $name,
	    size: $size,
	    status: "ok",
	    prog: $prog,
	    variant: (if $variant == "-" then null else $variant end),
	    measured_at: $at,
	    mpps: $mpps,
	    intervals_mpps: $head,
	    gen: {
	      mpps: ([$g.intervals[].pps / 1e6] | gen_steady | summary),
	      frames: $g.frames, sent: $g.sent, errors: $g.errors,
	      cpus: $g.cpus
	    },
	    dut: ($dut + {expected_action: $action}),
	    sink: $sink,
	    pools: (if $s.totals.pools == null then null else
	      $s.totals.pools as $p
	      | {source: $pools_source,
		 pools: $p.pools,
		 new_pages: $p.new_pages,
		 consumed: $p.consumed,
		 recycle: $p.recycle,
		 recycle_min: ([$s.intervals[].pools.recycle] | map(select(. != null)) | min),
		 inflight_max: $p.inflight_max,
		 inflight_end: $e.totals.pools.inflight_last,
		 live_end: $e.totals.pools.live_last} end),
	    cpu: ($s | cpu_summary($cpus; $s.totals.stats[$at].frames)
		   | .placement = {gen: $gen_cpu, dut: $gen_cpu,
				   # after cpumap, the rest of the path runs on its CPU
				   sink: (if $at != "sink" then null
					  elif $variant == "cpumap" then $aux_cpu
					  else $gen_cpu end),
				   cpumap: (if $variant == "cpumap" then $aux_cpu else null end),
				   sampler: $aux_cpu}),
	    counters_moved: (($dut.frames // 0) > 0
			     and ($dut.actions[$action] // 0) > 0
			     and ($sink == null or ($sink.frames // 0) > 0))
	  };

def find($recs; $name; $size):
	[$recs[] | select(.name == $name and .size == $size and .status == "ok")][0];

# {a, b, size, a_mpps, b_mpps, ratio, what} for each size both ran at
def ratio_rows($recs; $a; $b; $what):
	[$recs[] | select(.name == $a and .status == "ok") | .size] | unique
	| map(. as $sz
	      | {size: $sz, ra: find($recs; $a; $sz), rb: find($recs; $b; $sz)}
	      | select(.rb != null)
	      | {a: $a, b: $b, size, a_mpps: .ra.mpps.median, b_mpps: .rb.mpps.median,
		 ratio: ratio(.ra.mpps.median; .rb.mpps.median), what: $what})[];

def results:
	$records as $recs
	| {
	    schema: 1,
	    generated: (now | todate),
	    kernel: $kernel,
	    ppxdp: $version,
	    smoke: ($smoke == 1),
	    config: {intervals: $intervals, interval: $interval, warmup: $warmup,
		     nr_cpus: $nr_cpus, gen_cpu: $gen_cpu, aux_cpu: $aux_cpu},
	    pools_source: (if $pools_source == "null" then null else $pools_source end),
	    trace_note: (if $trace_note == "" then null else $trace_note end),
	    host_trace_running: ($host_trace == 1),
	    scenarios: $recs,
	    ratios: {
	      fwd: [
		ratio_rows($recs; "fwd-10000"; "drop";
		  "fwd, 10,000 routes (forwarded, at the sink) / drop (at the DUT)"),
		ratio_rows($recs; "fwd-10000-worst"; "drop";
		  "fwd, 10,000 rules, worst case (at the sink) / drop (at the DUT)"),
		ratio_rows($recs; "fwd-10000"; "fwd-1";
		  "fwd, 10,000 routes / fwd, 1 rule: the cost of the rules"),
		ratio_rows($recs; "fwd-10000-worst"; "fwd-1";
		  "fwd, 10,000 rules, worst case / fwd, 1 rule"),
		ratio_rows($recs; "fwd-1"; "redirect-devmap";
		  "fwd, 1 rule / redirect (devmap): parsing, lookups and rewrite")
	      ],
	      trace: $trace[0]
	    },
	    xdp_tools: $xt[0]
	  };

# ---- the human table ------------------------------------------------------------

def fixed($d):
	if . == null then "-" else
	  ((. * pow(10; $d)) | round) as $n
	  | ($n | fabs | tostring) as $s
	  | (if ($s | length) <= $d then ("0" * ($d + 1 - ($s | length))) + $s
	     else $s end) as $p
	  | (if $n < 0 then "-" else "" end)
	    + $p[0:($p | length) - $d]
	    + (if $d > 0 then "." + $p[($p | length) - $d:] else "" end)
	end;

def lpad($n): tostring | (" " * ($n - length)) + .;
def rpad($n): tostring | . + (" " * ($n - length));
def pct: if . == null then "-" else (. * 100 | fixed(3)) + "%" end;

def scenario_line:
	if .status != "ok" then
	  "\(.name | rpad(17))\(.size | lpad(5))  \(.status | ascii_upcase): \(.reason)"
	else
	  (.name | rpad(17)) + (.size | lpad(5)) + "  " + (.measured_at | rpad(5))
	  + (.mpps.median | fixed(2) | lpad(8)) + (.mpps.min | fixed(2) | lpad(8))
	  + (.mpps.max | fixed(2) | lpad(8)) + (.dut.mpps.median | fixed(2) | lpad(8))
	  + (.gen.mpps.median | fixed(2) | lpad(8))
	  + (.pools.recycle | pct | lpad(10))
	  + ("\(.pools.inflight_max // "-")/\(.pools.inflight_end // "-")" | lpad(10))
	  + (.cpu.used | fixed(2) | lpad(6)) + (.cpu.ns_per_frame | fixed(1) | lpad(10))
	end;

def table:
	. as $r
	| "ppxdp benchmark, kernel \(.kernel), \(.ppxdp)\(if .smoke then " (smoke run)" else "" end)",
	  "\(.config.intervals) interval(s) of \(.config.interval) s after \(.config.warmup) s of warm-up; Mpps = median (min, max) over the intervals",
	  "placement: ppxdp gen pinned to CPU \(.config.gen_cpu) (taskset); the DUT and the sink run in veth NAPI on the same CPU; cpumap target and the sampler on CPU \(.config.aux_cpu)",
	  "at: where Mpps is counted (dut: the program under test, sink: the drop program behind it); DUT, gen: the DUT program's and the generator's own rates",
	  "recycle: 1 - new pages / frames of the scenario's page_pools; inflight: pages out of them, peak during / 0.1 s after the run",
	  "CPUs: busy CPUs among the scenario's; ns/frame: their kernel time (system + softirq) per frame counted",
	  "pools: \(.pools_source // ("none: " + (.trace_note // "ppxdp trace not running")))",
	  (if .host_trace_running then "note: a ppxdp trace session of the host was running: its tracing programs fire in every run" else empty end),
	  "",
	  ("scenario" | rpad(17)) + ("size" | lpad(5)) + "  " + ("at" | rpad(5))
	  + ("Mpps" | lpad(8)) + ("min" | lpad(8)) + ("max" | lpad(8)) + ("DUT" | lpad(8))
	  + ("gen" | lpad(8))
	  + ("recycle" | lpad(10)) + ("inflight" | lpad(10)) + ("CPUs" | lpad(6))
	  + ("ns/frame" | lpad(10)),
	  (.scenarios[] | scenario_line),
	  ([.scenarios[] | select(.status == "ok" and (.cpu.other_user // 0) > 0.05)
	    | "\(.name)/\(.size) (\(.cpu.other_user | pct))"] as $busy
	   | if ($busy | length) > 0 then
		"note: other processes took user time on the measured CPUs during \($busy | join(", ")): those rates are low"
	     else empty end),
	  "",
	  "ratios (same run):",
	  (.ratios.fwd[] | "  \("\(.a) / \(.b)" | rpad(30)) \(.size | lpad(4)) B: \(.ratio | fixed(4) | lpad(7))  (\(.what))"),
	  (.ratios.trace // {status: "skip", reason: "not run"}
	   | if .status != "ok" then "  ppxdp trace on / off: SKIP: \(.reason)"
	     else (.runs[]
		   | "  ppxdp trace on / off, \(.scenario) \(.size) B: throughput \(.ratio | fixed(4)) (off \(.off.median | fixed(2)), on \(.on.median | fixed(2)) Mpps; target >= 0.98: \(if .ratio >= 0.98 then "met" else "NOT met" end))",
		     "      \(.pairs) A/B pairs, per-pair ratios \([.pair_ratios[] | fixed(3)] | join(" ")); kernel time per frame on / off \(.cost.ratio | fixed(4)) (\(.cost.off_ns_per_frame.median | fixed(1)) -> \(.cost.on_ns_per_frame.median | fixed(1)) ns)")
	     end),
	  "",
	  (.xdp_tools // {status: "skip", reason: "not run"}
	   | if .status != "ok" then "xdp-tools comparison: SKIP: \(.reason)"
	     else "xdp-tools comparison (ppxdp / xdp-tools, measured at the same point):",
		  (.tools[] | "  \(.tool): \(if .available then (.version // "?") + (if .workaround then "; \(.workaround)" else "" end) else "unavailable: \(.reason)" end)"),
		  (if .note then "  note: \(.note)" else empty end),
		  (.comparisons[] | if .status == "ok"
		    then "  \(.ppxdp | rpad(22)) \(.ppxdp_mpps | fixed(2) | lpad(7)) Mpps  vs  \(.xdp_tools | rpad(34)) \(.xdp_tools_mpps | fixed(2) | lpad(7)) Mpps  ratio \(.ratio | fixed(3))\(if (.pair_ratios // []) | length > 1 then " (median of pairs \([.pair_ratios[] | fixed(3)] | join(" ")))" else "" end)"
		    else "  \(.ppxdp | rpad(22)) vs \(.xdp_tools): \(.status | ascii_upcase): \(.reason)" end)
	     end);
