package dev.verist.storage.pg.dispatch;

import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.internal.Checks;
import dev.verist.storage.pg.RetryPolicy;
import jakarta.transaction.UserTransaction;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

/**
 * How the {@link OutboxDispatcher} runs. An application turns the dispatcher on by producing these settings:
 * <pre>{@code
 * @Produces
 * DispatcherSettings dispatcher() {
 *     return DispatcherSettings.builder().pollInterval(Duration.ofMillis(500)).build();
 * }
 * }</pre>
 * Every value has a default; {@link Builder} names them.
 */
public final class DispatcherSettings {

    /** Where the dispatcher finds its executor unless given one. */
    public static final String DEFAULT_EXECUTOR = "java:comp/DefaultManagedScheduledExecutorService";
    /** Where the dispatcher finds the JTA transactions of deliveries unless given them. */
    public static final String DEFAULT_USER_TRANSACTION = "java:comp/UserTransaction";

    private final String leaseOwner;
    private final int batchSize;
    private final int workers;
    private final Duration pollInterval;
    private final Duration maxTick;
    private final Duration leaseDuration;
    private final RetryPolicy retryPolicy;
    private final Duration unhandledDelay;
    private final Duration shutdownTimeout;
    private final boolean transactionPerBatch;
    private final String executorName;
    private final ScheduledExecutorService executor;
    private final String userTransactionName;
    private final UserTransaction userTransaction;
    private final boolean notifications;
    private final String notificationDataSourceName;
    private final DataSource notificationDataSource;

    private DispatcherSettings(Builder b) {
        leaseOwner = b.leaseOwner != null ? b.leaseOwner : defaultOwner();
        batchSize = b.batchSize;
        workers = b.workers;
        pollInterval = b.pollInterval;
        maxTick = b.maxTick;
        leaseDuration = b.leaseDuration;
        retryPolicy = b.retryPolicy;
        unhandledDelay = b.unhandledDelay;
        shutdownTimeout = b.shutdownTimeout;
        transactionPerBatch = b.transactionPerBatch;
        executorName = b.executorName;
        executor = b.executor;
        userTransactionName = b.userTransactionName;
        userTransaction = b.userTransaction;
        notifications = b.notifications;
        notificationDataSourceName = b.notificationDataSourceName;
        notificationDataSource = b.notificationDataSource;
    }

    /** Settings with every default. */
    public static DispatcherSettings defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The lease owner this dispatcher leases as. */
    public String leaseOwner() {
        return leaseOwner;
    }

    /** Entries leased at a time by one worker. */
    public int batchSize() {
        return batchSize;
    }

    /** Batches carried out at the same time, each on an executor thread. */
    public int workers() {
        return workers;
    }

    /** How often the dispatcher looks for due entries when nothing wakes it. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** How long one worker keeps leasing while batches come back full, before it hands its thread back. */
    public Duration maxTick() {
        return maxTick;
    }

    /** The lease of a batch: long enough to carry out all of it. */
    public Duration leaseDuration() {
        return leaseDuration;
    }

    /** The retries of handlers that do not choose their own. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** How long a command no handler takes waits before it is leased again. */
    public Duration unhandledDelay() {
        return unhandledDelay;
    }

    /** How long stopping waits for running handlers. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * Whether a batch runs in one transaction first: its handlers, then one finalisation of all its entries. When
     * any handler throws or any lease is lost, that transaction rolls back whole and each entry is delivered in a
     * transaction of its own: a handler may then run twice, its first run rolled back. The batch's handlers share
     * one CDI request context, as they share the transaction. Fewer commits for handlers whose work is all in the
     * transaction; off by default.
     */
    public boolean transactionPerBatch() {
        return transactionPerBatch;
    }

    /** The JNDI name of the executor, used when none is given. */
    public String executorName() {
        return executorName;
    }

    /** The executor given, or null to look it up by {@link #executorName()}. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    /** The JNDI name of the {@code UserTransaction}, used when none is given. */
    public String userTransactionName() {
        return userTransactionName;
    }

    /** The {@code UserTransaction} given, or null to look it up by {@link #userTransactionName()}. */
    public UserTransaction userTransaction() {
        return userTransaction;
    }

    /**
     * Whether the dispatcher listens for the notifications stores send when they make entries due
     * ({@link dev.verist.storage.pg.PgSchema#OUTBOX_CHANNEL}), so that commits on other nodes wake it too. It holds
     * one connection for it, which must reach PostgreSQL itself (not a transaction-mode PgBouncer).
     */
    public boolean notifications() {
        return notifications;
    }

    /**
     * The JNDI name of the data source the listening connection comes from, or null: then from
     * {@link #notificationDataSource()}, else from the store's persistence unit.
     */
    public String notificationDataSourceName() {
        return notificationDataSourceName;
    }

    /** The data source given for the listening connection, or null. */
    public DataSource notificationDataSource() {
        return notificationDataSource;
    }

