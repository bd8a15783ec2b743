/**
 * JPA mappings of the four verist tables, for applications that query them (reports, operator tools) and
 * for schema validation. The store writes through its own SQL, never through these entities; treat them
 * as read models. They are listed in {@code META-INF/verist-orm.xml}, which a persistence unit includes.
 */
package dev.verist.storage.pg.entity;
