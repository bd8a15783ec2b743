#!/usr/bin/env bash
# Stands in for pgbench on floor.sh's PATH (bench/run.sh links it as pgbench in a directory of its own): runs the
# real pgbench ($VERIST_REAL_PGBENCH) with the same arguments and output and, for a timed run (-T), appends to
# $VERIST_CPU_LOG the CPU it took per transaction:
#   floor-cpu <workload> c=<n> xacts=<x> client_us_per_op=<u> server_us_per_op=<v> server_others_us_per_op=<w> ...
# client: pgbench's own user+system time (this shell's cutime+cstime, which the kernel adds when it reaps pgbench);
# server: the PostgreSQL cluster whose postmaster is $VERIST_POSTMASTER_PID, as the harness measures it (README.md),
# less the client backends of other databases. Anything else (no log, no -T) runs pgbench untouched.
set -euo pipefail
real=${VERIST_REAL_PGBENCH:?the real pgbench}
if [[ -z ${VERIST_CPU_LOG:-} || " $* " != *" -T "* ]]; then
  exec "$real" "$@"
fi
pm=${VERIST_POSTMASTER_PID:-}   # empty: PostgreSQL is not on this machine, pgbench's CPU only

db=${BENCH_DB:-verist_bench}   # the floor's database, as floor.sh names it
clients=1 script=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    -c) clients=${args[i + 1]} ;;
    -f) script=${args[i + 1]} ;;
    -D) ((i += 1)) ;;   # a variable's value, which may be anything
  esac
done
workload=$(basename "$script" .sql)

# A client backend's process title: "postgres: [cluster_name: ]user database host(port)|[local] activity".
backend_re='^postgres: (.*: )?([^ ]+) ([^ ]+) ([^ ]+\([0-9]+\)|\[local\])( |$)'

# server_sample TOTAL OTHERS: sets TOTAL to the cluster's CPU in clock ticks (the postmaster's own, what it has
# collected from its exited children, and its live children's) and the array OTHERS to the ticks of each live client
# backend of another database than $db, by "pid:starttime". A child reaped while the children are read would be
# missed (or, read first, counted twice): so the postmaster is read before and after them, and the reading is
# repeated until no child was reaped in between. Builtins only: no process is started while sampling.
server_sample() {
  local -n total=$1 others=$2
  local line f title children reaped before tries
  local -a s
  total=0 others=()
  [[ -n $pm ]] || return 0
  for ((tries = 0; tries < 10; tries++)); do
    read -r line < "/proc/$pm/stat"
    read -ra s <<< "${line##*) }"      # the fields after the command name, from state (field 3) on
    before=$(( s[13] + s[14] ))        # cutime + cstime
    children=0 others=()
    for f in /proc/[0-9]*; do
      { read -r line < "$f/stat"; } 2>/dev/null || continue   # gone meanwhile
      read -ra s <<< "${line##*) }"
      [[ ${s[1]} == "$pm" ]] || continue
      children=$(( children + s[11] + s[12] ))
      title=""
      { IFS= read -r -d '' title < "$f/cmdline"; } 2>/dev/null || true
      if [[ $title =~ $backend_re && ${BASH_REMATCH[3]} != "$db" ]]; then
        others["${f#/proc/}:${s[19]}"]=$(( s[11] + s[12] ))
      fi
    done
    read -r line < "/proc/$pm/stat"
    read -ra s <<< "${line##*) }"
    reaped=$(( s[13] + s[14] ))
    (( reaped == before )) && break
  done
  total=$(( s[11] + s[12] + reaped + children ))
}

# Whether a backend of $db, or a child of the postmaster on its way out (its title already gone), is left: pgbench
# has exited, and its backends may still be finishing.
exiting_backends() {
  local f line title
  local -a s
  for f in /proc/[0-9]*; do
    { read -r line < "$f/stat"; } 2>/dev/null || continue
    read -ra s <<< "${line##*) }"
    [[ ${s[1]} == "$pm" ]] || continue
    title=""
    { IFS= read -r -d '' title < "$f/cmdline"; } 2>/dev/null || true
    [[ -z $title ]] && return 0
    [[ $title =~ $backend_re && ${BASH_REMATCH[3]} == "$db" ]] && return 0
  done
  return 1
}

# children_ticks VAR: sets VAR to this shell's cutime+cstime, the CPU of its reaped children (between the two calls
# below: pgbench alone; no command substitution, which would fork one more child).
children_ticks() {
  local -n ticks=$1
  local line
  local -a s
  read -r line < "/proc/$$/stat"
  read -ra s <<< "${line##*) }"
  ticks=$(( s[13] + s[14] ))
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
server0=0 server1=0 children0=0 children1=0
declare -A others0=() others1=()
server_sample server0 others0
children_ticks children0
t0=$EPOCHREALTIME
rc=0
# Only stdout (the summary) is kept, for the transaction count; stderr goes where it went, as it did.
"$real" "$@" > "$tmp/out" || rc=$?
children_ticks children1
# pgbench's backends may still be exiting: wait (at most 2 s) until they have, so that all of their CPU is counted.
for ((i = 0; i < 200 && rc == 0 && ${#pm} > 0; i++)); do
  exiting_backends || break
  sleep 0.01
done
server_sample server1 others1
t1=$EPOCHREALTIME
cat "$tmp/out"
[[ $rc == 0 ]] || exit "$rc"

others=0
for k in "${!others1[@]}"; do others=$(( others + ${others1[$k]} - ${others0[$k]:-0} )); done
xacts=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$tmp/out")
awk -v w="$workload" -v c="$clients" -v x="${xacts:-0}" -v hz="$(getconf CLK_TCK)" -v t0="$t0" -v t1="$t1" -v pm="$pm" \
    -v client=$(( children1 - children0 )) -v server=$(( server1 - server0 - others )) -v others="$others" '
  BEGIN {
    if (x <= 0) exit
    us = 1e6 / hz
    line = sprintf("floor-cpu %s c=%s xacts=%d client_us_per_op=%.1f", w, c, x, client * us / x)
    if (pm != "") line = line sprintf(" server_us_per_op=%.1f server_others_us_per_op=%.1f", server * us / x, others * us / x)
    printf "%s client_ms=%d server_ms=%d window_ms=%d\n", line, client * us / 1000, server * us / 1000, (t1 - t0) * 1000
  }' >> "$VERIST_CPU_LOG"