    @Override
    public String toString() {
        return "DispatcherSettings[leaseOwner=" + leaseOwner + ", batchSize=" + batchSize + ", workers=" + workers
                + ", pollInterval=" + pollInterval + ", maxTick=" + maxTick + ", leaseDuration=" + leaseDuration
                + ", retryPolicy=" + retryPolicy + ", unhandledDelay=" + unhandledDelay + ", shutdownTimeout="
                + shutdownTimeout + ", transactionPerBatch=" + transactionPerBatch + ", executor=" + (executor != null ? executor : executorName)
                + ", userTransaction=" + (userTransaction != null ? userTransaction : userTransactionName)
                + ", notifications=" + (!notifications ? "off" : notificationDataSource != null ? notificationDataSource
                : notificationDataSourceName != null ? notificationDataSourceName : "the store's unit") + "]";
    }

    // Unique per dispatcher and readable in the outbox: the host, then a random part.
    private static String defaultOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        return "verist-dispatcher@" + host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Builds {@link DispatcherSettings}; each setter checks its value and names it when it is bad. */
    public static final class Builder {
        private String leaseOwner;
        private int batchSize = 10;
        private int workers = 2;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration maxTick = Duration.ofSeconds(1);
        private Duration leaseDuration = Duration.ofSeconds(60);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Duration unhandledDelay = Duration.ofMinutes(1);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private boolean transactionPerBatch;
        private String executorName = DEFAULT_EXECUTOR;
        private ScheduledExecutorService executor;
        private String userTransactionName = DEFAULT_USER_TRANSACTION;
        private UserTransaction userTransaction;
        private boolean notifications = true;
        private String notificationDataSourceName;
        private DataSource notificationDataSource;

        private Builder() {
        }

        /** The lease owner [{@code verist-dispatcher@<host>/<random>}]. */
        public Builder leaseOwner(String owner) {
            this.leaseOwner = Checks.text(owner, "leaseOwner");
            return this;
        }

        /** Entries per lease [10]. */
        public Builder batchSize(int size) {
            this.batchSize = positive(size, "batchSize");
            return this;
        }

        /** Batches at the same time [2]. */
        public Builder workers(int count) {
            this.workers = positive(count, "workers");
            return this;
        }

        /** The poll when nothing wakes the dispatcher [1 s]. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Checks.positive(interval, "pollInterval");
            return this;
        }

        /** A worker's longest run of full batches [1 s]. */
        public Builder maxTick(Duration tick) {
            this.maxTick = Checks.positive(tick, "maxTick");
            return this;
        }

        /** The lease of a batch [60 s]. */
        public Builder leaseDuration(Duration duration) {
            this.leaseDuration = Checks.positive(duration, "leaseDuration");
            return this;
        }

        /** The retries of handlers without their own [{@link RetryPolicy#defaults()}]. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Checks.present(policy, "retryPolicy");
            return this;
        }

        /** The wait of a command no handler takes [1 min]. */
        public Builder unhandledDelay(Duration delay) {
            this.unhandledDelay = Checks.notNegative(delay, "unhandledDelay");
            return this;
        }

        /** The wait for running handlers when stopping [10 s]. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Checks.notNegative(timeout, "shutdownTimeout");
            return this;
        }

        /** A batch in one transaction first [false]; see {@link DispatcherSettings#transactionPerBatch()}. */
        public Builder transactionPerBatch(boolean perBatch) {
            this.transactionPerBatch = perBatch;
            return this;
        }

        /** The executor's JNDI name [{@value DispatcherSettings#DEFAULT_EXECUTOR}]. */
        public Builder executorName(String name) {
            this.executorName = Checks.text(name, "executorName");
            return this;
        }

        /** An executor to use instead of the JNDI one: in Java SE, or another driver of the ticks. */
        public Builder executor(ScheduledExecutorService executor) {
            this.executor = Checks.present(executor, "executor");
            return this;
        }

        /** The {@code UserTransaction}'s JNDI name [{@value DispatcherSettings#DEFAULT_USER_TRANSACTION}]. */
        public Builder userTransactionName(String name) {
            this.userTransactionName = Checks.text(name, "userTransactionName");
            return this;
        }

        /** A {@code UserTransaction} to use instead of the JNDI one (Java SE with a JTA transaction manager). */
        public Builder userTransaction(UserTransaction transactions) {
            this.userTransaction = Checks.present(transactions, "userTransaction");
            return this;
        }

        /** Listening for the stores' notifications [true]; see {@link DispatcherSettings#notifications()}. */
        public Builder notifications(boolean listen) {
            this.notifications = listen;
            return this;
        }

        /** The JNDI name of the data source to listen on [none: the store's persistence unit]. */
        public Builder notificationDataSourceName(String name) {
            this.notificationDataSourceName = Checks.text(name, "notificationDataSourceName");
            return this;
        }

        /** A data source to listen on instead of the store's persistence unit (Java SE, or past a pooler). */
        public Builder notificationDataSource(DataSource dataSource) {
            this.notificationDataSource = Checks.present(dataSource, "notificationDataSource");
            return this;
        }

        /** The settings. */
        public DispatcherSettings build() {
            return new DispatcherSettings(this);
        }

        private static int positive(int value, String field) {
            if (value < 1) {
                throw new InvalidRequestException(field, "is " + value + "; it must be at least 1");
            }
            return value;
        }
    }
}
