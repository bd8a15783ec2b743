package dev.verist.storage.pg.dispatch.scenarios;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what the dispatcher's threads do. */
public final class Awaits {

    private Awaits() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} after 30 s. */
    public static void awaitTrue(String what, BooleanSupplier condition) {
        awaitTrue(what, condition, Duration.ofSeconds(30));
    }

    /** Returns once {@code condition} holds; fails naming {@code what} after {@code patience}. */
    public static void awaitTrue(String what, BooleanSupplier condition, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + patience.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }
}
