/**
 * The Micrometer adapter: {@link dev.verist.storage.pg.health.micrometer.MicrometerDispatchMetrics}. A bean only
 * where {@code io.micrometer.core.instrument.MeterRegistry} is on the classpath (the jar's {@code beans.xml} leaves
 * this package out otherwise); it records only when a {@code MeterRegistry} bean is resolvable.
 */
package dev.verist.storage.pg.health.micrometer;
