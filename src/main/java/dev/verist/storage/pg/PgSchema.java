package dev.verist.storage.pg;

import dev.verist.storage.StorageException;
import dev.verist.storage.pg.internal.SchemaCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * The reference schema ({@code schema.sql}), shipped in the jar. Production databases should get it from
 * their migration tool: Flyway finds it at {@code classpath:db/migration/verist}. {@link #apply} suits
 * tests, examples and development.
 */
public final class PgSchema {

    /** Where the schema lives on the classpath. */
    public static final String RESOURCE = "dev/verist/storage/pg/schema.sql";

    /** The Flyway location holding the same schema as {@code V1__verist_schema.sql}. */
    public static final String FLYWAY_LOCATION = "classpath:db/migration/verist";

    /**
     * The channel the store sends a PostgreSQL {@code NOTIFY} on when a transaction makes outbox entries due
     * (a commit with commands, an approved review, a resume, a requeue), so that dispatchers listening on other
     * nodes look for them at once. Any writer may notify it; a dispatcher's poll finds entries regardless.
     */
    public static final String OUTBOX_CHANNEL = "verist_outbox";

    private PgSchema() {
    }

    /** The DDL text of {@code schema.sql}. */
    public static String ddl() {
        try (InputStream in = PgSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the tables, indexes and trigger where they are missing; safe to run again. */
    public static void apply(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(ddl());
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new StorageException("Applying the verist schema failed: " + e.getMessage(), e);
        }
    }

    /** The latest migration the jar carries, as Flyway names it ({@code V4}); {@link #missingObjects} looks for it. */
    public static String latestMigration() {
        return SchemaCheck.latestMigration();
    }

    /**
     * The objects of the {@linkplain #latestMigration() latest migration} that the schema the connections of
     * {@code dataSource} work in lacks, such as {@code verist_outbox.lease_token}; empty when it is up to date.
     * One catalog query; it writes nothing.
     *
     * @throws StorageException when the database cannot be asked
     */
    public static List<String> missingObjects(DataSource dataSource) {
        return SchemaCheck.overDataSource(dataSource).missingObjects();
    }
}
