# shellcheck shell=bash
# CPU scheduling class for everything a script starts: RabbitMQ, Redis, serve, the workers and,
# in ops/bench, the load generator. Sourced by ops/run and ops/bench.
#
# PIZZERIA_CPU_POLICY=batch (the default) moves the calling shell to SCHED_BATCH; every process it
# starts afterwards inherits the class. SCHED_BATCH is the normal fair scheduler without wake-up
# preemption: a thread that wakes another (a commit waking the relay, a publish waking RabbitMQ, a
# reply waking Redis' reader) keeps its core until it blocks or its slice ends, instead of being
# switched out halfway through, often while it holds SQLite's write lock. On these 2-core machines,
# where every part of the pipeline shares the same cores, that halved the context switches per order
# at full speed and cut placement->accepted latency at half load (README, "Benchmark"). It needs no
# privilege and changes no share of CPU between processes. PIZZERIA_CPU_POLICY=other keeps the
# default class (SCHED_OTHER).

# cpu_policy_apply — switch this shell to the configured class; warns on stderr when it cannot, and
# fails (status 2) on an unknown PIZZERIA_CPU_POLICY.
cpu_policy_apply() {
  local policy=${PIZZERIA_CPU_POLICY:-batch}
  case $policy in
    other) return 0 ;;
    batch)
      if ! command -v chrt >/dev/null; then
        echo "cpu-policy: chrt (util-linux) is missing; keeping the default CPU scheduling" >&2
        return 0
      fi
      chrt --batch --pid 0 $$ >/dev/null ||
        echo "cpu-policy: could not switch to SCHED_BATCH; keeping the default CPU scheduling" >&2
      ;;
    *)
      echo "cpu-policy: PIZZERIA_CPU_POLICY must be batch or other, not '$policy'" >&2
      return 2
      ;;
  esac
}

# cpu_policy_name — this shell's scheduling class as the kernel reports it (SCHED_BATCH, SCHED_OTHER).
cpu_policy_name() {
  chrt --pid $$ 2>/dev/null | sed -n 's/.*scheduling policy: //p' | head -n 1
}
