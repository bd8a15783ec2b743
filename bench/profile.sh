#!/usr/bin/env bash
# Where the library spends its time and memory beyond the database, on one workload.
#   bench/profile.sh jfr [OUTDIR]   update at 4 clients, 30 s (PROFILE_SECONDS) under JFR (settings=profile): jfr summary and the
#                                   hot methods / components (bench/jfr-top.py); PROFILE_WORKLOAD and
#                                   PROFILE_CLIENTS choose another workload or client count
#   bench/profile.sh gc [OUTDIR]    update at 16 clients with -Xmx256m and a GC log: collections, pause times,
#                                   heap after GC
# Uses its own database (verist_bench_prof, dropped afterwards); the jar is built if missing.
set -euo pipefail
mode=${1:?usage: bench/profile.sh jfr|gc [OUTDIR]}
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$(mktemp -d -t verist-profile.XXXXXX)}
mkdir -p "$out"
secs=${PROFILE_SECONDS:-30}   # the timed window (and the JFR recording's duration)
jar=$here/target/verist-bench.jar
[[ -f $jar ]] || mvn -q -f "$here/pom.xml" package -DskipTests
common=(--payloads "$here/payloads" --schema "$here/../schema.sql" --db verist_bench_prof)
workload=${PROFILE_WORKLOAD:-update} clients=${PROFILE_CLIENTS:-4}
rec=$out/$workload-c$clients.jfr
case $mode in
  jfr)
    # The recording starts after boot and the warm-up and covers the 30 s window. Java samples every 1 ms
    # (profile.jfc: 10 ms) since the workers spend most of their time waiting on the database.
    java -XX:FlightRecorderOptions:stackdepth=256 "-XX:StartFlightRecording=delay=12s,duration=${secs}s,settings=profile,jdk.ExecutionSample#period=1ms,filename=$rec" \
      -jar "$jar" "${common[@]}" --workloads "$workload" --clients "$clients" --warmup 12 --seconds "$secs" | grep -v '^#'
    sleep 1
    echo "## jfr summary ($rec)"
    jfr summary "$rec" | sed -n '1,/^ Event Type/p;/jdk.ExecutionSample\|jdk.ObjectAllocationSample\|jdk.GarbageCollection \|jdk.JavaMonitorEnter\|jdk.ThreadPark/p'
    echo "## CPU (jdk.CPULoad, mean over the recording, % of all cores)"
    jfr print --events jdk.CPULoad "$rec" | awk '$1 ~ /^(jvmUser|jvmSystem|machineTotal)$/ {
        s[$1] += $3; n[$1]++ } END { for (k in s) printf "%s %.1f%%\n", k, s[k] / n[k] }'
    echo "## hot methods"
    python3 "$here/jfr-top.py" "$rec" 25
    ;;
  gc)
    log=$out/gc-update-c16.log
    java -Xmx256m -Xlog:gc:file="$log" -jar "$jar" "${common[@]}" --workloads update --clients 16 --warmup 5 --seconds "$secs" | grep -v '^#'
    echo "## GC log summary ($log)"
    awk '
      match($0, /GC\([0-9]+\)/) { ids[substr($0, RSTART, RLENGTH)] = 1 }
      / Pause / {
        n++; if ($0 ~ /Pause Full/) full++; if ($0 ~ /Pause Young/) young++
        if (match($0, /->[0-9]+M/)) { after = substr($0, RSTART + 2, RLENGTH - 3) + 0; if (after > maxafter) maxafter = after; last = after }
        if (match($0, /[0-9.]+ms$/)) { ms = substr($0, RSTART, RLENGTH - 2) + 0; total += ms; if (ms > maxms) maxms = ms }
      }
      /Using / { sub(/^.*Using /, ""); collector = $0 }
      END {
        printf "collector: %s\n", collector
        for (i in ids) gcs++
        printf "collections: %d (GC ids)\n", gcs
        printf "pauses: %d (young %d, full %d), total %.1f ms, longest %.1f ms\n", n, young, full, total, maxms
        printf "heap after GC: max %d MiB, last %d MiB (of -Xmx256m)\n", maxafter, last
      }' "$log"
    ;;
  *) echo "usage: bench/profile.sh jfr|gc [OUTDIR]" >&2; exit 2 ;;
esac
