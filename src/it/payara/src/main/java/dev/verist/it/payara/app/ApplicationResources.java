package dev.verist.it.payara.app;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * What the shared workflow beans {@code @Inject}: the application's container-managed EntityManager of its unit
 * {@code app} (both layouts have that unit), and the transaction registry, which Payara offers by JNDI only
 * (WildFly and Narayana in Java SE also make it a CDI bean).
 */
@ApplicationScoped
public class ApplicationResources {

    @Produces
    @PersistenceContext(unitName = "app")
    EntityManager applicationEntityManager;

    @Produces
    @Resource(lookup = "java:comp/TransactionSynchronizationRegistry")
    TransactionSynchronizationRegistry transactions;
}
