package dev.verist.storage.pg.internal;

import jakarta.persistence.EntityManager;
import java.util.function.Function;

/**
 * In a container: the caller's interceptor ({@code @Transactional}) has begun or joined the JTA transaction,
 * and the container-managed {@code EntityManager} is bound to it. Nothing here begins, commits or rolls back;
 * a failure propagates to the interceptor, which marks the transaction rollback-only.
 */
public final class JtaTransactions implements Transactions {

    private final EntityManager entityManager;

    /** Transactions on the container's transaction-scoped {@code EntityManager}. */
    public JtaTransactions(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public <T> T run(Function<EntityManager, T> work) {
        return work.apply(entityManager);
    }

    @Override
    public void close() {
    }
}
