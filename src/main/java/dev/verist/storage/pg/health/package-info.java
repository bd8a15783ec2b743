/**
 * Health and metrics without a dependency: {@link dev.verist.storage.pg.health.VeristHealth} (readiness: the
 * database, its schema, the dispatcher), {@link dev.verist.storage.pg.health.OutboxGauges} (the outbox's numbers,
 * read at most once per few seconds) and {@link dev.verist.storage.pg.health.DispatchMetrics}, the SPI the
 * dispatcher reports each delivery to. The adapters for MicroProfile Health and Micrometer live in the
 * subpackages and are beans only where their API is on the classpath.
 */
package dev.verist.storage.pg.health;
