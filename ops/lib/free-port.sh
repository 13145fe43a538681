# shellcheck shell=bash
# ops/lib/free-port.sh — pick a free TCP port on this machine. Source it, then:
#
#   free_port LO HI [EXCLUDE...]   prints a port in [LO, HI] that nothing listens on
#
# The scan starts at a random offset so parallel runs (e.g. two `ops/test`)
# are unlikely to pick the same port. There is still a small window between
# picking a port and the server binding it; callers fail loudly if a bind fails.

# Ports something listens on (any address), one per line.
_fp_listening_ports() {
  ss -Htln 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }'
}

# True if something accepts TCP connections on 127.0.0.1:$1 (fallback without ss).
_fp_port_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local lo=${1:?free_port LO HI [EXCLUDE...]} hi=${2:?free_port LO HI [EXCLUDE...]}
  shift 2
  local span=$((hi - lo + 1)) start i p x used have_ss=0
  command -v ss >/dev/null 2>&1 && have_ss=1
  used=$'\n'"$(_fp_listening_ports)"$'\n'
  start=$(((RANDOM * 32768 + RANDOM) % span))
  for ((i = 0; i < span; i++)); do
    p=$((lo + (start + i) % span))
    for x in "$@"; do [[ $p == "$x" ]] && continue 2; done
    if ((have_ss)); then
      [[ $used == *$'\n'"$p"$'\n'* ]] && continue
    else
      _fp_port_answers "$p" && continue
    fi
    printf '%s\n' "$p"
    return 0
  done
  printf 'free_port: no free TCP port in %s-%s\n' "$lo" "$hi" >&2
  return 1
}

# True if nothing listens on TCP port $1.
port_is_free() {
  if command -v ss >/dev/null 2>&1; then
    ! _fp_listening_ports | grep -qx "$1"
  else
    ! _fp_port_answers "$1"
  fi
}
