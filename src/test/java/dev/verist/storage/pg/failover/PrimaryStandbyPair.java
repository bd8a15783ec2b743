package dev.verist.storage.pg.failover;

import dev.verist.storage.pg.LocalPorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL primary and its synchronous streaming standby on two free ports of 127.0.0.1, run by
 * {@code src/test/failover/pg-pair.sh} on this machine's own PostgreSQL binaries, with their data under
 * {@code target/failover}. Every call of the script, and the nodes' server logs when the pair is closed, go to
 * {@code target/failover/pg-pair.log}. Closing stops both nodes and deletes their data; so does a shutdown hook
 * when the JVM ends first, and the next pair stops what a killed JVM left running. Trust authentication, user
 * {@code postgres}, database {@code postgres}.
 */
public final class PrimaryStandbyPair implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 120;
    private static final long CALL_TIMEOUT_SECONDS = 60;
    private static final String OWNER_FILE = "owner.pid";

    private final Path script;
    private final Path log;
    private final Path dir;
    private final int primaryPort;
    private final int standbyPort;
    private final Thread shutdownHook;
    private boolean closed;

    private PrimaryStandbyPair(Path script, Path log, Path dir, int primaryPort, int standbyPort) {
        this.script = script;
        this.log = log;
        this.dir = dir;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
        this.shutdownHook = new Thread(this::destroyQuietly, "pg-pair-stop");
    }

    /**
     * Starts a new pair and waits until the standby streams as the synchronous one.
     *
     * @throws IllegalStateException with the script's own words when it cannot: no PostgreSQL binaries on this
     *     machine, a node that does not start
     */
    public static PrimaryStandbyPair start() {
        Path target = targetDirectory();
        Path script = target.getParent().resolve("src/test/failover/pg-pair.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("The pair's script " + script + " is missing");
        }
        Path home = target.resolve("failover");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = home.resolve("pg-pair.log");
        stopLeftovers(script, log, home);

        IllegalStateException failure = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            int[] ports = LocalPorts.free(2);
            Path dir = home.resolve("pair-" + UUID.randomUUID().toString().substring(0, 8));
            PrimaryStandbyPair pair = new PrimaryStandbyPair(script, log, dir, ports[0], ports[1]);
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(pair.shutdownHook);
            try {
                pair.run(START_TIMEOUT_SECONDS, "start", dir.toString(), Integer.toString(ports[0]),
                        Integer.toString(ports[1]));
                return pair;
            } catch (IllegalStateException e) {
                failure = new IllegalStateException("The PostgreSQL primary and standby did not start: "
                        + e.getMessage(), e);
                try {
                    pair.close();
                } catch (RuntimeException cleanup) {
                    failure.addSuppressed(cleanup);
                }
                // Another process may have taken one of the ports between the probe and the server's bind.
                if (!e.getMessage().contains("could not bind")) {
                    break;
                }
            }
        }
        throw failure;
    }

    /** The store's URL: both nodes, the driver connecting only to the one that accepts writes. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + ",127.0.0.1:" + standbyPort
                + "/postgres?targetServerType=primary";
    }

    /** The first primary alone. */
    public String primaryUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres";
    }

    /** The standby alone (the primary once promoted). */
    public String standbyUrl() {
        return "jdbc:postgresql://127.0.0.1:" + standbyPort + "/postgres";
    }

    /** The user of every node. */
    public String user() {
        return "postgres";
    }

    /** Stops the primary as a crash does: at once, without a checkpoint, its clients cut off. */
    public void killPrimary() {
        run(CALL_TIMEOUT_SECONDS, "kill-primary", dir.toString());
    }

    /** Promotes the standby and returns once it commits writes. */
    public void promoteStandby() {
        run(CALL_TIMEOUT_SECONDS, "promote", dir.toString());
    }

    /** Each node's state, as the script reports it. */
    public String status() {
        return run(CALL_TIMEOUT_SECONDS, "status", dir.toString());
    }

    /** Stops both nodes and deletes their data. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it destroys the pair itself.
            return;
        }
        run(CALL_TIMEOUT_SECONDS, "destroy", dir.toString());
    }

    private synchronized void destroyQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            run(CALL_TIMEOUT_SECONDS, "destroy", dir.toString());
        } catch (RuntimeException e) {
            System.err.println("Stopping the PostgreSQL pair in " + dir + " failed: " + e.getMessage());
        }
    }

    /** Runs the script; its output goes to the log and is returned, a failure throws with the output's end. */
    private String run(long timeoutSeconds, String... args) {
        return call(script, log, timeoutSeconds, args);
    }

    private static String call(Path script, Path log, long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        String line = String.join(" ", command);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Instant begun = Instant.now();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + line + " (bash is needed): " + e.getMessage(), e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "pg-pair-output");
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(line + " was interrupted", e);
        }
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        String took = String.format("%.2f s", java.time.Duration.between(begun, Instant.now()).toMillis() / 1e3);
        appendToLog(log, "== " + begun + " " + line + "\n" + text
                + (finished ? "== exit " + process.exitValue() + " after " + took + "\n" : "== timed out\n"));
        if (!finished) {
            throw new IllegalStateException(line + " did not finish in " + timeoutSeconds + " s; see " + log
                    + ":\n" + tail(text));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(line + " failed (exit " + process.exitValue() + "); see " + log + ":\n"
                    + tail(text));
        }
        return text;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // The process ended; what was read is kept.
        }
    }

    private static synchronized void appendToLog(Path log, String text) {
        try {
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("Cannot write " + log + ": " + e.getMessage());
        }
    }

    private static String tail(String text) {
        String[] lines = text.strip().split("\n");
        int from = Math.max(0, lines.length - 30);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    /** Destroys pairs whose JVM is gone (killed before its hook could run). */
    private static void stopLeftovers(Path script, Path log, Path home) {
        try (DirectoryStream<Path> pairs = Files.newDirectoryStream(home, "pair-*")) {
            for (Path pair : pairs) {
                Path owner = pair.resolve(OWNER_FILE);
                long pid;
                try {
                    pid = Long.parseLong(Files.readString(owner).strip());
                } catch (IOException | NumberFormatException e) {
                    pid = -1;
                }
                if (pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                        .orElse(false)) {
                    continue;
                }
                try {
                    call(script, log, CALL_TIMEOUT_SECONDS, "destroy", pair.toString());
                } catch (IllegalStateException e) {
                    System.err.println("Stopping a left-over PostgreSQL pair failed: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The build's {@code target}: the parent of the directory this class was loaded from. */
    private static Path targetDirectory() {
        try {
            Path classes = Path.of(PrimaryStandbyPair.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
