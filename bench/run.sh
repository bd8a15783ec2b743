#!/usr/bin/env bash
# The library against the database floor, alternately on the same PostgreSQL server:
# floor, library, floor, library, ... (ROUNDS times each), then the median library/floor ratio per workload and
# client count, with min and max, as text and as a Markdown table; and the CPU per operation of both sides, client
# and server, from /proc, with their ratios.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/run.sh [-s SECONDS] [-r ROUNDS] [-c "CLIENTS"] [-w WARMUP] [-j JIT_WARMUP] [-o OUTDIR]
                    [-W WORKLOADS] [-x "LIBRARY ARGS"] [-b "JAR SCHEMA LABEL"] [-B "BASELINE ARGS"]
  Runs shared/bench/floor.sh (pgbench) and the library harness (bench/target/verist-bench.jar, built with
  Maven if missing) alternately ROUNDS times on the same server, and prints per workload and client count the
  median ratio library/floor with min and max; for update also library/update-one-statement; drain,
  drain-each, drain-retry, dispatch and dispatch-batch (the in-container dispatcher) as entries/s, all against the
  floor's drain (floor drain tps x 50); dispatch-latency prints its commit-to-handler latency lines as they are.
  Then the CPU per operation (drains: per entry) of each side over the same windows, client (pgbench / the JVM)
  and server (the PostgreSQL cluster, when it runs on this machine), with the median ratio library/floor.
  -s SECONDS     timed window of every workload, floor and library alike [5]
  -r ROUNDS      floor+library rounds, at least 3 for a median worth the name [3]
  -c "CLIENTS"   client counts [1 4 16]
  -w WARMUP      library: unmeasured warm-up before each window [2]
  -j JIT_WARMUP  library: once per JVM at start, all workloads in turn, unmeasured [10]
  -o OUTDIR      keep the raw outputs there [a fresh temporary directory]
  -W WORKLOADS   the harness's --workloads, e.g. drain,drain-retry [all]
  -x ARGS        more harness options for the library, e.g. "--backlog 1000000,100000"
  -b "JAR SCHEMA LABEL"  also run another harness jar (an earlier version of the library, with the schema it
                 shipped) after the library in every round; its rows are labelled workload@LABEL
  -B ARGS        more harness options for that baseline, e.g. "--backlog 1000000,100000 --purge"
  Defaults take about 25 minutes on a quiet 2-core machine (each round: floor ~2 min, library ~6 min, of
  which the in-container dispatcher's workloads take half; -W without them keeps a round near 4 minutes).
  Environment: VERIST_SHARED (the shared folder, default <repo>/../shared), PGHOST (127.0.0.1),
  PGUSER (postgres), PGPORT, PGPASSWORD, BENCH_DB (the floor's database, default verist_bench_floor),
  LIB_DB (the library's, default verist_bench_lib), JAVA_OPTS (extra JVM options for the harness).
  Both databases are dropped and created by each round and dropped at the end; nothing else is touched.
EOF
}

secs=5 rounds=3 clients="1 4 16" warmup=2 jit=10 out="" workloads="" lib_args="" baseline="" base_args=""
while getopts "s:r:c:w:j:o:W:x:b:B:h" opt; do
  case $opt in
    s) secs=$OPTARG ;; r) rounds=$OPTARG ;; c) clients=$OPTARG ;; w) warmup=$OPTARG ;;
    j) jit=$OPTARG ;; o) out=$OPTARG ;; W) workloads=$OPTARG ;; x) lib_args=$OPTARG ;;
    b) baseline=$OPTARG ;; B) base_args=$OPTARG ;; h) usage; exit 0 ;; *) usage >&2; exit 2 ;;
  esac
done
read -r base_jar base_schema base_label <<< "$baseline"
wl_args=()
[[ -n $workloads ]] && wl_args=(--workloads "$workloads")

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${VERIST_SHARED:-$repo/../shared}
floor=$shared/bench/floor.sh
schema=$repo/schema.sql
payloads=$shared/bench/payloads   # the floor's own payloads, so both sides write the same bytes
jar=$here/target/verist-bench.jar
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
export BENCH_DB=${BENCH_DB:-verist_bench_floor}
lib_db=${LIB_DB:-verist_bench_lib}

