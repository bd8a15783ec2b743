package dev.verist.storage.pg.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.function.Function;

/** Java SE: each call in its own resource-local transaction on a fresh {@code EntityManager}. */
public final class ResourceLocalTransactions implements Transactions {

    private final EntityManagerFactory emf;
    private final boolean ownsFactory;

    /** Transactions over {@code emf}; {@code ownsFactory} says whether {@link #close()} closes it. */
    public ResourceLocalTransactions(EntityManagerFactory emf, boolean ownsFactory) {
        this.emf = emf;
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
