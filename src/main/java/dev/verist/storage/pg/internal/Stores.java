package dev.verist.storage.pg.internal;

import dev.verist.storage.pg.PgRunStore;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import javax.sql.DataSource;

/** The one way in: the store for each way of wiring it, as the public types hand it out. */
public final class Stores {

    private Stores() {
    }

    /** Java SE over a pool: plain JDBC, each call on a connection of its own. */
    public static PgRunStore overDataSource(DataSource dataSource) {
        return new SqlRunStore(new PooledTransactions(dataSource));
    }

    /**
     * Java SE over an application's {@code RESOURCE_LOCAL} factory, which stays the application's.
     *
     * @throws dev.verist.storage.StorageException not retryable, when the factory's unit lacks the verist mapping
     */
    public static PgRunStore overEntityManagerFactory(EntityManagerFactory emf) {
        return new SqlRunStore(new ResourceLocalTransactions(VeristMapping.checked(emf)));
    }

    /**
     * In a container: every call joins the caller's JTA transaction on an {@code EntityManager} of the unit that
     * {@code unit} supplies (asked on the first call, and checked for the verist mapping then).
     */
    public static PgRunStore inJtaTransactions(Supplier<EntityManagerFactory> unit) {
        return new SqlRunStore(new JtaTransactions(unit));
    }

    /**
     * A connection of {@code unit}'s pool, outside any transaction of the unit, for a dispatcher's listener to hold;
     * closing it gives it back to the pool.
     */
    public static Connection unitConnection(EntityManagerFactory unit) throws SQLException {
        return unit.unwrap(SessionFactoryImplementor.class).getServiceRegistry()
                .requireService(ConnectionProvider.class).getConnection();
    }
}
