package dev.verist.storage.pg.failover;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The pool the README's "Retries and failover" recommends for a store over a primary and its standbys, as
 * {@link FailoverTest} uses it. Each value bounds one way a call can wait on a node that is gone:
 *
 * <ul>
 *   <li>{@code targetServerType=primary} with every node in the URL: the driver tries the hosts in order and
 *       keeps the one that accepts writes (it asks {@code transaction_read_only}), so after a promotion new
 *       connections find the new primary without a configuration change;
 *   <li>{@code connectTimeout=5} (s): a host that drops packets instead of refusing costs at most 5 s before
 *       the driver tries the next;
 *   <li>{@code loginTimeout=10} (s): one connection attempt over all the hosts, startup included, ends;
 *   <li>{@code socketTimeout=30} (s): a read from a node that went silent (a partition, no reset) ends instead
 *       of hanging; longer than any statement the store runs, so only a dead node reaches it;
 *   <li>{@code tcpKeepAlive=true}: the kernel also probes connections that sit idle;
 *   <li>Hikari {@code connectionTimeout} 5 s: a store call waits at most that for a connection, then fails with
 *       a retryable {@code CONNECTION_ERROR} rather than piling up behind the switch;
 *   <li>{@code validationTimeout} 2 s: the liveness check Hikari makes of a connection idle for a while before
 *       handing it out; a connection to the dead primary is dropped quickly, not handed to the store;
 *   <li>{@code keepaliveTime} 1 min: idle connections are checked in the background too, so one that died with
 *       the old primary is usually replaced before a call takes it;
 *   <li>{@code maxLifetime} 10 min: every connection is renewed, and so reconnects through the host list, before
 *       a server, proxy or firewall closes it; less than any such limit;
 *   <li>{@code initializationFailTimeout} -1: the pool starts even while no node accepts writes.
 * </ul>
 *
 * Hikari drops a connection whose error has a class-08 or {@code 57P01}-{@code 57P03} SQLSTATE, which is what
 * the connections to a crashed or stopped primary report.
 */
final class RecommendedPool {

    /** The pgjdbc settings, as URL parameters. */
    static final String DRIVER_SETTINGS = "connectTimeout=5&loginTimeout=10&socketTimeout=30&tcpKeepAlive=true";

    private RecommendedPool() {
    }

    /** A pool of {@code size} connections over {@code url} (which may already carry parameters). */
    static HikariDataSource over(String url, String user, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + DRIVER_SETTINGS);
        config.setUsername(user);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setKeepaliveTime(60_000);
        config.setMaxLifetime(600_000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
