/**
 * The MicroProfile Health adapter: {@link dev.verist.storage.pg.health.microprofile.VeristReadinessCheck}. A bean
 * only where {@code org.eclipse.microprofile.health.HealthCheck} is on the classpath (the jar's
 * {@code beans.xml} leaves this package out otherwise).
 */
package dev.verist.storage.pg.health.microprofile;
