#!/usr/bin/env bash
# Costs at scale: the library harness on a store holding only the measured runs against the same harness on one
# that also holds RUNS more runs and EVENTS events (--scale), alternately on the same server, ROUNDS times each;
# then per workload and client count the median p50 and p99 latency of each side (drains: also of the lease call
# alone) and their ratio with/without, as text and as a Markdown table.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/scale.sh [-r ROUNDS] [-S "RUNS,EVENTS"] [-s SECONDS] [-c "CLIENTS"] [-W WORKLOADS] [-w WARMUP]
                      [-j JIT_WARMUP] [-o OUTDIR] [-x "HARNESS ARGS"] [-k]
  Runs the harness (bench/target/verist-bench.jar, built with Maven if missing) ROUNDS times without and with
  --scale RUNS,EVENTS, one after the other in each round (odd rounds without first, even rounds with first), and
  prints per workload and client count the median over the rounds of p50 and p99 (drains: also lease_p50 and
  lease_p99, the leaseOutbox call alone) and tps of each side with the ratio with/without of the medians. The
  scaled database is built in its first run and kept between rounds (--keep-db): later rounds find the scale in
  it and only delete the other workflows' rows.
  -r ROUNDS        rounds of (without, with) [3]
  -S "RUNS,EVENTS" the scale: runs of workflow "scale" and events spread over them [1000000,10000000]
  -s SECONDS       timed window of every workload [5]
  -c "CLIENTS"     client counts [1 4]
  -W WORKLOADS     the harness's --workloads [create,update,load,drain]
  -w WARMUP        unmeasured warm-up before each window [2]
  -j JIT_WARMUP    once per JVM at start, all workloads in turn, unmeasured [10]
  -o OUTDIR        keep the raw outputs there [a fresh temporary directory]
  -x ARGS          more harness options for both sides, e.g. "--backlog 1000000,100000"
  -k               keep the scaled database at the end, for the next run with the same scale (dropped otherwise)
  The default scale takes about 1.5 minutes to build on a 2-core machine, every harness run about 1.3 minutes
  (2 client counts x 4 workloads x (2 + 5) s, the JIT warm-up, the outbox refills): about 10 minutes for 3
  rounds. The scaled database takes about 4 GB on disk.
  Environment: PGHOST (127.0.0.1), PGUSER (postgres), PGPORT, PGPASSWORD, WITHOUT_DB (the unscaled side's
  database, default verist_bench_unscaled), WITH_DB (the scaled side's, default verist_bench_scaled),
  JAVA_OPTS (extra JVM options for the harness). Nothing but these two databases is touched.
EOF
}

rounds=3 scale=1000000,10000000 secs=5 clients="1 4" workloads=create,update,load,drain warmup=2 jit=10 out=""
extra="" keep=""
while getopts "r:S:s:c:W:w:j:o:x:kh" opt; do
  case $opt in
    r) rounds=$OPTARG ;; S) scale=$OPTARG ;; s) secs=$OPTARG ;; c) clients=$OPTARG ;; W) workloads=$OPTARG ;;
    w) warmup=$OPTARG ;; j) jit=$OPTARG ;; o) out=$OPTARG ;; x) extra=$OPTARG ;; k) keep=1 ;;
    h) usage; exit 0 ;; *) usage >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
schema=$repo/schema.sql
payloads=$here/payloads
jar=$here/target/verist-bench.jar
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
without_db=${WITHOUT_DB:-verist_bench_unscaled}
with_db=${WITH_DB:-verist_bench_scaled}

[[ -f $schema ]] || { echo "no schema at $schema" >&2; exit 2; }
[[ $without_db != "$with_db" ]] || { echo "WITHOUT_DB and WITH_DB must differ" >&2; exit 2; }
if [[ ! -f $jar ]]; then
  echo "# building $jar"
  mvn -q -f "$here/pom.xml" package -DskipTests
fi
if [[ -z $out ]]; then out=$(mktemp -d -t verist-bench-scale.XXXXXX); fi
mkdir -p "$out"

