#!/usr/bin/env bash
# A PostgreSQL primary with one synchronous streaming standby, on this machine's own PostgreSQL binaries, for
# the failover tests (dev.verist.storage.pg.failover). Both listen on 127.0.0.1 only, with trust auth.
#
#   pg-pair.sh start DIR PRIMARY_PORT STANDBY_PORT   initdb the primary, base-backup the standby, start both and
#                                                    wait until the standby streams as the synchronous one
#   pg-pair.sh kill-primary DIR                      stop the primary as a crash does (immediate: no checkpoint,
#                                                    clients cut off)
#   pg-pair.sh promote DIR                           promote the standby and wait until it accepts writes
#   pg-pair.sh status DIR                            each node: running or not, primary or standby, replication
#   pg-pair.sh stop DIR                              stop both (nodes already stopped are fine)
#   pg-pair.sh destroy DIR                           stop both at once, print their server logs, delete their
#                                                    data
#
# The servers run as the user postgres when this runs as root (PostgreSQL refuses root), else as the caller.
# The binaries are the newest under /usr/lib/postgresql, else pg_config's, else initdb's on the PATH; PG_BIN
# names another directory. The data lives in DIR/primary and DIR/standby with the sockets in DIR, unless the
# server's user cannot write DIR (a checkout in a home only root may enter) or DIR is too long for a socket
# path: then in a directory under /tmp that DIR/home names, which destroy deletes too.
set -euo pipefail

die() {
  echo "pg-pair: $*" >&2
  exit 1
}

usage() {
  die "usage: pg-pair.sh start DIR PRIMARY_PORT STANDBY_PORT | kill-primary DIR | promote DIR | status DIR | stop DIR | destroy DIR"
}

# Prints the directory of the server binaries, or fails saying where it looked.
find_bin() {
  local dir
  if [ -n "${PG_BIN:-}" ]; then
    [ -x "$PG_BIN/initdb" ] || die "PG_BIN=$PG_BIN has no initdb"
    echo "$PG_BIN"
    return
  fi
  if [ -d /usr/lib/postgresql ]; then
    for dir in $(ls /usr/lib/postgresql | sort -V -r); do
      if [ -x "/usr/lib/postgresql/$dir/bin/initdb" ]; then
        echo "/usr/lib/postgresql/$dir/bin"
        return
      fi
    done
  fi
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  die "no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup, postgres): looked in /usr/lib/postgresql/*/bin," \
    "pg_config --bindir and the PATH. Install the server (Debian: apt-get install postgresql) or set PG_BIN to its bin directory."
}

# Found when first needed: stopping or destroying a pair that never started needs no binaries.
BIN=""
require_bin() {
  local tool
  if [ -z "$BIN" ]; then
    BIN="$(find_bin)" || exit 1
    for tool in initdb pg_ctl pg_basebackup postgres psql; do
      [ -x "$BIN/$tool" ] || die "$BIN has no $tool: install the PostgreSQL server package, or set PG_BIN"
    done
  fi
}

if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root needs the user postgres to run the servers (PostgreSQL refuses root)"
  command -v runuser >/dev/null 2>&1 || die "running as root needs runuser (util-linux) to run the servers as postgres"
  # From /: the caller's directory may be one postgres cannot enter (every path here is absolute).
  as_server() { (cd / && runuser -u postgres -- "$@"); }
  SERVER_USER=postgres
else
  as_server() { "$@"; }
  SERVER_USER="$(id -un)"
fi

pg() {
  local tool="$1"
  shift
  require_bin
  as_server "$BIN/$tool" "$@"
}

# Where the nodes live: DIR itself (made absolute), or the directory DIR/home names.
home_of() {
  local dir
  dir="$(cd "$1" && pwd)" || die "no pair in $1"
  if [ -f "$dir/home" ]; then
    cat "$dir/home"
  else
    echo "$dir"
  fi
}

port_of() {
  local data="$1"
  sed -n 's/^port = \([0-9]*\).*/\1/p' "$data/postgresql.conf" | tail -n 1
}

running() {
  local data="$1"
  [ -f "$data/postmaster.pid" ] && pg pg_ctl status -D "$data" >/dev/null 2>&1
}

sql() {
  local port="$1" query="$2"
  pg psql -X -q -A -t -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -c "$query"
}

# Polls until "sql PORT QUERY" prints WANT, for at most SECONDS.
await() {
  local port="$1" query="$2" want="$3" seconds="$4" what="$5" got=""
  local deadline=$((SECONDS + seconds))
  while [ "$SECONDS" -lt "$deadline" ]; do
    got="$(sql "$port" "$query" 2>/dev/null || true)"
    [ "$got" = "$want" ] && return 0
    sleep 0.1
  done
  die "$what: still '$got' after ${seconds}s (wanted '$want')"
}

