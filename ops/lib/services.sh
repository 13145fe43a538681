# shellcheck shell=bash
# ops/lib/services.sh — an isolated RabbitMQ node + Redis server per directory.
# Source it (the caller sets `set -euo pipefail`), or use the ops/services CLI.
#
#   svc_up DIR AMQP_PORT REDIS_PORT [DIST_PORT] [VHOSTS]   start (idempotent)
#   svc_down DIR                                            stop what svc_up started
#   svc_status DIR                                          print state; 0 iff both run
#
# Everything lives under DIR (made absolute):
#   DIR/rabbitmq/   home (Erlang cookie), config, mnesia, logs, pid files, console.log
#   DIR/redis/      redis.pid, redis.log (no RDB/AOF: --save '' --appendonly no)
#   DIR/rabbitmqctl wrapper: rabbitmqctl against this node (right HOME, -n, env)
#   DIR/rabbitmq/with-env   runs any command in that node's environment
#   DIR/env         export PIZZERIA_AMQP_PORT=… PIZZERIA_REDIS_PORT=… PIZZERIA_RABBITMQCTL=…
#   DIR/services.state  ports + node name, read by svc_down/svc_status
# Servers bind 127.0.0.1 only and never the default ports 5672/25672/15672/6379.
# epmd (port 4369) is a per-machine daemon shared by all Erlang nodes: it is
# started by the first node if missing and is deliberately never stopped here.

_svc_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=ops/lib/free-port.sh
. "$_svc_lib_dir/free-port.sh"

SVC_RABBIT_BIN=${SVC_RABBIT_BIN:-/usr/lib/rabbitmq/bin}  # not /usr/sbin: those su to user rabbitmq
SVC_RABBIT_TIMEOUT=${SVC_RABBIT_TIMEOUT:-60}             # seconds to wait for RabbitMQ boot
SVC_REDIS_TIMEOUT=${SVC_REDIS_TIMEOUT:-10}               # seconds to wait for Redis

_svc_say() { printf 'services: %s\n' "$*"; }
_svc_err() { printf 'services: error: %s\n' "$*" >&2; }
_svc_now() { date +%s%N; }
_svc_ms_since() { echo $((($(_svc_now) - $1) / 1000000)); }

# Print the last lines of the given log files to stderr (for failure reports).
_svc_tail() {
  local f
  for f in "$@"; do
    [[ -s $f ]] || continue
    printf -- '--- last lines of %s ---\n' "$f" >&2
    tail -n 25 "$f" >&2
  done
}

# _svc_paths DIR — set the SVC_* path globals for an absolute DIR.
_svc_paths() {
  SVC_DIR=$1
  SVC_RMQ=$1/rabbitmq
  SVC_RMQ_HOME=$SVC_RMQ/home
  SVC_RMQ_PIDFILE=$SVC_RMQ/rabbitmq.pid       # beam PID, written by RabbitMQ itself
  SVC_RMQ_LAUNCHER=$SVC_RMQ/launcher.pid      # the rabbitmq-server shell script
  SVC_RMQ_CONSOLE=$SVC_RMQ/console.log
  SVC_CTL=$1/rabbitmqctl
  SVC_REDIS=$1/redis
  SVC_REDIS_PIDFILE=$SVC_REDIS/redis.pid
  SVC_REDIS_LOG=$SVC_REDIS/redis.log
  SVC_STATE=$1/services.state
  # Node name unique per directory: pizzeria-<hash of DIR>@localhost.
  SVC_NODE="pizzeria-$(printf '%s' "$1" | sha256sum | cut -c1-12)@localhost"
}

# _svc_load_state — read ports from DIR/services.state (0 if it exists).
_svc_load_state() {
  SVC_AMQP_PORT='' SVC_DIST_PORT='' SVC_REDIS_PORT=''
  [[ -f $SVC_STATE ]] || return 1
  local k v
  while IFS='=' read -r k v; do
    case $k in
      AMQP_PORT) SVC_AMQP_PORT=$v ;;
      DIST_PORT) SVC_DIST_PORT=$v ;;
      REDIS_PORT) SVC_REDIS_PORT=$v ;;
    esac
  done <"$SVC_STATE"
}

