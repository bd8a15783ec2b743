package dev.verist.storage.pg.cdi;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import dev.verist.storage.pg.PgSchema;
import dev.verist.storage.pg.TestDatabase;
import dev.verist.storage.pg.interplay.Invoice;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.narayana.NarayanaTransactionIntegration;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.SQLException;
import java.util.Map;

/**
 * What a Jakarta EE server provides, built in Java SE: Narayana's transaction manager, a pool whose
 * connections enlist in the JTA transaction (Agroal), and Hibernate JTA persistence units on it. Works
 * in a schema of its own, with the verist tables and the application's table {@value Invoice#TABLE}.
 */
public final class JtaEnvironment implements AutoCloseable {

    /** The schema this environment works in. */
    public final String schema;
    /** The JTA-enlisting pool on that schema. */
    public final AgroalDataSource dataSource;
    private final Map<String, Object> unitProperties;

    /** Creates the schema, the pool and the tables. */
    public JtaEnvironment() throws SQLException {
        TestDatabase db = TestDatabase.get();
        schema = db.createSchema("verist_jta");
        dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(16) // as many as the concurrency contract's racers
                        .transactionIntegration(new NarayanaTransactionIntegration(
                                com.arjuna.ats.jta.TransactionManager.transactionManager(),
                                new TransactionSynchronizationRegistryImple()))
                        .connectionFactoryConfiguration(factory -> factory
                                .jdbcUrl(db.urlFor(schema))
                                .principal(new NamePrincipal(db.user()))
                                .credential(new SimplePassword(db.password()))
                                .jdbcProperty("ApplicationName", schema))));
        PgSchema.apply(dataSource);
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute(Invoice.CREATE_TABLE);
        }
        unitProperties = Map.of(
                "jakarta.persistence.jtaDataSource", dataSource,
                "hibernate.transaction.jta.platform",
                "org.hibernate.engine.transaction.jta.platform.internal.JBossStandAloneJtaPlatform");
    }

    /** A JTA unit of {@code META-INF/persistence.xml} on this environment's data source. */
    public EntityManagerFactory unit(String name) {
        return Persistence.createEntityManagerFactory(name, unitProperties);
    }

    /** Closes the pool and drops the schema. */
    @Override
    public void close() {
        dataSource.close();
        TestDatabase.get().dropSchema(schema);
    }
}
