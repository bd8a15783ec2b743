package dev.verist.it.payara;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * A second Payara Micro process beside the one the Arquillian adapter runs (which holds one deployment at a time):
 * two servers on one database. Started with the adapter's JVM options and its own HTTP port; stopped with SIGTERM,
 * which shuts the application down as an undeploy would.
 */
final class SecondMicro {

    private final Process process;
    private final Path log;

    private SecondMicro(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts Payara Micro with {@code war} deployed and returns once it says it is ready. */
    static SecondMicro start(WebArchive war) {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("payara.tmp.dir"), "second-micro"));
            File file = dir.resolve(war.getName()).toFile();
            war.as(ZipExporter.class).exportTo(file, true);
            Path log = dir.resolve("micro.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(List.of(java, "-Djava.io.tmpdir=" + dir, "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-jar", System.getProperty("payara.micro.jar"), "--port", "8180",
                    "--autobindhttp", "--nohazelcast", "--disablephonehome", "--rootDir", dir.resolve("root").toString(),
                    "--deploy", file.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            SecondMicro micro = new SecondMicro(process, log);
            micro.awaitReady();
            return micro;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start a second Payara Micro", e);
        }
    }

    /** Shuts it down (SIGTERM) and waits for the process to end. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("The second Payara Micro did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() - deadline < 0) {
            String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (output.contains(" ready in ")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The second Payara Micro exited: " + tail(output));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("The second Payara Micro was not ready within 180 s");
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
    }
}
