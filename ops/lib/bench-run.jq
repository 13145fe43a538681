# ops/lib/bench-run.jq — figures of one measured run (a line of runs.jsonl), shared by the half-rate
# and curve tables of ops/bench (`jq -L ops/lib 'include "bench-run"; …'`).

# A latency with one decimal, or – when the run has none.
def r: if . == null then "–" else . * 10 | round / 10 end;
# The median of f over an array of runs (the upper one of an even count).
def med(f): map(f) | sort | .[length / 2 | floor];
# A latency summary (or null) as "p50 / p99".
def part: if . == null then "–" else "\(.p50 | r) / \(.p99 | r)" end;
# The medians over an array of runs of a latency summary's p50 and p99, "p50 / p99" (– where runs have none).
def medpart(f): if all(.[]; f == null) then "–" else "\(med(f.p50) | r) / \(med(f.p99) | r)" end;
# CPU-ms per order: serve, the workers, RabbitMQ, Redis and the load generator over the whole run.
def cpums: ([.cpu[]] | add) / .orders * 1000;
# Their share of all $cpus CPUs, in %, until the run's last delivered notice or last email.
def busy($cpus): ([.cpu[]] | add) / ([.endToEndSeconds, (.emailSeconds // 0)] | max) / $cpus * 100;
# The share of the machine's CPU time, in %, that the host took while a vCPU wanted to run (steal,
# from /proc/stat, over the same span as the CPU figures); null for runs recorded before it was kept.
def steal: .machine as $m | if $m == null then null else ($m.busy + $m.idle + $m.steal) as $all
  | if $all > 0 then $m.steal / $all * 100 else null end end;
# A share in % with one decimal, or – when there is none.
def pct: if . == null then "–" else "\(. * 10 | round / 10) %" end;
# Orders and p50 / p99 of a latency summary (`pizzeria load`'s host split), or – when it has none.
def ways(s): if s == null then "0, –" else "\(s.count), \(s.p50 | r) / \(s.p99 | r)" end;
# Whether a step of runs meets issue 5's latency target: median placement→accepted p99 under 25 ms.
def meets_target: med(.latencyMs.accepted.p99) < 25;
