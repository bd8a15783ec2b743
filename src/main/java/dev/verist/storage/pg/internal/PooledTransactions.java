package dev.verist.storage.pg.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Java SE over a pool: each call on a connection of its own, in its own transaction, or as one statement that
 * commits alone. Plain JDBC, no persistence context: nothing on the way but the driver and the pool.
 */
final class PooledTransactions implements Transactions {

    private final DataSource dataSource;

    PooledTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public <T> T run(JdbcWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                return committed(c, work);
            }
            c.setAutoCommit(false);
            T result;
            try {
                result = committed(c, work);
            } catch (SQLException | RuntimeException | Error e) {
                restoreAutoCommit(c, e);
                throw e;
            }
            restoreAutoCommit(c, null);
            return result;
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    @Override
    public <T> T runStatement(JdbcWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return alone(c, work);
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /** One statement on {@code c}: committed by itself under autocommit, else committed before returning. */
    static <T> T alone(Connection c, JdbcWork<T> work) throws SQLException {
        return c.getAutoCommit() ? work.execute(c) : committed(c, work);
    }

    // On a connection with autocommit off: commit the work, or roll it back and rethrow.
    private static <T> T committed(Connection c, JdbcWork<T> work) throws SQLException {
        try {
            T result = work.execute(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    // The pool's next borrower expects the connection as it was lent. After a failure, a broken connection must
    // not hide why the call failed.
    private static void restoreAutoCommit(Connection c, Throwable failure) throws SQLException {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() {
    }
}
