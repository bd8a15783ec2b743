package dev.verist.storage.pg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One PgBouncer in transaction pooling mode per test JVM, in front of {@link TestDatabase}'s server: started on
 * first use on a free port of its own (config, auth file and log under {@code target/pgbouncer/port-N/}), stopped
 * by a shutdown hook. It needs Debian's {@code pgbouncer} package; without it {@link #get()} fails, it never skips.
 *
 * <p>PgBouncer passes no {@code search_path} startup parameter (pgjdbc's {@code currentSchema}), and a session
 * {@code SET} does not survive transaction pooling. So each schema gets a login role of its own that owns it, with
 * {@code ALTER ROLE ... SET search_path} to it alone: PgBouncer pools server connections per database and user,
 * so every server connection it opens for that role starts in that schema, and none is shared with another.
 */
public final class PgBouncer {

    /** The user of the admin console, which answers {@code RELOAD} and {@code SHOW}; it never reaches PostgreSQL. */
    private static final String ADMIN = "verist_bouncer_admin";

    private static PgBouncer instance;

    private final TestDatabase db;
    private final String serverHost;
    private final int serverPort;
    private final String database;
    private final Path dir;
    private final int port;
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private Process process;

    private PgBouncer(TestDatabase db) {
        this.db = db;
        this.serverHost = db.host();
        this.serverPort = db.port();
        this.database = db.database();
        this.port = LocalPorts.free(1)[0];
        this.dir = Paths.get("target", "pgbouncer", "port-" + port).toAbsolutePath();
    }

    /** The PgBouncer of this JVM, started on first use. */
    public static synchronized PgBouncer get() {
        if (instance == null) {
            PgBouncer bouncer = new PgBouncer(TestDatabase.get());
            bouncer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(bouncer::stop, "pgbouncer-stop"));
            instance = bouncer;
        }
        return instance;
    }

    /** The port PgBouncer listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /**
     * A new schema with the verist tables, owned by a new login role of the same name plus {@code _app} whose
     * {@code search_path} is that schema alone; PgBouncer knows the role once this returns.
     */
    public synchronized Tenant createTenant(String prefix) {
        String schema = db.createSchema(prefix);
        String role = schema + "_app";
        String password = secret();
        Tenant tenant = new Tenant(schema, role, password);
        try {
            // Owned by the role, tables included: the store runs as an ordinary application role, not a superuser.
            execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'",
                    "ALTER ROLE " + role + " SET search_path = " + schema,
                    "ALTER SCHEMA " + schema + " OWNER TO " + role);
            HikariConfig direct = new HikariConfig();
            direct.setJdbcUrl(db.urlFor(schema));
            direct.setUsername(role);
            direct.setPassword(password);
            direct.setMaximumPoolSize(1);
            direct.setPoolName("schema-" + schema);
            try (HikariDataSource setup = new HikariDataSource(direct)) {
                PgSchema.apply(setup);
            }
            passwords.put(role, password);
            writeAuthFile();
            reload();
        } catch (RuntimeException e) {
            try {
                dropTenant(tenant);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return tenant;
    }

    /**
     * Drops the tenant's schema and role, after ending the server connections PgBouncer still holds for the
     * role (idle ones stay open for {@code server_idle_timeout} otherwise), and forgets the role.
     */
    public synchronized void dropTenant(Tenant tenant) {
        String backends = " FROM pg_stat_activity WHERE usename = '" + tenant.role() + "'";
        execute("SELECT pg_terminate_backend(pid)" + backends);
        awaitZero("SELECT count(*)" + backends);
        execute("DROP SCHEMA IF EXISTS " + tenant.schema() + " CASCADE", "DROP ROLE IF EXISTS " + tenant.role());
        passwords.remove(tenant.role());
        writeAuthFile();
        reload();
    }

    /**
     * A HikariCP configuration for {@code tenant} through PgBouncer: {@code prepareThreshold=0}, since PgBouncer
     * 1.18 in transaction mode cannot follow named prepared statements from one server connection to another.
     */
    public HikariConfig poolConfig(Tenant tenant, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?prepareThreshold=0");
        config.setUsername(tenant.role());
        config.setPassword(tenant.password());
        config.setMaximumPoolSize(size);
        config.setPoolName("pgbouncer-" + tenant.schema() + "-" + size);
        config.addDataSourceProperty("ApplicationName", tenant.schema());
        return config;
    }

    /**
     * Runs one command on the admin console and returns the rows it answers, column name to text. pgjdbc cannot
     * talk to the console (it sends {@code SET}s the console refuses), so this speaks the simple query protocol
     * itself, as the admin user the hba file trusts from 127.0.0.1.
     */
    public synchronized List<Map<String, String>> admin(String command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            byte[] startup = ("user\0" + ADMIN + "\0database\0pgbouncer\0\0").getBytes(StandardCharsets.UTF_8);
            out.writeInt(8 + startup.length);
            out.writeInt(196608); // protocol 3.0
            out.write(startup);
            out.flush();
            readUntilReady(in, null);
            byte[] query = (command + "\0").getBytes(StandardCharsets.UTF_8);
            out.writeByte('Q');
            out.writeInt(4 + query.length);
            out.write(query);
            out.flush();
            List<Map<String, String>> rows = new ArrayList<>();
            readUntilReady(in, rows);
            out.writeByte('X');
            out.writeInt(4);
            out.flush();
            return rows;
        } catch (IOException e) {
            throw new IllegalStateException("PgBouncer admin console: " + command + " failed", e);
        }
    }

    // Reads messages up to ReadyForQuery; an ErrorResponse or an authentication request other than "OK" fails.
    private static void readUntilReady(DataInputStream in, List<Map<String, String>> rows) throws IOException {
        List<String> columns = new ArrayList<>();
        String error = null;
        while (true) {
            char type = (char) in.readUnsignedByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            ByteBuffer message = ByteBuffer.wrap(body);
            switch (type) {
                case 'R' -> {
                    if (message.getInt() != 0) {
                        throw new IOException("the admin console asks for a password: is " + ADMIN + " trusted?");
                    }
                }
                case 'E' -> error = errorMessage(message);
                case 'T' -> {
                    columns.clear();
                    for (int i = message.getShort(); i > 0; i--) {
                        columns.add(cString(message));
                        message.position(message.position() + 18);
                    }
                }
                case 'D' -> {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0, n = message.getShort(); i < n; i++) {
                        int length = message.getInt();
                        String value = null;
                        if (length >= 0) {
                            value = new String(body, message.position(), length, StandardCharsets.UTF_8);
                            message.position(message.position() + length);
                        }
                        row.put(columns.get(i), value);
                    }
                    if (rows != null) {
                        rows.add(row);
                    }
                }
                case 'Z' -> {
                    if (error != null) {
                        throw new IOException(error);
                    }
                    return;
                }
                default -> {
                    // ParameterStatus, BackendKeyData, CommandComplete, NoticeResponse: nothing to do
                }
            }
        }
    }

    private static String errorMessage(ByteBuffer message) {
        String text = "error";
        for (byte field = message.get(); field != 0; field = message.get()) {
            String value = cString(message);
            if (field == 'M') {
                text = value;
            }
        }
        return text;
    }

    private static String cString(ByteBuffer buffer) {
        int start = buffer.position();
        while (buffer.get() != 0) {
            // up to the terminating NUL
        }
        return new String(buffer.array(), start, buffer.position() - start - 1, StandardCharsets.UTF_8);
    }

    /** A schema pinned to its role, as {@link #createTenant} made it. */
    public record Tenant(String schema, String role, String password) {
    }

    private void start() {
        String binary = binary();
        try {
            Files.createDirectories(dir);
            makeReadable(dir.getParent().getParent());
            makeReadable(dir.getParent());
            makeReadable(dir);
            writeAuthFile();
            Path hba = dir.resolve("pgbouncer_hba.conf");
            // The console's user needs no password; the store's roles log in with SCRAM, as an application would.
            write(hba, "host pgbouncer " + ADMIN + " 127.0.0.1/32 trust\n"
                    + "host all all 127.0.0.1/32 scram-sha-256\n");
            Path ini = dir.resolve("pgbouncer.ini");
            write(ini, String.join("\n",
                    "[databases]",
                    database + " = host=" + serverHost + " port=" + serverPort + " dbname=" + database,
                    "",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = hba",
                    "auth_hba_file = " + hba,
                    "auth_file = " + dir.resolve("userlist.txt"),
                    "admin_users = " + ADMIN,
                    "pool_mode = transaction",
                    "max_client_conn = 500",
                    "default_pool_size = 20",
                    ""));
            ProcessBuilder builder = "root".equals(System.getProperty("user.name"))
                    ? new ProcessBuilder(binary, "-u", "postgres", ini.toString()) // it refuses to run as root
                    : new ProcessBuilder(binary, ini.toString());
            File log = dir.resolve("pgbouncer.log").toFile();
            process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!LocalPorts.answers("127.0.0.1", port, 200)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    stop();
                    throw new IllegalStateException("PgBouncer did not start on 127.0.0.1:" + port + "; its log "
                            + log + ":\n" + Files.readString(log.toPath()));
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new IllegalStateException("PgBouncer could not be started from " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String binary() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/usr/local/sbin";
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Paths.get(entry, "pgbouncer"))) {
                return Paths.get(entry, "pgbouncer").toString();
            }
        }
        throw new IllegalStateException("The pgbouncer wiring runs the store through PgBouncer, and no pgbouncer"
                + " binary is on the PATH or in /usr/sbin: install Debian's pgbouncer package"
                + " (apt-get install pgbouncer; .ci/run does it).");
    }

    private void writeAuthFile() {
        StringBuilder users = new StringBuilder();
        users.append('"').append(ADMIN).append("\" \"\"\n");
        passwords.forEach((role, password) -> users.append('"').append(role).append("\" \"").append(password)
                .append("\"\n"));
        write(dir.resolve("userlist.txt"), users.toString());
    }

    private void reload() {
        admin("RELOAD");
    }

    private void execute(String... statements) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PgBouncer tenant: " + String.join("; ", statements) + " failed", e);
        }
    }

    // A terminated backend leaves pg_stat_activity when it has exited; the tenant's are gone before it is dropped.
    private void awaitZero(String countQuery) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            while (true) {
                try (var rs = s.executeQuery(countQuery)) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("still not zero after 10 s: " + countQuery);
                }
                Thread.sleep(20);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(countQuery + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // Written as the JVM's user, read by PgBouncer's (postgres when the tests run as root); the secrets are the
    // random passwords of throw-away roles.
    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            makeReadable(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    private static void makeReadable(Path path) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                    Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    private static String secret() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).toLowerCase(Locale.ROOT);
    }
}
