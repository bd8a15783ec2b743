package dev.verist.storage.pg.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.jdbc.ReturningWork;

/**
 * Java SE: each call in its own resource-local transaction on a fresh {@code EntityManager}; a single
 * statement commits alone on a stateless session, without a {@code BEGIN} and a {@code COMMIT} around it.
 */
final class ResourceLocalTransactions implements Transactions {

    private final EntityManagerFactory emf;
    private final SessionFactory sessions;
    private final boolean ownsFactory;

    /** Transactions over {@code emf}; {@code ownsFactory} says whether {@link #close()} closes it. */
    ResourceLocalTransactions(EntityManagerFactory emf, boolean ownsFactory) {
        this.emf = emf;
        this.sessions = emf.unwrap(SessionFactory.class);
        this.ownsFactory = ownsFactory;
    }

    @Override
    public <T> T run(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            EntityTransaction tx = em.getTransaction();
            tx.begin();
            try {
                T result = work.apply(em);
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
    public <T> T runStatement(ReturningWork<T> work) {
        try (StatelessSession session = sessions.openStatelessSession()) {
            return session.doReturningWork(c -> c.getAutoCommit() ? work.execute(c) : inTransaction(c, work));
        }
    }

    // A pool that hands out connections with autocommit off: the statement still commits before the call returns.
    private static <T> T inTransaction(Connection c, ReturningWork<T> work) throws SQLException {
        try {
            T result = work.execute(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
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
        if (ownsFactory && emf.isOpen()) {
            emf.close();
        }
    }
}
