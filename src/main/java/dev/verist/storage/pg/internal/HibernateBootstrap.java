package dev.verist.storage.pg.internal;

import dev.verist.storage.pg.entity.BlockEntity;
import dev.verist.storage.pg.entity.EventEntity;
import dev.verist.storage.pg.entity.OutboxEntity;
import dev.verist.storage.pg.entity.RunStateEntity;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import javax.sql.DataSource;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;

/** Builds the private Hibernate factory of {@code PgRunStore.create(DataSource)}. */
final class HibernateBootstrap {

    /** The verist entities, as {@code META-INF/verist-orm.xml} lists them. */
    static final List<Class<?>> ENTITIES =
            List.of(RunStateEntity.class, EventEntity.class, OutboxEntity.class, BlockEntity.class);

    private HibernateBootstrap() {
    }

    /** A resource-local factory over the pool, mapping only the verist entities; it never changes the schema. */
    static EntityManagerFactory entityManagerFactory(DataSource dataSource) {
        Configuration configuration = new Configuration();
        configuration.getProperties().put(AvailableSettings.DATASOURCE, dataSource);
        // Booting must not need the database: a store created while PostgreSQL is down works once it is up.
        configuration.setProperty(AvailableSettings.JAKARTA_HBM2DDL_DB_NAME, "PostgreSQL");
        configuration.setProperty(AvailableSettings.JAKARTA_HBM2DDL_DB_MAJOR_VERSION, "12");
        configuration.setProperty(AvailableSettings.ALLOW_METADATA_ON_BOOT, "false");
        configuration.setProperty(AvailableSettings.HBM2DDL_AUTO, "none");
        configuration.setProperty(AvailableSettings.SHOW_SQL, "false");
        ENTITIES.forEach(configuration::addAnnotatedClass);
        return configuration.buildSessionFactory();
    }
}
