package dev.verist.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time over a timed window, sampled at its edges only: this JVM's (the client: every thread, GC and JIT
 * included) and, when PostgreSQL runs on this machine, the server's, read from /proc as bench/pgbench-cpu.sh reads it
 * for the floor. The server's is the postmaster's own, what it has collected from its exited children (cutime and
 * cstime, so a backend that exits inside the window still counts) and its live children's, less the live client
 * backends of other databases.
 */
final class Cpu {

    // A client backend's process title: "postgres: [cluster_name: ]user database host(port)|[local] activity".
    private static final Pattern BACKEND =
            Pattern.compile("^postgres: (?:.*: )?(\\S+) (\\S+) (\\S+\\(\\d+\\)|\\[local\\])(?: |$)");
    private static final Path PROC = Path.of("/proc");

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** The postmaster's pid, or 0 when the server's CPU cannot be read here. */
    private final long postmaster;
    private final String database;
    private final long ticksPerSecond;

    /** The server's CPU in clock ticks, and the ticks of other databases' client backends by "pid:starttime". */
    record ServerSample(long ticks, Map<String, Long> others) {
    }

    /** The two clocks at one edge of a window. */
    record Mark(long clientNanos, ServerSample server) {
    }

    private Cpu(long postmaster, String database, long ticksPerSecond) {
        this.postmaster = postmaster;
        this.database = database;
        this.ticksPerSecond = ticksPerSecond;
    }

    /**
     * For a connection to {@code database} whose backend has process id {@code backendPid}: the server's CPU is
     * read when that process is here and a PostgreSQL backend of that database (else the server is elsewhere).
     */
    static Cpu of(long backendPid, String database) {
        long postmaster = 0;
        try {
            Matcher m = BACKEND.matcher(title(PROC.resolve(Long.toString(backendPid))));
            if (m.find() && m.group(2).equals(database)) {
                postmaster = Long.parseLong(stat(PROC.resolve(Long.toString(backendPid)))[1]);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc, or not this process: the client's CPU only
        }
        return new Cpu(postmaster, database, clockTicks());
    }

    /** A line for the harness's header. */
    String describe() {
        return postmaster == 0
                ? "# cpu: client = this JVM's process CPU; server not measured (PostgreSQL not on this machine)"
                : String.format(Locale.ROOT, "# cpu: client = this JVM's process CPU; server = postmaster %d and its"
                        + " children, less other databases' client backends (/proc, %d ticks/s)", postmaster,
                        ticksPerSecond);
    }

    /** The start of a window: the server first, so that reading /proc is not counted as the client's. */
    Mark begin() {
        ServerSample server = server();
        return new Mark(os.getProcessCpuTime(), server);
    }

    /** The end of a window: the client first. */
    Mark end() {
        long client = os.getProcessCpuTime();
        return new Mark(client, server());
    }

    /**
     * The line fields for {@code units} operations between two marks (units as tps counts them: commits, loads,
     * entries), or nothing when there were none.
     */
    String fields(Mark begin, Mark end, long units) {
        if (units <= 0) {
            return "";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, " client_us_per_op=%.1f",
                (end.clientNanos - begin.clientNanos) / 1e3 / units));
        if (begin.server != null && end.server != null) {
            long others = 0;
            for (Map.Entry<String, Long> e : end.server.others.entrySet()) {
                others += e.getValue() - begin.server.others.getOrDefault(e.getKey(), 0L);
            }
            double usPerTick = 1e6 / ticksPerSecond;
            s.append(String.format(Locale.ROOT, " server_us_per_op=%.1f server_others_us_per_op=%.1f",
                    (end.server.ticks - begin.server.ticks - others) * usPerTick / units, others * usPerTick / units));
        }
        return s.toString();
    }

    /**
     * A child reaped while the children are read would be missed (or, read first, counted twice): so the postmaster
     * is read before and after them, and the reading is repeated until no child was reaped in between.
     */
    private ServerSample server() {
        if (postmaster == 0) {
            return null;
        }
        try {
            Path pm = PROC.resolve(Long.toString(postmaster));
            String parent = Long.toString(postmaster);
            for (int tries = 0; ; tries++) {
                long before = sum(stat(pm), 13, 14); // cutime, cstime: the reaped children's
                long children = 0;
                Map<String, Long> others = new HashMap<>();
                try (DirectoryStream<Path> all = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
                    for (Path p : all) {
                        String[] s;
                        try {
                            s = stat(p);
                        } catch (IOException e) {
                            continue; // gone meanwhile
                        }
                        if (!s[1].equals(parent)) {
                            continue;
                        }
                        long own = sum(s, 11, 12); // utime, stime
                        children += own;
                        Matcher m = BACKEND.matcher(title(p));
                        if (m.find() && !m.group(2).equals(database)) {
                            others.put(p.getFileName() + ":" + s[19], own);
                        }
                    }
                }
                String[] after = stat(pm);
                if (sum(after, 13, 14) == before || tries == 9) {
                    return new ServerSample(sum(after, 11, 12, 13, 14) + children, others);
                }
            }
        } catch (IOException e) {
            return null; // the postmaster is gone: no server figure for this window
        }
    }

    /** The fields of /proc/PID/stat after the command name, from the state (field 3) on. */
    private static String[] stat(Path pid) throws IOException {
        String line = Files.readString(pid.resolve("stat"), StandardCharsets.US_ASCII);
        return line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** The process title: up to the first NUL of /proc/PID/cmdline ("" for a zombie or a vanished process). */
    private static String title(Path pid) {
        try {
            byte[] b = Files.readAllBytes(pid.resolve("cmdline"));
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            return new String(b, 0, n, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static long sum(String[] fields, int... at) {
        long s = 0;
        for (int i : at) {
            s += Long.parseLong(fields[i]);
        }
        return s;
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** USER_HZ, the unit of /proc's times (100 on Linux's common architectures). */
    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
