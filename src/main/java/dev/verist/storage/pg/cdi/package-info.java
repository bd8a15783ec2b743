/**
 * Jakarta EE wiring: {@link dev.verist.storage.pg.cdi.ContainerPgRunStore}, the CDI bean behind
 * {@code @Inject RunStore} and {@code @Inject PgRunStore}, and the {@link dev.verist.storage.pg.cdi.Verist}
 * qualifier with which the application names the {@code EntityManager} the store uses.
 */
package dev.verist.storage.pg.cdi;
