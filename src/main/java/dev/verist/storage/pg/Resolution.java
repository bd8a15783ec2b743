package dev.verist.storage.pg;

/** A decision that resolves a run's active block: {@link Review} for review gates, {@link Resume} for suspends. */
public sealed interface Resolution {

    /** Approve (release the deferred commands) or reject (drop them) a review block. */
    record Review(boolean approved) implements Resolution {
    }

    /** Resume a suspended run with outside data (any JSON value, or null). */
    record Resume(Object resumeData) implements Resolution {
    }

    /** Approves a review. */
    static Review approve() {
        return new Review(true);
    }

    /** Rejects a review. */
    static Review reject() {
        return new Review(false);
    }

    /** Resumes a suspend with the given data. */
    static Resume resume(Object resumeData) {
        return new Resume(resumeData);
    }
}
