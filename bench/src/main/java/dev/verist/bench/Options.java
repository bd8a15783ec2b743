package dev.verist.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@link Harness}; see {@link #USAGE}. */
final class Options {

    static final String USAGE = """
            usage: java -jar bench/target/verist-bench.jar [options]
              Runs the shared/bench workloads through PgRunStore and prints one line per workload and client
              count: "library <workload> c=<n> tps=<x> p50_ms=<y> p99_ms=<z> ..." (drains: tps = entries/s), with
              client_us_per_op and server_us_per_op, the JVM's and the local PostgreSQL's CPU per call over the
              window (drains: per entry).
            options (defaults in brackets):
              --payloads DIR        the four payload JSON files [./payloads, else ./bench/payloads]
              --schema FILE         DDL applied to the fresh database [the schema.sql inside the library jar]
              --seconds N           timed window per workload and client count [5]
              --warmup N            unmeasured warm-up before each window [5]
              --jit-warmup N        once at start: every workload in turn for N/5 s each, unmeasured [0]
              --clients LIST        client counts, comma or space separated [1,4,16]
              --workloads LIST      create,update,update-commands,load,drain,drain-each,drain-retry [all]
              --runs N              prefilled runs r-1..r-N [10000]
              --outbox N            pending outbox rows prefilled before each drain [400000]
              --outbox-refill MODE  full: floor.sh's refill (delete all, insert N) before every drain;
                                    top-up: delete what is no longer pending, insert the missing rows [top-up]
              --backlog D,W         before the drains, D dispatched rows and W retries waiting a day (older than
                                    the prefill) besides it, kept across refills [none]
              --purge               before each drain, purgeDispatched(now, 10000) until it returns less, timed
              --scale RUNS,EVENTS   after the prefill, RUNS more runs (workflow "scale", untouched by the
                                    workloads) holding EVENTS events between them, built once and vacuumed; a
                                    database kept (--keep-db) with exactly that scale is used again, the other
                                    workflows' rows deleted, instead of being dropped and built anew [none]
              --commit-ids          every create and update carries a commitId (unique per run)
              --db NAME             the database the harness drops, creates and uses [verist_bench_lib]
              --host H --port P --user U --password W   [$PGHOST or 127.0.0.1, $PGPORT or 5432,
                                    $PGUSER or postgres, $PGPASSWORD or none]
              --keep-db             leave the database in place at the end (it is dropped otherwise)
              --store-url URL       JDBC URL of the store's pool only, e.g. through PgBouncer:
                                    jdbc:postgresql://127.0.0.1:6433/verist_bench_lib?prepareThreshold=0; the
                                    set-up, prefill and checks stay on --host/--port [the same server]
            Each client is one thread; the HikariCP pool has exactly as many connections as clients.""";

    Path payloads;
    Path schema;
    int seconds = 5;
    int warmup = 5;
    int jitWarmup = 0;
    List<Integer> clients = List.of(1, 4, 16);
    List<Workload> workloads = List.of(Workload.values());
    int runs = 10_000;
    int outbox = 400_000;
    boolean fullRefill;
    String db = "verist_bench_lib";
    String host = env("PGHOST", "127.0.0.1");
    int port = Integer.parseInt(env("PGPORT", "5432"));
    String user = env("PGUSER", "postgres");
    String password = env("PGPASSWORD", "");
    boolean keepDb;
    String storeUrl;
    int backlogDispatched;
    int backlogWaiting;
    boolean purge;
    boolean commitIds;
    int scaleRuns;
    int scaleEvents;

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> throw new UsageException(null);
                case "--payloads" -> o.payloads = Path.of(value(args, ++i, a));
                case "--schema" -> o.schema = Path.of(value(args, ++i, a));
                case "--seconds" -> o.seconds = positive(value(args, ++i, a), a);
                case "--warmup" -> o.warmup = nonNegative(value(args, ++i, a), a);
                case "--jit-warmup" -> o.jitWarmup = nonNegative(value(args, ++i, a), a);
                case "--clients" -> o.clients = ints(value(args, ++i, a), a);
                case "--workloads" -> o.workloads = workloads(value(args, ++i, a));
                case "--runs" -> o.runs = positive(value(args, ++i, a), a);
                case "--outbox" -> o.outbox = positive(value(args, ++i, a), a);
                case "--outbox-refill" -> o.fullRefill = switch (value(args, ++i, a)) {
                    case "full" -> true;
                    case "top-up" -> false;
                    default -> throw new UsageException("--outbox-refill is full or top-up");
                };
                case "--db" -> o.db = identifier(value(args, ++i, a));
                case "--host" -> o.host = value(args, ++i, a);
                case "--port" -> o.port = positive(value(args, ++i, a), a);
                case "--user" -> o.user = value(args, ++i, a);
                case "--password" -> o.password = value(args, ++i, a);
                case "--keep-db" -> o.keepDb = true;
                case "--store-url" -> o.storeUrl = value(args, ++i, a);
                case "--backlog" -> {
                    List<Integer> sizes = ints(value(args, ++i, a), a);
                    if (sizes.size() != 2) {
                        throw new UsageException("--backlog takes two numbers: dispatched,waiting");
                    }
                    o.backlogDispatched = sizes.get(0);
                    o.backlogWaiting = sizes.get(1);
                }
                case "--purge" -> o.purge = true;
                case "--scale" -> {
                    String[] sizes = value(args, ++i, a).trim().split("[,\\s]+");
                    if (sizes.length != 2) {
                        throw new UsageException("--scale takes two numbers: runs,events");
                    }
                    o.scaleRuns = positive(sizes[0], a);
                    o.scaleEvents = nonNegative(sizes[1], a);
                }
                case "--commit-ids" -> o.commitIds = true;
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (o.payloads == null) {
            o.payloads = Files.isDirectory(Path.of("payloads")) ? Path.of("payloads") : Path.of("bench", "payloads");
        }
        if (!Files.isDirectory(o.payloads)) {
            throw new UsageException("no payload directory " + o.payloads + " (use --payloads DIR)");
        }
        return o;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String v, String option) {
        int n = nonNegative(v, option);
        if (n == 0) {
            throw new UsageException(option + " must be positive");
        }
        return n;
    }

    private static int nonNegative(String v, String option) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new UsageException(option + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": not a number: " + v);
        }
    }

    private static List<Integer> ints(String v, String option) {
        List<Integer> list = new ArrayList<>();
        for (String part : v.trim().split("[,\\s]+")) {
            list.add(positive(part, option));
        }
        return List.copyOf(list);
    }

    private static List<Workload> workloads(String v) {
        List<Workload> list = new ArrayList<>();
        for (String part : v.trim().split("[,\\s]+")) {
            list.add(Workload.byName(part));
        }
        return List.copyOf(list);
    }

    private static String identifier(String v) {
        if (!v.matches("[a-z_][a-z0-9_]*")) {
            throw new UsageException("--db must be a lowercase SQL identifier: " + v);
        }
        return v;
    }

    /** Bad command line: the message (or none for --help) and the usage text are printed. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
