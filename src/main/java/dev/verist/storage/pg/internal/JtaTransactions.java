package dev.verist.storage.pg.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.function.Supplier;
import org.hibernate.Session;

/**
 * In a container: the caller's interceptor ({@code @Transactional}) has begun or joined the JTA transaction.
 * Each call works on an {@code EntityManager} of its own from the unit's factory, which joins that transaction
 * (and so the transaction's connection); nothing here begins, commits or rolls back. A failure propagates to
 * the interceptor, which marks the transaction rollback-only.
 *
 * <p>The application's own transaction-scoped manager is not used directly: behind a CDI client proxy it
 * cannot be unwrapped to the Hibernate session the SQL runs on.
 */
final class JtaTransactions implements Transactions {

    private final Supplier<EntityManagerFactory> unit;
    private volatile EntityManagerFactory entityManagerFactory;

    /**
     * Transactions on the JTA unit {@code unit} supplies. It is asked on the first call, inside a transaction,
     * since a transaction-scoped producer cannot be reached before.
     */
    JtaTransactions(Supplier<EntityManagerFactory> unit) {
        this.unit = unit;
    }

    @Override
    public <T> T run(JdbcWork<T> work) {
        EntityManagerFactory factory = entityManagerFactory;
        if (factory == null) {
            factory = VeristMapping.checked(unit.get());
            entityManagerFactory = factory;
        }
        EntityManager em = factory.createEntityManager();
        try {
            em.joinTransaction();
            return em.unwrap(Session.class).doReturningWork(work::execute);
        } finally {
            em.close();
        }
    }

    @Override
    public void close() {
    }
}
