package dev.verist.storage.pg.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** A store call's work on the connection its {@link Transactions} gives it. */
@FunctionalInterface
interface JdbcWork<T> {

    /** Does the work on {@code c}; the caller owns the transaction around it. */
    T execute(Connection c) throws SQLException;
}
