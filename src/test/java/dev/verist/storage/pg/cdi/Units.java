package dev.verist.storage.pg.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.transaction.TransactionScoped;

/**
 * The two supported ways to give the store its {@code EntityManager}, as CDI producers like those an
 * application writes (in a server, {@code @PersistenceContext} does what these methods do by hand).
 */
final class Units {

    private Units() {
    }

    /**
     * The application's own unit maps the verist entities too, and its manager is the {@code @Verist} one: the store
     * takes that unit's factory from it and works on managers of its own, joined to the same transaction.
     */
    @ApplicationScoped
    static class ApplicationUnit {
        static EntityManagerFactory unit;

        @Produces
        @TransactionScoped
        EntityManager applicationEntityManager() {
            return unit.createEntityManager();
        }

        void close(@Disposes EntityManager em) {
            em.close();
        }

        @Produces
        @Verist
        EntityManager veristEntityManager(EntityManager applicationEntityManager) {
            return applicationEntityManager;
        }
    }

    /** A dedicated {@code verist} unit on the same JTA data source as the application's unit. */
    @ApplicationScoped
    static class DedicatedUnit {
        static EntityManagerFactory applicationUnit;
        static EntityManagerFactory veristUnit;

        @Produces
        @TransactionScoped
        EntityManager applicationEntityManager() {
            return applicationUnit.createEntityManager();
        }

        void closeApplication(@Disposes EntityManager em) {
            em.close();
        }

        @Produces
        @Verist
        @TransactionScoped
        EntityManager veristEntityManager() {
            return veristUnit.createEntityManager();
        }

        void closeVerist(@Disposes @Verist EntityManager em) {
            em.close();
        }
    }
}
