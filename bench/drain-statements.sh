#!/usr/bin/env bash
# The drain's database side alone: the store's lease and batch finalisation run by pgbench (no JVM), on schema V1
# with V1's statements against this schema with this store's, alternately, on a 400,000-row outbox refilled and
# checkpointed before every window.
#   bench/drain-statements.sh [ROUNDS] [SECONDS] [CLIENTS]      defaults: 6 rounds, 10 s, 4 clients
# V1's schema comes from git (commit 8bf5715, the last V1 build). Prints one line per window,
#   "round <r> <v1|v2> batches/s=<x>"   (a batch is 50 entries: one lease and one finalisation)
# and the median of each and of the per-round ratios v2/v1. Uses databases verist_drain_v1 and verist_drain_v2,
# dropped afterwards.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-6} secs=${2:-10} clients=${3:-4}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
v1_schema=$(mktemp)
trap 'rm -f "$v1_schema"; for v in v1 v2; do psql -q -d postgres -c "DROP DATABASE IF EXISTS verist_drain_$v" >/dev/null; done' EXIT
git -C "$here/.." show 8bf5715:schema.sql > "$v1_schema"

for v in v1 v2; do
  psql -q -d postgres -c "DROP DATABASE IF EXISTS verist_drain_$v" -c "CREATE DATABASE verist_drain_$v" >/dev/null
  schema=$([[ $v == v1 ]] && echo "$v1_schema" || echo "$here/../schema.sql")
  psql -q -d "verist_drain_$v" -v ON_ERROR_STOP=1 -f "$schema" >/dev/null 2>&1
done

fill() { # the floor's prefill (shared/bench/floor.sh)
  psql -q -d "$1" -v ON_ERROR_STOP=1 >/dev/null <<SQL
TRUNCATE verist_outbox;
INSERT INTO verist_outbox (workflow_id, run_id, step_id, command, dedupe_key, status, created_at)
  SELECT 'bench', 'r-' || (g % 10000 + 1), 'verify', '{"type":"invoke","step":"verify-claim","input":{}}'::jsonb,
         md5(g::text) || md5('k' || g::text), 'pending', now() + g * interval '1 microsecond'
  FROM generate_series(1, 400000) g;
VACUUM ANALYZE verist_outbox;
CHECKPOINT;
SQL
}

out=$(mktemp)
for r in $(seq "$rounds"); do
  for v in v1 v2; do
    fill "verist_drain_$v"
    tps=$(pgbench -n -M prepared -c "$clients" -j "$(( clients < 2 ? 1 : 2 ))" -T "$secs" \
          -f "$here/pgbench/drain-$v.sql" "verist_drain_$v" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
    echo "round $r $v batches/s=$tps" | tee -a "$out"
  done
done
awk -F'[ =]' '
  { tps[$3, $2] = $5; rounds[$2] = 1 }
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END { n = 0; for (r in rounds) { n++; a1[n] = tps["v1", r]; a2[n] = tps["v2", r]; q[n] = tps["v2", r] / tps["v1", r] }
        printf "median batches/s: v1 %.1f, v2 %.1f; median of the per-round ratios v2/v1: %.3f\n", median(a1, n), median(a2, n), median(q, n) }' "$out"
rm -f "$out"
