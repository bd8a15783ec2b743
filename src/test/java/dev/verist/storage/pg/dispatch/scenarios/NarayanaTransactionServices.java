package dev.verist.storage.pg.dispatch.scenarios;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.transaction.spi.TransactionServices;

/**
 * What a server gives Weld and Weld SE lacks: Narayana's transactions, so that transactional observers
 * ({@code @Observes(during = AFTER_SUCCESS)}) are notified after the commit, not at once. Add it with
 * {@code weld.addServices(new NarayanaTransactionServices())}.
 */
public final class NarayanaTransactionServices implements TransactionServices {

    @Override
    public void registerSynchronization(Synchronization synchronization) {
        try {
            com.arjuna.ats.jta.TransactionManager.transactionManager().getTransaction()
                    .registerSynchronization(synchronization);
        } catch (Exception e) {
            throw new IllegalStateException("No transaction to register with", e);
        }
    }

    @Override
    public boolean isTransactionActive() {
        try {
            int status = com.arjuna.ats.jta.TransactionManager.transactionManager().getStatus();
            return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK
                    || status == Status.STATUS_PREPARED || status == Status.STATUS_PREPARING
                    || status == Status.STATUS_COMMITTING || status == Status.STATUS_ROLLING_BACK;
        } catch (SystemException e) {
            return false;
        }
    }

    @Override
    public UserTransaction getUserTransaction() {
        return com.arjuna.ats.jta.UserTransaction.userTransaction();
    }

    @Override
    public void cleanup() {
    }
}