cleanup() {
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $without_db" >/dev/null 2>&1 || true
  if [[ -z $keep ]]; then
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $with_db" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

harness() {   # harness DB OUTFILE [ARGS...]
  local db=$1 file=$2
  shift 2
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$jar" --payloads "$payloads" --schema "$schema" --db "$db" \
    --seconds "$secs" --warmup "$warmup" --jit-warmup "$jit" --clients "$clients" --workloads "$workloads" \
    $extra "$@" | tee "$file"
}

start=$(date +%s)
echo "# scale.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ) scale=$scale rounds=$rounds seconds=$secs clients=\"$clients\" workloads=$workloads warmup=$warmup jit-warmup=$jit"
echo "# databases: without $without_db, with $with_db$( [[ -n $keep ]] && echo " (kept at the end)"); raw outputs: $out"
echo "# $(nproc) cpus; PostgreSQL $(psql -Atq -d postgres -c 'show server_version'); $(java -version 2>&1 | head -1)"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 1; i <= rounds; i++)); do
  # Odd rounds without then with, even rounds the other way round, so that a drift of the machine's load over
  # the run weighs on both sides alike.
  for side in $( ((i % 2)) && echo "without with" || echo "with without"); do
    if [[ $side == without ]]; then
      echo "## round $i: without scale ($(( $(date +%s) - start )) s elapsed, load $(cut -d' ' -f1 /proc/loadavg))"
      harness "$without_db" "$out/without-$i.txt"
    else
      echo "## round $i: with --scale $scale ($(( $(date +%s) - start )) s elapsed, load $(cut -d' ' -f1 /proc/loadavg))"
      harness "$with_db" "$out/with-$i.txt" --scale "$scale" --keep-db
    fi
  done
done
echo "# finished in $(( $(date +%s) - start )) s; load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Per side, the median over the rounds of each field; the ratio is with/without of the two medians.
awk -v rounds="$rounds" -v secs="$secs" -v scale="$scale" "$(cat "$here/fields.awk")"'
  # The median of field f of row w at c clients on one side over the rounds that have it; sets N (rounds).
  function median(side, f, w, c,   r, A) {
    N = 0
    for (r = 1; r <= rounds; r++) if ((side, f, w, c, r) in V && V[side, f, w, c, r] >= 0) A[++N] = V[side, f, w, c, r]
    if (N == 0) return -1
    stats(A, N); return MED
  }
  function ratio(a, b) { return (a > 0 && b >= 0) ? sprintf("%.3f", b / a) : "n/a" }
  BEGIN { nf = split("p50_ms p99_ms lease_p50_ms lease_p99_ms tps", F, " ") }
  FNR == 1 { split(FILENAME, p, "/"); f = p[length(p)]; side = (f ~ /^with-/) ? "with" : "without"; r = f; gsub(/[^0-9]/, "", r) }
  side == "with" && /^# scale runs=/ { SCALE[r] = substr($0, 3) }
  $1 == "library" && $3 ~ /^c=/ {
    w = $2; c = substr($3, 3)
    for (k = 1; k <= nf; k++) V[side, F[k], w, c, r] = val($0, F[k])
    if (!((w, c) in SEEN) && side == "without") { SEEN[w, c] = 1; ORDER[++n] = w SUBSEP c }
  }
  END {
    printf "\n## Latency at scale (--scale %s against none; median of %d rounds, ratio with/without)\n\n", scale, rounds
    for (r = 1; r <= rounds; r++) if (r in SCALE) printf "round %d: %s\n", r, SCALE[r]
    md = "| workload | clients | p50 ms without / with | p50 ratio | p99 ms without / with | p99 ratio | lease p50 ms without / with | lease p50 ratio | lease p99 ms without / with | lease p99 ratio | tps without / with |\n"
    md = md "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    printf "\n"
    for (k = 1; k <= n; k++) {
      split(ORDER[k], wc, SUBSEP); w = wc[1]; c = wc[2]
      text = sprintf("scale %s c=%s", w, c); row = sprintf("| %s | %s", w, c); m = rounds
      for (j = 1; j <= nf; j++) {
        a = median("without", F[j], w, c); na = N; b = median("with", F[j], w, c); nb = N
        name = F[j]; sub(/_ms$/, "", name)
        if (a < 0 && b < 0) { row = row " | | "; continue }   # no lease fields outside the drains
        if (na < m) m = na
        if (nb < m) m = nb
        fmt = (F[j] == "tps") ? "%.1f" : "%.3f"
        text = text sprintf(" %s_without=" fmt " %s_with=" fmt " %s_ratio=%s", name, a, name, b, name, ratio(a, b))
        row = row sprintf(" | " fmt " / " fmt, a, b) (F[j] == "tps" ? "" : sprintf(" | **%s**", ratio(a, b)))
      }
      printf "%s (n=%d)\n", text, m
      md = md row " |\n"
    }
    printf "\n%s\n", md
    printf "Windows of %s s; each side a fresh harness JVM per round, odd rounds unscaled first, even rounds scaled first; drains: latency per lease with its markDispatched, lease = the leaseOutbox call alone; tps of the drains in entries/s.\n", secs
  }' "$out"/without-*.txt "$out"/with-*.txt
