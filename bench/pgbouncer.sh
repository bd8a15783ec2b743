#!/usr/bin/env bash
# Commit throughput through PgBouncer in transaction pooling mode against direct, alternately on the same
# PostgreSQL: each round runs the harness directly (pgjdbc's defaults), directly with prepareThreshold=0, and
# through a PgBouncer this script starts (prepareThreshold=0, which PgBouncer 1.18 in transaction mode needs);
# then the median tps per side, workload and client count, with min and max.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/pgbouncer.sh [-r ROUNDS] [-s SECONDS] [-c CLIENTS] [-W WORKLOADS] [-p PORT] [-o OUTDIR]
  -r ROUNDS     rounds of (direct, direct prepareThreshold=0, pgbouncer) [3]
  -s SECONDS    timed window per workload and client count [5]; warm-up 2 s, JIT warm-up 10 s per run
  -c CLIENTS    client counts [1,4]
  -W WORKLOADS  harness workloads [update,update-commands]
  -p PORT       PgBouncer's port on 127.0.0.1 [6433]
  -o OUTDIR     keep the raw outputs and PgBouncer's config and log there [a fresh temporary directory]
  Needs bench/target/verist-bench.jar (mvn -q -f bench/pom.xml package) and Debian's pgbouncer package.
  Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PGPASSWORD, JAVA_OPTS. Uses the
  databases verist_bench_direct and verist_bench_bouncer, dropped at the end.
EOF
}

rounds=3 secs=5 clients=1,4 workloads=update,update-commands port=6433 out=""
while getopts "r:s:c:W:p:o:h" opt; do
  case $opt in
    r) rounds=$OPTARG ;; s) secs=$OPTARG ;; c) clients=$OPTARG ;; W) workloads=$OPTARG ;; p) port=$OPTARG ;;
    o) out=$OPTARG ;; h) usage; exit 0 ;; *) usage >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
jar=$here/target/verist-bench.jar
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
bouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
[[ -x $bouncer ]] || { echo "no pgbouncer: install Debian's pgbouncer package" >&2; exit 2; }
[[ -f $jar ]] || { echo "no $jar: mvn -q -f bench/pom.xml package" >&2; exit 2; }
if [[ -z $out ]]; then out=$(mktemp -d -t verist-bouncer.XXXXXX); fi
mkdir -p "$out"
chmod 755 "$out"

# PgBouncer forwards every database to the server; the store's pool logs in as PGUSER.
cat > "$out/pgbouncer.ini" <<EOF
[databases]
* = host=$PGHOST port=$PGPORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $out/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 100
EOF
printf '"%s" "%s"\n' "$PGUSER" "${PGPASSWORD:-}" > "$out/userlist.txt"
chmod 644 "$out/pgbouncer.ini" "$out/userlist.txt"

bouncer_pid=""
stop_bouncer() {
  if [[ -n $bouncer_pid ]]; then
    kill "$bouncer_pid" 2>/dev/null || true
    wait "$bouncer_pid" 2>/dev/null || true
    bouncer_pid=""
  fi
}
cleanup() {
  stop_bouncer
  psql -q -d postgres -c "DROP DATABASE IF EXISTS verist_bench_direct" \
    -c "DROP DATABASE IF EXISTS verist_bench_bouncer" >/dev/null 2>&1 || true
}
trap cleanup EXIT

harness() {   # LABEL DB [harness options]
  local label=$1 db=$2
  shift 2
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$jar" --payloads "$here/payloads" --db "$db" --seconds "$secs" --warmup 2 \
    --jit-warmup 10 --clients "$clients" --workloads "$workloads" "$@" | sed "s/^library /$label /"
}

echo "# pgbouncer.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ) rounds=$rounds seconds=$secs clients=$clients workloads=$workloads"
echo "# $(nproc) cpus; PostgreSQL $(psql -Atq -d postgres -c 'show server_version'); $("$bouncer" --version | head -1); $(java -version 2>&1 | head -1)"
for ((i = 1; i <= rounds; i++)); do
  echo "## round $i: direct (load $(cut -d' ' -f1 /proc/loadavg))"
  harness direct verist_bench_direct | tee "$out/direct-$i.txt"
  echo "## round $i: direct, prepareThreshold=0"
  harness direct-pt0 verist_bench_direct \
    --store-url "jdbc:postgresql://$PGHOST:$PGPORT/verist_bench_direct?prepareThreshold=0" | tee "$out/direct-pt0-$i.txt"
  echo "## round $i: through PgBouncer (transaction mode, prepareThreshold=0)"
  # A fresh PgBouncer per round: it holds server connections to the database, which the next drop needs gone.
  if [[ $(id -u) -eq 0 ]]; then
    "$bouncer" -u postgres "$out/pgbouncer.ini" >> "$out/pgbouncer.log" 2>&1 &   # it refuses to run as root
  else
    "$bouncer" "$out/pgbouncer.ini" >> "$out/pgbouncer.log" 2>&1 &
  fi
  bouncer_pid=$!
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  harness pgbouncer verist_bench_bouncer --keep-db \
    --store-url "jdbc:postgresql://127.0.0.1:$port/verist_bench_bouncer?prepareThreshold=0" | tee "$out/pgbouncer-$i.txt"
  stop_bouncer
  psql -q -d postgres -c "DROP DATABASE verist_bench_bouncer" >/dev/null
done

# Median, min and max over the rounds, per side, workload and client count.
echo
echo "| workload | clients | direct tps (median, min-max) | direct, prepareThreshold=0 | through PgBouncer | PgBouncer / direct |"
echo "| --- | ---: | --- | --- | --- | ---: |"
awk '
  function med(key,   n, i, j, t, a) {
    n = split(V[key], a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    MED = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2; MIN = a[1]; MAX = a[n]
    return sprintf("%.0f (%.0f-%.0f)", MED, MIN, MAX)
  }
  $3 ~ /^c=/ && $4 ~ /^tps=/ {
    k = $2 SUBSEP substr($3, 3); V[$1 SUBSEP k] = V[$1 SUBSEP k] " " substr($4, 5)
    if (!(k in SEEN)) { SEEN[k] = 1; ORDER[++n] = k }
  }
  END {
    for (i = 1; i <= n; i++) {
      split(ORDER[i], wc, SUBSEP)
      d = med("direct" SUBSEP ORDER[i]); dm = MED
      p = med("direct-pt0" SUBSEP ORDER[i])
      b = med("pgbouncer" SUBSEP ORDER[i]); bm = MED
      printf "| %s | %s | %s | %s | %s | %.2f |\n", wc[1], wc[2], d, p, b, bm / dm
    }
  }' "$out"/direct-*.txt "$out"/pgbouncer-*.txt
echo
echo "# raw outputs: $out"