# _svc_pid_of PIDFILE PATTERN — print the PID in PIDFILE if that process is
# alive and its command line contains PATTERN (guards against reused PIDs).
_svc_pid_of() {
  local pid cmd
  [[ -r $1 ]] || return 1
  pid=$(tr -dc 0-9 2>/dev/null <"$1") || return 1
  [[ -n $pid ]] && [[ -r /proc/$pid/cmdline ]] || return 1
  cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ $cmd == *"$2"* ]] || return 1
  printf '%s\n' "$pid"
}

# beam's argv has no node name (RabbitMQ sets it at runtime) but has -home DIR.
_svc_rabbit_pid() { _svc_pid_of "$SVC_RMQ_PIDFILE" "beam.smp" >/dev/null && _svc_pid_of "$SVC_RMQ_PIDFILE" " -home $SVC_RMQ_HOME "; }
_svc_launcher_pid() { _svc_pid_of "$SVC_RMQ_LAUNCHER" rabbitmq-server; }
_svc_redis_pid() { _svc_pid_of "$SVC_REDIS_PIDFILE" "redis-server 127.0.0.1:$SVC_REDIS_PORT"; }

# _svc_alive PID — process exists and is not a zombie (init may reap late).
_svc_alive() {
  local state
  state=$(grep -m1 '^State:' "/proc/$1/status" 2>/dev/null) || return 1
  [[ $state != *Z* ]]
}

