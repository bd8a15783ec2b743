package dev.verist.storage;

/**
 * The record of one LLM call (kernel invariant #8: hashes are mandatory). {@code input} and
 * {@code output} may be null for hash-only mode; they are then left out of the stored JSON.
 *
 * @param model            the model name, non-blank
 * @param promptTokens     tokens sent, at least 0
 * @param completionTokens tokens received, at least 0
 * @param durationMs       call duration in milliseconds, finite and at least 0
 * @param inputHash        hash of the input (by convention {@code sha256:<hex>}), non-blank
 * @param outputHash       hash of the output, non-blank
 * @param input            the raw input, or null
 * @param output           the raw output, or null
 */
public record LlmTrace(String model, int promptTokens, int completionTokens, double durationMs,
                       String inputHash, String outputHash, Object input, Object output) {

    /** A hash-only trace: the same call without the raw input and output. */
    public LlmTrace hashOnly() {
        return new LlmTrace(model, promptTokens, completionTokens, durationMs, inputHash, outputHash, null, null);
    }
}
