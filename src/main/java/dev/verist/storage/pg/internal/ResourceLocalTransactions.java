package dev.verist.storage.pg.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;

/**
 * Java SE over an application's {@code RESOURCE_LOCAL} factory: each call in its own resource-local transaction
 * on a fresh {@code EntityManager}; a single statement commits alone on a stateless session, without a
 * {@code BEGIN} and a {@code COMMIT} around it.
 */
final class ResourceLocalTransactions implements Transactions {

    private final EntityManagerFactory emf;
    private final SessionFactory sessions;

    /** Transactions over {@code emf}, which stays its owner's. */
    ResourceLocalTransactions(EntityManagerFactory emf) {
        this.emf = emf;
        this.sessions = emf.unwrap(SessionFactory.class);
    }

    @Override
    public <T> T run(JdbcWork<T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            EntityTransaction tx = em.getTransaction();
            tx.begin();
            try {
                T result = em.unwrap(Session.class).doReturningWork(work::execute);
                tx.commit();
                return result;
            } catch (RuntimeException | Error e) {
                rollbackQuietly(tx, e);
                throw e;
            }
        } finally {
            em.close();
        }
    }

    @Override
    public <T> T runStatement(JdbcWork<T> work) {
        try (StatelessSession session = sessions.openStatelessSession()) {
            return session.doReturningWork(c -> PooledTransactions.alone(c, work));
        }
    }

    private static void rollbackQuietly(EntityTransaction tx, Throwable failure) {
        try {
            if (tx.isActive()) {
                tx.rollback();
            }
        } catch (RuntimeException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    @Override
    public void close() {
    }
}
