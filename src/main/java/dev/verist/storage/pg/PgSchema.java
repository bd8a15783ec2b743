package dev.verist.storage.pg;

import dev.verist.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
}
