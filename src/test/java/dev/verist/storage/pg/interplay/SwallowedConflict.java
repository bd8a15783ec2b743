package dev.verist.storage.pg.interplay;

import dev.verist.storage.ConflictException;

/**
 * What an application saw when it caught the store's conflict and went on to return normally.
 *
 * @param conflict the exception it caught
 * @param transactionStatus the JTA status ({@link jakarta.transaction.Status}) of its transaction at that moment
 * @param rollbackOnly whether its container reported the transaction rollback-only at that moment (the EJB's
 *     {@code SessionContext}, else the {@code TransactionSynchronizationRegistry})
 */
public record SwallowedConflict(ConflictException conflict, int transactionStatus, boolean rollbackOnly) {
}