[[ -x $floor || -f $floor ]] || { echo "no floor script at $floor (set VERIST_SHARED)" >&2; exit 2; }
[[ -f $schema ]] || { echo "no schema at $schema" >&2; exit 2; }
for f in "$payloads"/*.json; do
  cmp -s "$f" "$here/payloads/$(basename "$f")" || echo "# note: $f differs from bench/payloads (using the shared copy)"
done
if [[ ! -f $jar ]]; then
  echo "# building $jar"
  mvn -q -f "$here/pom.xml" package -DskipTests
fi
if [[ -z $out ]]; then out=$(mktemp -d -t verist-bench.XXXXXX); fi
mkdir -p "$out"

# The floor's CPU: floor.sh finds pgbench on PATH, so a directory put first on it holds bench/pgbench-cpu.sh as
# pgbench, which runs the real one and logs the CPU of each timed run (README.md, "CPU per operation").
export VERIST_REAL_PGBENCH
VERIST_REAL_PGBENCH=$(command -v pgbench) || { echo "no pgbench on PATH" >&2; exit 2; }
shim=$(mktemp -d -t verist-bench-shim.XXXXXX)
ln -s "$here/pgbench-cpu.sh" "$shim/pgbench"
# The postmaster: the parent of a backend, read while that backend's session is open; none when the server's
# backend is not a process here (PostgreSQL on another machine: pgbench's CPU only).
export VERIST_POSTMASTER_PID
VERIST_POSTMASTER_PID=$(psql -Atq -d postgres 2>/dev/null <<'SQL' || true
SELECT pg_backend_pid() AS backend \gset
\setenv VERIST_BACKEND :backend
\! tr '\0' ' ' < /proc/$VERIST_BACKEND/cmdline 2>/dev/null | grep -q '^postgres: ' && sed 's/.*) //' /proc/$VERIST_BACKEND/stat | cut -d' ' -f2
SQL
)

cleanup() {
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" -c "DROP DATABASE IF EXISTS $lib_db" \
    -c "DROP DATABASE IF EXISTS ${lib_db}_baseline" >/dev/null 2>&1 || true
  rm -rf "$shim"
}
trap cleanup EXIT

start=$(date +%s)
echo "# run.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ) seconds=$secs rounds=$rounds clients=\"$clients\" warmup=$warmup jit-warmup=$jit"
echo "# floor: $floor; schema: $schema; payloads: $payloads; raw outputs: $out"
echo "# $(nproc) cpus; PostgreSQL $(psql -Atq -d postgres -c 'show server_version'); $(java -version 2>&1 | head -1)"
echo "# cpu: client = pgbench's / the JVM's process CPU; server = $( [[ -n $VERIST_POSTMASTER_PID ]] \
  && echo "postmaster $VERIST_POSTMASTER_PID and its children less other databases' client backends ($(getconf CLK_TCK) ticks/s)" \
  || echo "not measured (PostgreSQL not on this machine)")"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 1; i <= rounds; i++)); do
  echo "## round $i: floor ($(( $(date +%s) - start )) s elapsed, load $(cut -d' ' -f1 /proc/loadavg))"
  : > "$out/cpu-floor-$i.txt"
  # shellcheck disable=SC2086
  PATH="$shim:$PATH" VERIST_CPU_LOG="$out/cpu-floor-$i.txt" bash "$floor" "$schema" "$secs" $clients \
    2> >(grep -v 'NOTICE:' >&2) | tee "$out/floor-$i.txt"
  echo "## round $i: library ($(( $(date +%s) - start )) s elapsed, load $(cut -d' ' -f1 /proc/loadavg))"
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$jar" --payloads "$payloads" --schema "$schema" --db "$lib_db" \
    --seconds "$secs" --warmup "$warmup" --jit-warmup "$jit" --clients "$clients" "${wl_args[@]}" $lib_args \
    | tee "$out/library-$i.txt"
  if [[ -n $base_jar ]]; then
    echo "## round $i: $base_label ($(( $(date +%s) - start )) s elapsed, load $(cut -d' ' -f1 /proc/loadavg))"
    # shellcheck disable=SC2086
    java ${JAVA_OPTS:-} -jar "$base_jar" --payloads "$payloads" --schema "$base_schema" --db "${lib_db}_baseline" \
      --seconds "$secs" --warmup "$warmup" --jit-warmup "$jit" --clients "$clients" "${wl_args[@]}" $base_args \
      | sed "s/^library \([a-z-]*\) /library \1@$base_label /" | tee "$out/baseline-$i.txt"
  fi
done
echo "# finished in $(( $(date +%s) - start )) s; load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Ratios: round i's library number over round i's floor number (the floor ran just before it).
awk -v rounds="$rounds" -v secs="$secs" "$(cat "$here/fields.awk")"'
  function floorOf(w,   fw) {   # the floor workload a library row is compared with
    fw = w; sub(/@.*/, "", fw)
    return (fw ~ /^(drain-each|drain-retry|dispatch|dispatch-batch)$/) ? "drain" : fw
  }
  # CPU of library row w against floor workload fw at c clients, over the rounds that have both: sets PN (rounds),
  # PL and PF (medians of each side), PMED, PMIN, PMAX (of the per-round ratios).
  function cpuPair(LIB, FLO, w, fw, c,   r, R, L, F) {
    PN = 0
    for (r = 1; r <= rounds; r++) {
      if (!((w, c, r) in LIB) || !((fw, c, r) in FLO) || LIB[w, c, r] < 0 || FLO[fw, c, r] <= 0) continue
      PN++; L[PN] = LIB[w, c, r]; F[PN] = FLO[fw, c, r]; R[PN] = L[PN] / F[PN]
    }
    if (PN == 0) return
    stats(L, PN); PL = MED; stats(F, PN); PF = MED; stats(R, PN); PMED = MED; PMIN = MIN; PMAX = MAX
  }
  FNR == 1 { split(FILENAME, p, "/"); f = p[length(p)]; side = (f ~ /^floor/) ? "floor" : "library"; r = f; gsub(/[^0-9]/, "", r) }
  $1 == side && $3 ~ /^c=/ {
    w = $2; c = substr($3, 3); tps = val($0, "tps")
    if (side == "floor" && w == "drain") tps *= 50             # floor drain: 50 entries per transaction
    T[side, w, c, r] = tps
    if (side == "library") {
      P50[w, c, r] = val($0, "p50_ms"); P99[w, c, r] = val($0, "p99_ms")
      CL[w, c, r] = val($0, "client_us_per_op"); SL[w, c, r] = val($0, "server_us_per_op"); OL[w, c, r] = val($0, "server_others_us_per_op")
    }
    else LAT[w, c, r] = val($0, "latency_ms")
    if (!((w, c) in SEEN) && side == "library") { SEEN[w, c] = 1; ORDER[++n] = w SUBSEP c }
  }
  $1 == "floor-cpu" && $3 ~ /^c=/ {                          # bench/pgbench-cpu.sh, per transaction
    w = $2; c = substr($3, 3); per = (w == "drain") ? 50 : 1   # floor drain: per entry, 50 per transaction
    CF[w, c, r] = val($0, "client_us_per_op") / per
    if ((x = val($0, "server_us_per_op")) >= 0) { SF[w, c, r] = x / per; OF[w, c, r] = val($0, "server_others_us_per_op") / per }
  }
  END {
    printf "\n## Ratios (library / floor, same round; median of %d rounds, min-max)\n\n", rounds
    md = "| workload | clients | library tps | floor tps | library/floor median | min | max | vs update-one-statement (median, min-max) | library p50 / p99 ms | floor avg latency ms |\n"
    md = md "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |\n"
    for (k = 1; k <= n; k++) {
      split(ORDER[k], wc, SUBSEP); w = wc[1]; c = wc[2]
      fw = w; sub(/@.*/, "", fw)                                # a baseline row against the same floor
      if (fw ~ /^(drain-each|drain-retry|dispatch|dispatch-batch)$/) fw = "drain" # every drain shape against the one floor drain
      m = 0; delete R; delete L; delete F; delete O; delete A; delete B; delete C; o = 0
      for (r = 1; r <= rounds; r++) {
        if (!(("library", w, c, r) in T) || !(("floor", fw, c, r) in T) || T["floor", fw, c, r] <= 0) continue
        m++; R[m] = T["library", w, c, r] / T["floor", fw, c, r]; L[m] = T["library", w, c, r]; F[m] = T["floor", fw, c, r]
        A[m] = P50[w, c, r]; B[m] = P99[w, c, r]; C[m] = LAT[fw, c, r]
        if (w == "update" && ("floor", "update-one-statement", c, r) in T) { o++; O[o] = T["library", w, c, r] / T["floor", "update-one-statement", c, r] }
      }
      if (m == 0) { printf "ratio %s c=%s: no pair\n", w, c; continue }
      stats(L, m); lm = MED; stats(F, m); fm = MED; stats(A, m); am = MED; stats(B, m); bm = MED; stats(C, m); cm = MED
      stats(R, m); rmed = MED; rmin = MIN; rmax = MAX
      one = "";
      if (o > 0) { stats(O, o); one = sprintf("%.3f (%.3f-%.3f)", MED, MIN, MAX) }
      unit = (fw == "drain") ? " entries/s" : ""
      printf "ratio %s c=%s median=%.3f min=%.3f max=%.3f library_tps=%.1f floor_tps=%.1f%s%s (n=%d)\n", w, c, rmed, rmin, rmax, lm, fm, unit, (one == "" ? "" : " vs_one_statement=" one), m
      md = md sprintf("| %s | %s | %.1f%s | %.1f%s | **%.3f** | %.3f | %.3f | %s | %.2f / %.2f | %.2f |\n", w, c, lm, unit, fm, unit, rmed, rmin, rmax, (one == "" ? "" : one), am, bm, cm)
    }
    printf "\n%s\n", md
    printf "Windows of %s s; drain in entries/s (floor: tps x 50); each ratio pairs a round'"'"'s library run with the floor run just before it.\n", secs

    # CPU per operation, client and server apart, over the same windows as the throughput.
    printf "\n## CPU per operation (us; drains per entry; library / floor, same round; median of %d rounds, min-max)\n\n", rounds
    md = "| workload | clients | library client us/op | floor client us/op | client library/floor (min-max) | library server us/op | floor server us/op | server library/floor (min-max) |\n"
    md = md "| --- | ---: | ---: | ---: | --- | ---: | ---: | --- |\n"
    for (k = 1; k <= n; k++) {
      split(ORDER[k], wc, SUBSEP); w = wc[1]; c = wc[2]; fw = floorOf(w)
      cpuPair(CL, CF, w, fw, c)
      if (PN == 0) { printf "cpu %s c=%s: no pair\n", w, c; continue }
      text = sprintf("cpu %s c=%s client_library_us=%.1f client_floor_us=%.1f client_ratio=%.3f client_min=%.3f client_max=%.3f", w, c, PL, PF, PMED, PMIN, PMAX)
      row = sprintf("| %s | %s | %.1f | %.1f | **%.3f** (%.3f-%.3f)", w, c, PL, PF, PMED, PMIN, PMAX); cn = PN
      cpuPair(SL, SF, w, fw, c)
      if (PN > 0) {
        sl = PL; sf = PF; smed = PMED; smin = PMIN; smax = PMAX
        cpuPair(OL, OF, w, fw, c)   # what was left out as other databases'"'"' backends (0 on a quiet server)
        text = text sprintf(" server_library_us=%.1f server_floor_us=%.1f server_ratio=%.3f server_min=%.3f server_max=%.3f others_library_us=%.1f others_floor_us=%.1f", sl, sf, smed, smin, smax, (PN ? PL : 0), (PN ? PF : 0))
        row = row sprintf(" | %.1f | %.1f | **%.3f** (%.3f-%.3f) |", sl, sf, smed, smin, smax)
      } else {
        text = text " server=n/a"; row = row " | | | n/a |"
      }
      printf "%s (n=%d)\n", text, cn
      md = md row "\n"
    }
    printf "\n%s\n", md
    printf "CPU: client = pgbench'"'"'s or the harness JVM'"'"'s process CPU, server = the PostgreSQL cluster'"'"'s (background processes included, other databases'"'"' client backends left out), each over its timed window, per transaction / call (drains: per entry).\n"
  }' "$out"/floor-*.txt "$out"/library-*.txt $( [[ -n $base_jar ]] && echo "$out"/baseline-*.txt ) "$out"/cpu-floor-*.txt