cmd_start() {
  [ $# = 3 ] || usage
  local dir="$1" primary_port="$2" standby_port="$3" home
  require_bin
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ -e "$dir/primary" ] || [ -e "$dir/home" ]; then die "$dir already holds a pair: destroy it first"; fi
  if [ "$SERVER_USER" = postgres ]; then chown postgres: "$dir"; fi

  home="$dir"
  # A Unix socket path has at most 107 bytes: DIR/.s.PGSQL.<port>.
  if ! as_server test -w "$dir/." || [ $((${#dir} + 17)) -gt 107 ]; then
    home="$(mktemp -d /tmp/verist-pg-pair.XXXXXX)"
    if [ "$SERVER_USER" = postgres ]; then chown postgres: "$home"; fi
    echo "$home" >"$dir/home"
    echo "pg-pair: $SERVER_USER cannot use $dir for its data and sockets; the nodes live in $home"
  fi

  echo "pg-pair: $("$BIN/postgres" --version) from $BIN, as $SERVER_USER, in $home"
  # --no-sync only skips flushing initdb's own files; the servers below run with fsync on.
  pg initdb -D "$home/primary" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >/dev/null
  cat >>"$home/primary/postgresql.conf" <<EOF

# pg-pair.sh
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$home'
max_connections = 40
shared_buffers = 16MB
wal_level = replica
max_wal_senders = 4
fsync = on
synchronous_commit = on
synchronous_standby_names = 'standby'
EOF
  pg pg_ctl start -w -t 30 -D "$home/primary" -l "$home/primary.log" >/dev/null \
    || die "the primary did not start: $(tail -n 20 "$home/primary.log" 2>/dev/null)"

  pg pg_basebackup -h 127.0.0.1 -p "$primary_port" -U postgres -D "$home/standby" -R -X stream -c fast \
    -d "application_name=standby"
  # The copy carries the primary's settings: the standby has its own port, and once promoted it has no
  # synchronous standby of its own to wait for.
  cat >>"$home/standby/postgresql.conf" <<EOF

# pg-pair.sh: the standby
port = $standby_port
synchronous_standby_names = ''
hot_standby = on
EOF
  grep -q "application_name=standby" "$home/standby/postgresql.auto.conf" \
    || die "pg_basebackup -R wrote no application_name into primary_conninfo: $(cat "$home/standby/postgresql.auto.conf")"
  pg pg_ctl start -w -t 30 -D "$home/standby" -l "$home/standby.log" >/dev/null \
    || die "the standby did not start: $(tail -n 20 "$home/standby.log" 2>/dev/null)"

  await "$primary_port" "SELECT state || '/' || sync_state FROM pg_stat_replication WHERE application_name = 'standby'" \
    "streaming/sync" 30 "the standby's replication as the primary sees it"
  await "$standby_port" "SELECT pg_is_in_recovery()" "t" 10 "the standby's recovery"
  echo "pg-pair: primary on 127.0.0.1:$primary_port, synchronous standby on 127.0.0.1:$standby_port"
}

cmd_kill_primary() {
  [ $# = 1 ] || usage
  local home
  home="$(home_of "$1")"
  running "$home/primary" || die "the primary is not running"
  pg pg_ctl stop -w -t 30 -m immediate -D "$home/primary" >/dev/null
  echo "pg-pair: primary stopped as a crash does (immediate)"
}

cmd_promote() {
  [ $# = 1 ] || usage
  local home port
  home="$(home_of "$1")"
  running "$home/standby" || die "the standby is not running"
  port="$(port_of "$home/standby")"
  pg pg_ctl promote -w -t 30 -D "$home/standby" >/dev/null
  await "$port" "SELECT pg_is_in_recovery()::text || '/' || current_setting('transaction_read_only')" \
    "false/off" 30 "the promoted standby's recovery"
  # A write that commits: the node is a primary that needs no standby to acknowledge it.
  sql "$port" "CREATE TEMP TABLE pg_pair_probe (x int); INSERT INTO pg_pair_probe VALUES (1)" >/dev/null
  echo "pg-pair: standby promoted, accepting writes on 127.0.0.1:$port"
}

cmd_status() {
  [ $# = 1 ] || usage
  local home node port
  home="$(home_of "$1")"
  for node in primary standby; do
    if [ ! -d "$home/$node" ]; then
      echo "$node: none"
      continue
    fi
    port="$(port_of "$home/$node")"
    if running "$home/$node"; then
      echo "$node: running on 127.0.0.1:$port, in recovery: $(sql "$port" "SELECT pg_is_in_recovery()" 2>&1 || true)," \
        "replication: $(sql "$port" "SELECT string_agg(application_name || ' ' || state || '/' || sync_state, ', ')
          FROM pg_stat_replication" 2>&1 || true)"
    else
      echo "$node: stopped (port $port)"
    fi
  done
}

# Stops both nodes: in MODE (fast: a clean shutdown), immediate when that does not end in time.
stop_nodes() {
  local home="$1" mode="$2" node
  for node in standby primary; do
    if running "$home/$node"; then
      pg pg_ctl stop -w -t 20 -m "$mode" -D "$home/$node" >/dev/null 2>&1 \
        || pg pg_ctl stop -w -t 20 -m immediate -D "$home/$node" >/dev/null 2>&1 \
        || echo "pg-pair: the $node did not stop" >&2
    fi
  done
}

cmd_stop() {
  [ $# = 1 ] || usage
  stop_nodes "$(home_of "$1")" fast
  echo "pg-pair: stopped"
}

cmd_destroy() {
  [ $# = 1 ] || usage
  local dir="$1" home node
  [ -d "$dir" ] || return 0
  dir="$(cd "$dir" && pwd)"
  home="$(home_of "$dir")"
  # The data goes anyway: no shutdown checkpoint to wait for.
  stop_nodes "$home" immediate
  echo "pg-pair: stopped"
  for node in primary standby; do
    if [ -f "$home/$node.log" ]; then
      echo "----- $node server log"
      cat "$home/$node.log"
    fi
  done
  if [ "$home" != "$dir" ]; then rm -rf "$home"; fi
  rm -rf "$dir"
  echo "pg-pair: deleted $dir"
}

[ $# -ge 1 ] || usage
command="$1"
shift
case "$command" in
  start) cmd_start "$@" ;;
  kill-primary) cmd_kill_primary "$@" ;;
  promote) cmd_promote "$@" ;;
  status) cmd_status "$@" ;;
  stop) cmd_stop "$@" ;;
  destroy) cmd_destroy "$@" ;;
  *) usage ;;
esac
