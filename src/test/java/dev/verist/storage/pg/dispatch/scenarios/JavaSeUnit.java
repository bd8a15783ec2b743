package dev.verist.storage.pg.dispatch.scenarios;

import dev.verist.storage.pg.cdi.Verist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.transaction.TransactionScoped;

/**
 * The store's {@code @Verist} manager in Java SE, where no server injects {@code @PersistenceContext}: one per JTA
 * transaction from {@link #factory}, which the test or benchmark sets before starting Weld.
 */
@ApplicationScoped
public class JavaSeUnit {

    /** The JTA unit mapping the verist entities. */
    public static volatile EntityManagerFactory factory;

    @Produces
    @Verist
    @TransactionScoped
    EntityManager veristEntityManager() {
        return factory.createEntityManager();
    }

    void close(@Disposes @Verist EntityManager em) {
        em.close();
    }
}
