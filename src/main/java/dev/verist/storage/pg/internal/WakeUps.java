package dev.verist.storage.pg.internal;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.Resolution;

/**
 * Which calls make outbox entries due now, so that dispatchers are woken: one answer for the notification the
 * store sends and for the event the store bean fires. Requeues and releases for now say it by the rows they change.
 */
public final class WakeUps {

    private WakeUps() {
    }

    /**
     * Whether {@code commit} writes pending entries: it has commands and none of them is a gate (a review defers
     * its step's commands; a suspend writes none besides its block).
     */
    public static boolean after(Commit commit) {
        if (commit.commands().isEmpty()) {
            return false;
        }
        for (Command command : commit.commands()) {
            if (command instanceof Command.Review || command instanceof Command.Suspend) {
                return false;
            }
        }
        return true;
    }

    /** Whether resolving a block with {@code resolution} makes entries due: an approval or a resume, not a rejection. */
    public static boolean after(Resolution resolution) {
        return !(resolution instanceof Resolution.Review review) || review.approved();
    }
}
