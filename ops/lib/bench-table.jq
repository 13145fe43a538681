# ops/lib/bench-table.jq — the Markdown table of ops/bench.
# Input (slurped): one `pizzeria load --json` report per run, with serveRSS, workRSS (MiB) and cpu
# {serve, work, rabbitmq, redis, load} (CPU seconds during the run) and machine {busy, idle, steal}
# (the whole machine's CPU seconds, /proc/stat) added by ops/bench.
# Arguments: $probes (the `pizzeria probe --json` objects), $runs, $concurrency, $workers, $when, $cpus, $host, $cpupolicy, $queuetype,
# $binary (PIZZERIA_BENCH_BINARY, empty when the bench built its own),
# $note (empty, or a line to put first), $rate (empty, or the orders/s offered).

include "bench-run";  # steal, pct/0; the definitions below (r, pct/2 among them) are this table's own

def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def r: if . >= 100 then round elif . >= 10 then (. * 10 | round) / 10 else (. * 100 | round) / 100 end;
def ceiling($name): [$probes[].results[] | select(.name | startswith($name)) | .opsPerSecond] | first // 0;
def pct($used; $ceiling): if $ceiling > 0 then "\($used / $ceiling * 100 | round) %" else "-" end;
(ceiling("amqp publish")) as $pub | (ceiling("amqp consume")) as $con
| (ceiling("redis PUBLISH, pipelined")) as $redis | (ceiling("sqlite tx")) as $sqlite | (ceiling("maildir")) as $maildir
| group_by(.orders) | map({
    orders: .[0].orders,
    e2e: (map(.endToEndOrdersPerSecond) | median), placed: (map(.placementOrdersPerSecond) | median),
    a50: (map(.latencyMs.accepted.p50) | median), a90: (map(.latencyMs.accepted.p90) | median),
    a99: (map(.latencyMs.accepted.p99) | median), amax: (map(.latencyMs.accepted.max) | median),
    d50: (map(.latencyMs.delivered.p50) | median), d90: (map(.latencyMs.delivered.p90) | median),
    d99: (map(.latencyMs.delivered.p99) | median), dmax: (map(.latencyMs.delivered.max) | median),
    serve: (map(.serveRSS) | max), work: (map(.workRSS) | max),
    wall: (map([.endToEndSeconds, (.emailSeconds // 0)] | max) | median),
    emails: (if all(.[]; .emailSeconds != null) then map(.orders / .emailSeconds) | median else null end),
    cpu: (. as $runs | reduce (.[0].cpu | keys_unsorted[]) as $p ({}; .[$p] = ($runs | map(.cpu[$p]) | median))),
    io: (if all(.[]; .io != null) then (. as $runs | reduce (.[0].io | keys_unsorted[]) as $p ({}; .[$p] = ($runs | map(.io[$p] / .orders) | median))) else null end),
    steal: (if all(.[]; .machine != null) then map(steal) | median else null end),
    perThousand: (.[0].orders / 1000)}) as $rows
| "# Pizzeria benchmark, \($when)",
  "",
  (select($note != "") | "**\($note)**", ""),
  "\($host), \($cpus) CPUs; \(if $binary == "" then "release build" else "executable \($binary)" end); CPU scheduling \(if $cpupolicy == "" then "unknown" else $cpupolicy end); \($queuetype) work queues; \($workers); stage times 0; concurrency \($concurrency)\(if $rate != "" then "; offered at \($rate) orders/s" else "" end); median of \($runs) run(s) per size.",
  "",
  "## Ceilings (`pizzeria probe`, same adapters, nothing else running)",
  "",
  "| probe | ops/s | CPU-µs each |",
  "|---|---:|---:|",
  ($probes[].results[] | "| \(.name) | \(.opsPerSecond | r) | \(if .cpuMicrosecondsPerOperation then .cpuMicrosecondsPerOperation | r else "–" end) |"),
  "",
  "## Pipeline (`pizzeria load`, POST sent → notice seen on Redis)",
  "",
  (if $rate != "" then "Orders are offered at \($rate) per second (`--rate`): the latencies are those of that load." else
  "Orders go out as fast as \($concurrency) concurrent POSTs allow, faster than the pipeline delivers them, so these\nlatencies are mostly time spent queueing behind the burst; `ops/bench --rate R` shows latency at a given load." end),
  "",
  "The email column counts from the start of `pizzeria load` to the last of the run's 3 emails per order (the",
  "email worker is not on the way to `delivered`, and may finish later).",
  "",
  "| orders | end to end orders/s | all emails written, orders/s | HTTP 201/s | accepted p50 / p90 / p99 / max ms | delivered p50 / p90 / p99 / max ms | peak RSS serve / \(if ($workers | startswith("three")) then "largest worker process" elif ($workers | startswith("the workers inside")) then "work (none)" else "work" end) MiB |",
  "|---:|---:|---:|---:|---:|---:|---:|",
  ($rows[] | "| \(.orders) | \(.e2e | r) | \(if .emails then .emails | r else "-" end) | \(.placed | r) | \(.a50 | r) / \(.a90 | r) / \(.a99 | r) / \(.amax | r) | \(.d50 | r) / \(.d90 | r) / \(.d99 | r) / \(.dmax | r) | \(.serve) / \(.work // "-") |"),
  "",
  "## The pipeline against the ceilings",
  "",
  "Per order: 6 status changes (placed … delivered), 9 SQLite writes (1 placement, 5 status changes, 3 emails;",
  "outbox claims and deletes on top), 6 AMQP publishes, 5 AMQP deliveries (kitchen 1, delivery 1, email 3),",
  "12 Redis PUBLISH (order channel + kitchen), 3 maildir files. The ceilings are one SQLite write per transaction,",
  "AMQP confirms per 100 and one ack per message: where the pipeline batches more than that, it can pass 100 %.",
  "",
  "| orders | status changes/s (×6) | SQLite writes/s (×9) vs sqlite-tx | AMQP publishes/s (×6) vs amqp-publish | AMQP deliveries/s (×5) vs amqp-consume | Redis PUBLISH/s (×12) vs pipelined | maildir files/s (×3, at the emails' rate) vs maildir |",
  "|---:|---:|---:|---:|---:|---:|---:|",
  ($rows[] | "| \(.orders) | \(.e2e * 6 | r) | \(.e2e * 9 | r) = \(pct(.e2e * 9; $sqlite)) | \(.e2e * 6 | r) = \(pct(.e2e * 6; $pub)) | \(.e2e * 5 | r) = \(pct(.e2e * 5; $con)) | \(.e2e * 12 | r) = \(pct(.e2e * 12; $redis)) | \((.emails // .e2e) * 3 | r) = \(pct((.emails // .e2e) * 3; $maildir)) |"),
  "",
  "## Where the CPU goes (CPU seconds per 1,000 orders, user + system, whole run)",
  "",
  "Measured until the run's last email. The last column is the share of all \($cpus) CPUs that these processes kept busy",
  "from the first POST to the last delivered notice or the last email, whichever came later. Steal is the share of the",
  "machine's CPU time the host took while a vCPU wanted to run (/proc/stat): a busy host shows there, not in our figures.",
  "",
  "| orders | serve | work | RabbitMQ | Redis | load generator | busy | steal |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|",
  ($rows[] | . as $row | "| \(.orders) | " + ([.cpu.serve, .cpu.work, .cpu.rabbitmq, .cpu.redis, .cpu.load] | map(. / $row.perThousand | r | tostring) | join(" | "))
    + " | \(if .wall > 0 then ([.cpu[]] | add) / .wall / ($cpus | tonumber) * 100 | round | tostring + " %" else "-" end) | \(.steal | pct) |")
  ,
  "",
  "## Storage and system calls per order (from /proc/PID/io, whole run)",
  "",
  "Bytes sent to storage (SQLite's WAL and checkpoints; for work also the maildir files) and read/write system calls.",
  "They count work done rather than time taken, so they compare across runs on a noisy machine.",
  "",
  "| orders | serve KiB written | work KiB written | serve syscalls | work syscalls |",
  "|---:|---:|---:|---:|---:|",
  ($rows[] | select(.io != null) | "| \(.orders) | \(.io.serveBytesWritten / 1024 | r) | \(.io.workBytesWritten / 1024 | r) | \(.io.serveSyscalls | r) | \(.io.workSyscalls | r) |")
