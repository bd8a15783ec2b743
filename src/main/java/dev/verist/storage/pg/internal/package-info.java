/**
 * The PostgreSQL implementation behind {@link dev.verist.storage.pg.PgRunStore}: SQL (one class per
 * concern: {@code CommitSql}, {@code StateSql}, {@code BlockSql}, {@code OutboxSql}), row mapping,
 * request checks, transactions and error translation. Not API: anything here may change in any release.
 */
package dev.verist.storage.pg.internal;
