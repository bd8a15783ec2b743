package dev.verist.storage.pg.internal;

import java.sql.SQLException;

/** Carries a driver's {@link SQLException} out of a {@link JdbcWork} to {@link StorageErrors}, which unwraps it. */
final class SqlFailure extends RuntimeException {

    SqlFailure(SQLException cause) {
        super(cause.getMessage(), cause, false, false);
    }

    @Override
    public synchronized SQLException getCause() {
        return (SQLException) super.getCause();
    }
}