# _svc_wait_gone PID SECONDS — poll until PID has exited; 1 on timeout.
_svc_wait_gone() {
  local deadline=$((SECONDS + $2))
  while _svc_alive "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# _svc_kill PID NAME — SIGTERM, bounded wait, then SIGKILL.
_svc_kill() {
  _svc_alive "$1" || return 0
  kill -TERM "$1" 2>/dev/null || return 0
  _svc_wait_gone "$1" 10 && return 0
  _svc_say "$2 (pid $1) did not exit after SIGTERM; sending SIGKILL"
  kill -KILL "$1" 2>/dev/null || true
  _svc_wait_gone "$1" 5
}

# _svc_write_files — rabbitmq config, cookie, ctl wrapper, env and state files.
_svc_write_files() {
  mkdir -p "$SVC_RMQ_HOME" "$SVC_RMQ/mnesia" "$SVC_RMQ/log" "$SVC_REDIS"
  chmod 700 "$SVC_RMQ_HOME"
  # Own Erlang cookie: the CLI and the node authenticate with it via HOME.
  if [[ ! -s $SVC_RMQ_HOME/.erlang.cookie ]]; then
    (umask 077 && head -c 15 /dev/urandom | od -An -tx1 | tr -dc '0-9a-f' | tr 'a-f' 'A-F' \
      >"$SVC_RMQ_HOME/.erlang.cookie")
    chmod 400 "$SVC_RMQ_HOME/.erlang.cookie"
  fi
  # PIZZERIA_RABBITMQ_QUEUE_VERSION=2 declares new classic queues with RabbitMQ's second storage
  # implementation (CQv2, opt-in in 3.10); queues already declared keep theirs. Unset: the broker's
  # default (1 in 3.10). Within the noise in session 23's benches (README, table of changes).
  cat >"$SVC_RMQ/rabbitmq.conf" <<EOF
# Generated by ops/services up — isolated node $SVC_NODE
listeners.tcp.default = 127.0.0.1:$SVC_AMQP_PORT
disk_free_limit.absolute = 50MB
${PIZZERIA_RABBITMQ_QUEUE_VERSION:+classic_queue.default_version = $PIZZERIA_RABBITMQ_QUEUE_VERSION}
EOF
  echo '[].' >"$SVC_RMQ/advanced.config"
  echo '[].' >"$SVC_RMQ/enabled_plugins"  # no plugins: no management port, fast boot
  : >"$SVC_RMQ/rabbitmq-env.conf"         # so /etc/rabbitmq/rabbitmq-env.conf is not read

  # Erlang schedulers: on a machine of two cores or fewer, where the broker shares them with
  # serve, the workers and Redis, one scheduler (+S 1) spends a fifth less CPU per message than
  # one per core (no work stealing, no wake-ups between schedulers): at 10,000 orders, RabbitMQ
  # 0.55-0.60 vs 0.71-0.79 CPU-s per 1,000 orders and the pipeline 960-1,110 vs 847-964 orders/s
  # (4 interleaved rounds; README, "Benchmark"), for a slightly longer tail at half load and a worker
  # that holds a little more memory. PIZZERIA_RABBITMQ_SCHEDULERS sets it (empty: Erlang's default).
  local schedulers
  if [[ -v PIZZERIA_RABBITMQ_SCHEDULERS ]]; then
    schedulers=$PIZZERIA_RABBITMQ_SCHEDULERS
  elif (($(nproc) <= 2)); then
    schedulers=1
  fi

  # The environment shared by the server and every rabbitmqctl call. Baked into
  # the DIR/rabbitmqctl wrapper with absolute paths, so it works from anywhere.
  local -a envs=(
    "HOME=$SVC_RMQ_HOME"
    "RABBITMQ_NODENAME=$SVC_NODE"
    "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1"
    "RABBITMQ_NODE_PORT=$SVC_AMQP_PORT"
    "RABBITMQ_DIST_PORT=$SVC_DIST_PORT"
    "RABBITMQ_CONF_ENV_FILE=$SVC_RMQ/rabbitmq-env.conf"
    "RABBITMQ_CONFIG_FILE=$SVC_RMQ/rabbitmq.conf"
    "RABBITMQ_ADVANCED_CONFIG_FILE=$SVC_RMQ/advanced.config"
    "RABBITMQ_ENABLED_PLUGINS_FILE=$SVC_RMQ/enabled_plugins"
    "RABBITMQ_MNESIA_BASE=$SVC_RMQ/mnesia"
    "RABBITMQ_LOG_BASE=$SVC_RMQ/log"
    "RABBITMQ_PID_FILE=$SVC_RMQ_PIDFILE"
    # Erlang distribution listens on all interfaces unless told otherwise. Schedulers that run
    # out of work sleep at once instead of spinning (+sbwt none ...: RabbitMQ's advice when the
    # node shares its cores with other processes, as here with the services on one machine).
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none${schedulers:+ +S $schedulers}"
    "RABBITMQ_CTL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
    # CLI tools listen on a port from this range while they run; the default
    # (35672-35682) is small when many test runs call rabbitmqctl at once.
    "RABBITMQ_CTL_DIST_PORT_MIN=35672"
    "RABBITMQ_CTL_DIST_PORT_MAX=35771"
    # Only used if this node has to start epmd itself (none running yet).
    "ERL_EPMD_ADDRESS=127.0.0.1"
    "ERL_CRASH_DUMP=$SVC_RMQ/erl_crash.dump"
  )
  {
    echo '#!/usr/bin/env bash'
    echo "# Generated by ops/services up: runs a command in the environment of node $SVC_NODE."
    echo '# Drop any RABBITMQ_* of the caller, so nothing leaks into this node or its CLI.'
    # shellcheck disable=SC2016  # written literally into the generated script
    echo 'for v in $(compgen -e); do [[ $v == RABBITMQ_* ]] && unset "$v"; done'
    printf 'exec env'
    printf ' %q' "${envs[@]}"
    printf ' "$@"\n'
  } >"$SVC_RMQ/with-env"
  {
    echo '#!/usr/bin/env bash'
    echo "# Generated by ops/services up: rabbitmqctl for node $SVC_NODE ($SVC_DIR)."
    echo '# e.g. rabbitmqctl stop_app | start_app | list_queues -p VHOST | add_vhost NAME'
    printf 'exec %q %q -n %q "$@"\n' "$SVC_RMQ/with-env" "$SVC_RABBIT_BIN/rabbitmqctl" "$SVC_NODE"
  } >"$SVC_CTL"
  chmod 755 "$SVC_RMQ/with-env" "$SVC_CTL"

  printf 'AMQP_PORT=%s\nDIST_PORT=%s\nREDIS_PORT=%s\nNODE=%s\n' \
    "$SVC_AMQP_PORT" "$SVC_DIST_PORT" "$SVC_REDIS_PORT" "$SVC_NODE" >"$SVC_STATE"
  {
    printf 'export PIZZERIA_AMQP_PORT=%q\n' "$SVC_AMQP_PORT"
    printf 'export PIZZERIA_REDIS_PORT=%q\n' "$SVC_REDIS_PORT"
    printf 'export PIZZERIA_RABBITMQCTL=%q\n' "$SVC_CTL"
  } >"$SVC_DIR/env"
}

# _svc_rabbit_launch — start the node in its own session (does not wait).
_svc_rabbit_launch() {
  rm -f "$SVC_RMQ_PIDFILE" "$SVC_RMQ_LAUNCHER"
  # The inner bash records its own PID, then execs (through with-env) into the
  # rabbitmq-server script, which runs beam as a child and forwards SIGTERM.
  (
    cd "$SVC_RMQ" || exit 1
    # shellcheck disable=SC2016  # $$ and $1 expand in the inner bash
    exec setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' launcher "$SVC_RMQ_LAUNCHER" \
      "$SVC_RMQ/with-env" "$SVC_RABBIT_BIN/rabbitmq-server" >>"$SVC_RMQ_CONSOLE" 2>&1 </dev/null
  ) &
}

# _svc_rabbit_wait — wait for the node to boot; fail fast if it dies.
_svc_rabbit_wait() {
  local wait_log=$SVC_RMQ/wait.log wpid rc=0 deadline=$((SECONDS + SVC_RABBIT_TIMEOUT + 5))
  "$SVC_CTL" wait --timeout "$SVC_RABBIT_TIMEOUT" "$SVC_RMQ_PIDFILE" >"$wait_log" 2>&1 &
  wpid=$!
  while kill -0 "$wpid" 2>/dev/null; do
    if ((SECONDS > deadline)); then
      kill "$wpid" 2>/dev/null || true
      break
    fi
    # The launcher script exits as soon as beam does (e.g. port in use).
    if [[ -s $SVC_RMQ_LAUNCHER ]] && ! _svc_launcher_pid >/dev/null; then
      kill "$wpid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  wait "$wpid" || rc=$?
  if ((rc != 0)) || ! _svc_rabbit_pid >/dev/null; then
    _svc_err "RabbitMQ node $SVC_NODE failed to start (exited, or not ready after ${SVC_RABBIT_TIMEOUT}s)"
    if grep -q '^BOOT FAILED' "$SVC_RMQ_CONSOLE" 2>/dev/null; then
      grep -A10 '^BOOT FAILED' "$SVC_RMQ_CONSOLE" | head -n 12 >&2  # the actual reason
    fi
    _svc_tail "$wait_log" "$SVC_RMQ_CONSOLE" "$SVC_RMQ/log/$SVC_NODE.log"
    _svc_rabbit_stop quiet || true  # do not leave a half-started node behind
    return 1
  fi
}

# _svc_rabbit_stop [quiet] — stop our node: rabbitmqctl stop, then signals.
_svc_rabbit_stop() {
  local pid lpid
  if pid=$(_svc_rabbit_pid); then
    [[ ${1:-} == quiet ]] || _svc_say "stopping RabbitMQ $SVC_NODE (pid $pid)"
    # `stop PIDFILE` returns once the beam process has exited.
    if ! timeout 20 "$SVC_CTL" stop "$SVC_RMQ_PIDFILE" >"$SVC_RMQ/stop.log" 2>&1 \
      || ! _svc_wait_gone "$pid" 10; then
      _svc_say "rabbitmqctl stop failed; signalling pid $pid"
      _svc_tail "$SVC_RMQ/stop.log"
      _svc_kill "$pid" "RabbitMQ"
    fi
  fi
  # The launcher script exits by itself once beam has gone; if the node never
  # wrote its pid file (failed boot), SIGTERM makes it stop beam for us.
  if lpid=$(_svc_launcher_pid); then
    _svc_wait_gone "$lpid" 3 || _svc_kill "$lpid" "rabbitmq-server launcher"
  fi
  rm -f "$SVC_RMQ_PIDFILE" "$SVC_RMQ_LAUNCHER"
}

# _svc_redis_start — start redis-server (daemonized) and wait until it answers.
_svc_redis_start() {
  local pid info deadline=$((SECONDS + SVC_REDIS_TIMEOUT))
  rm -f "$SVC_REDIS_PIDFILE"
  (cd "$SVC_REDIS" && redis-server --port "$SVC_REDIS_PORT" --bind 127.0.0.1 \
    --daemonize yes --dir "$SVC_REDIS" --pidfile "$SVC_REDIS_PIDFILE" \
    --logfile "$SVC_REDIS_LOG" --save '' --appendonly no) </dev/null
  # Ready = it answers on the port AND it is our process (not another Redis).
  while :; do
    if pid=$(_svc_redis_pid) &&
      info=$(redis-cli -h 127.0.0.1 -p "$SVC_REDIS_PORT" info server 2>/dev/null) &&
      [[ $info == *"process_id:$pid"* ]]; then
      return 0
    fi
    if ((SECONDS >= deadline)); then
      _svc_err "Redis on 127.0.0.1:$SVC_REDIS_PORT did not start within ${SVC_REDIS_TIMEOUT}s"
      _svc_tail "$SVC_REDIS_LOG"
      if pid=$(_svc_redis_pid); then _svc_kill "$pid" Redis; fi
      return 1
    fi
    sleep 0.05
  done
}

_svc_redis_stop() {
  local pid
  pid=$(_svc_redis_pid) || { rm -f "$SVC_REDIS_PIDFILE"; return 0; }
  _svc_say "stopping Redis 127.0.0.1:$SVC_REDIS_PORT (pid $pid)"
  redis-cli -h 127.0.0.1 -p "$SVC_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  _svc_wait_gone "$pid" 5 || _svc_kill "$pid" Redis
  rm -f "$SVC_REDIS_PIDFILE"
}

# _svc_import_vhosts "v1 v2 ..." — create vhosts with full rights for guest in
# one import_definitions call (merges: user guest and vhost / are kept).
_svc_import_vhosts() {
  local -a names
  read -r -a names <<<"$1"
  ((${#names[@]})) || return 0
  local v json=$SVC_RMQ/vhosts.json sep=''
  for v in "${names[@]}"; do
    [[ $v =~ ^[A-Za-z0-9._-]+$ ]] || { _svc_err "bad vhost name '$v' (use A-Z a-z 0-9 . _ -)"; return 1; }
  done
  {
    printf '{"vhosts":['
    for v in "${names[@]}"; do printf '%s{"name":"%s"}' "$sep" "$v"; sep=','; done
    printf '],\n"permissions":['
    sep=''
    for v in "${names[@]}"; do
      printf '%s{"user":"guest","vhost":"%s","configure":".*","write":".*","read":".*"}' "$sep" "$v"
      sep=','
    done
    printf ']}\n'
  } >"$json"
  if ! "$SVC_CTL" import_definitions "$json" >"$SVC_RMQ/import.log" 2>&1; then
    _svc_err "importing vhosts failed"
    _svc_tail "$SVC_RMQ/import.log"
    return 1
  fi
  _svc_say "vhosts ready: ${names[*]}"
}

# svc_up DIR AMQP_PORT REDIS_PORT [DIST_PORT] [VHOSTS]
svc_up() {
  local dir=${1:?svc_up DIR AMQP_PORT REDIS_PORT [DIST_PORT] [VHOSTS]}
  local amqp=${2:?amqp port} redis=${3:?redis port} dist=${4:-} vhosts=${5:-}
  local p t0 rpid
  t0=$(_svc_now)
  for p in "$amqp" "$redis" ${dist:+"$dist"}; do
    if ! [[ $p =~ ^[0-9]+$ ]] || ((p < 1024 || p > 65535)); then
      _svc_err "bad port '$p'"
      return 1
    fi
    case $p in 5672 | 25672 | 15672 | 6379)
      _svc_err "port $p is a system default; pick another so we never clash with system servers"
      return 1 ;;
    esac
  done
  mkdir -p "$dir"
  _svc_paths "$(cd "$dir" && pwd -P)"

  # Already running? (Then the recorded ports must match the requested ones.)
  local rabbit_up=0 redis_up=0
  if _svc_load_state; then
    _svc_rabbit_pid >/dev/null && rabbit_up=1
    _svc_redis_pid >/dev/null && redis_up=1
    if ((rabbit_up || redis_up)) &&
      [[ $SVC_AMQP_PORT != "$amqp" || $SVC_REDIS_PORT != "$redis" || (-n $dist && $SVC_DIST_PORT != "$dist") ]]; then
      _svc_err "services in $SVC_DIR already run on amqp $SVC_AMQP_PORT / redis $SVC_REDIS_PORT; run 'ops/services down $SVC_DIR' first"
      return 1
    fi
  fi
  if ((rabbit_up && redis_up)); then
    _svc_say "already running in $SVC_DIR (amqp 127.0.0.1:$SVC_AMQP_PORT, redis 127.0.0.1:$SVC_REDIS_PORT)"
    _svc_import_vhosts "$vhosts"
    return 0
  fi

  # Distribution port: keep the recorded one, else AMQP+20000 if free, else any free.
  if [[ -z $dist ]]; then
    if ((rabbit_up)); then
      dist=$SVC_DIST_PORT
    elif ((amqp + 20000 <= 65535)) && port_is_free $((amqp + 20000)); then
      dist=$((amqp + 20000))
    else
      dist=$(free_port 20000 29999 "$amqp" "$redis")
    fi
  fi
  SVC_AMQP_PORT=$amqp SVC_REDIS_PORT=$redis SVC_DIST_PORT=$dist
  ((rabbit_up)) || for p in "$amqp" "$dist"; do
    port_is_free "$p" || { _svc_err "TCP port $p is already in use"; return 1; }
  done
  ((redis_up)) || port_is_free "$redis" || { _svc_err "TCP port $redis is already in use"; return 1; }

  _svc_write_files
  # RabbitMQ boots in the background while Redis starts.
  ((rabbit_up)) || _svc_rabbit_launch
  if ((!redis_up)); then
    _svc_redis_start || { ((rabbit_up)) || _svc_rabbit_stop quiet; return 1; }
    rpid=$(_svc_redis_pid)
    _svc_say "Redis up on 127.0.0.1:$redis (pid $rpid)"
  fi
  if ((!rabbit_up)); then
    _svc_rabbit_wait || { ((redis_up)) || _svc_redis_stop >/dev/null; return 1; }
    _svc_say "RabbitMQ up on 127.0.0.1:$amqp (node $SVC_NODE, dist port $dist, pid $(_svc_rabbit_pid))"
  fi
  _svc_import_vhosts "$vhosts"
  _svc_say "ready in $(_svc_ms_since "$t0") ms; env: $SVC_DIR/env, ctl: $SVC_CTL"
}

# svc_down DIR — stop exactly what svc_up started for DIR (by pid files / node).
svc_down() {
  local dir=${1:?svc_down DIR} t0
  t0=$(_svc_now)
  if [[ ! -d $dir ]]; then
    _svc_say "nothing to stop ($dir does not exist)"
    return 0
  fi
  _svc_paths "$(cd "$dir" && pwd -P)"
  if ! _svc_load_state; then
    _svc_say "nothing to stop (no $SVC_STATE)"
    return 0
  fi
  _svc_redis_stop
  _svc_rabbit_stop
  _svc_say "stopped in $(_svc_ms_since "$t0") ms"
}

# svc_status DIR — print what runs; returns 0 only if both servers run.
svc_status() {
  local dir=${1:?svc_status DIR} pid rc=0
  if [[ ! -d $dir ]]; then
    echo "rabbitmq: stopped"
    echo "redis:    stopped"
    return 1
  fi
  _svc_paths "$(cd "$dir" && pwd -P)"
  _svc_load_state || true
  if pid=$(_svc_rabbit_pid); then
    echo "rabbitmq: running  pid $pid  node $SVC_NODE  amqp 127.0.0.1:$SVC_AMQP_PORT  dist $SVC_DIST_PORT"
  else
    echo "rabbitmq: stopped  (node $SVC_NODE)"
    rc=1
  fi
  if [[ -n $SVC_REDIS_PORT ]] && pid=$(_svc_redis_pid); then
    echo "redis:    running  pid $pid  127.0.0.1:$SVC_REDIS_PORT"
  else
    echo "redis:    stopped"
    rc=1
  fi
  [[ -x $SVC_CTL ]] && echo "ctl:      $SVC_CTL"
  [[ -f $SVC_DIR/env ]] && echo "env:      $SVC_DIR/env"
  return "$rc"
}
