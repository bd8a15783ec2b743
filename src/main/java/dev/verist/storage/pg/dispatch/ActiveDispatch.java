package dev.verist.storage.pg.dispatch;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.RetryPolicy;
import dev.verist.storage.pg.health.DeliveryOutcome;
import dev.verist.storage.pg.health.DispatchMetrics;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One started dispatcher: a poll on the executor launches ticks, at most {@code workers} at a time. A tick leases
 * a batch in a statement of its own (no row stays locked while handlers run), then carries out each entry in a
 * JTA transaction of its own that runs the handler and finalises the entry with the fenced
 * {@code markDispatched}; a handler that throws has its attempt recorded in a transaction after that one. With
 * {@link DispatcherSettings#transactionPerBatch()} a batch first runs in one transaction, finalised with one
 * statement, and entry by entry only when that fails.
 */
final class ActiveDispatch {

    private static final System.Logger LOG = System.getLogger(OutboxDispatcher.class.getName());
    private static final int MAX_ERROR_LENGTH = 2000;

    private final DispatcherSettings settings;
    private final PgRunStore store;
    private final Routes routes;
    private final ScheduledExecutorService executor;
    private final UserTransaction transactions;
    private final Instance<RequestContextController> requestContexts;
    private final DispatchMetrics metrics;
    private final Semaphore workers;
    private final ScheduledFuture<?> poll;
    private final NotificationListener listener;
    private volatile boolean running = true;
    // Set by every launch, cleared by a tick before it leases: a wake-up that finds every worker busy is not lost,
    // the busy tick sees it and leases once more.
    private final AtomicBoolean wanted = new AtomicBoolean();

    private final LongAdder dispatched = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder leasesLost = new LongAdder();
    private final LongAdder tickFailures = new LongAdder();
    private final Map<String, LongAdder> unhandled = new ConcurrentHashMap<>();
    private final Set<String> reportedUnhandled = ConcurrentHashMap.newKeySet();

    ActiveDispatch(DispatcherSettings settings, PgRunStore store, Routes routes, ScheduledExecutorService executor,
                   UserTransaction transactions, Instance<RequestContextController> requestContexts,
                   NotificationListener.ConnectionSource notifications, DispatchMetrics metrics) {
        this.settings = settings;
        this.store = store;
        this.routes = routes;
        this.executor = executor;
        this.transactions = transactions;
        this.requestContexts = requestContexts;
        this.metrics = metrics;
        this.workers = new Semaphore(settings.workers());
        long every = settings.pollInterval().toNanos();
        this.poll = executor.scheduleWithFixedDelay(this::launch, 0, every, TimeUnit.NANOSECONDS);
        this.listener = notifications == null ? null
                // launch, not wake: a notification arrives once its transaction is visible, so its first lease
                // finds the entries and an empty one needs no retries.
                : new NotificationListener(notifications, executor, this::launch, reconnectDelay(settings));
        if (listener != null) {
            listener.start();
        }
    }

    // Soon enough that a long poll does not leave the dispatcher deaf for long, rarely enough not to matter.
    private static Duration reconnectDelay(DispatcherSettings settings) {
        Duration most = Duration.ofSeconds(5);
        return settings.pollInterval().compareTo(most) < 0 ? settings.pollInterval() : most;
    }

    /** Starts a tick now unless every worker is busy: the poll, and a tick whose batch was full. */
    void launch() {
        launch(false);
    }

    /**
     * Starts a tick for entries just committed. Its first lease may still miss them: the transaction's
     * synchronizations can run before every connection of it has committed. So an empty first lease is tried
     * again, after 2, 8 and 32 ms.
     */
    void wake() {
        launch(true);
    }

    private void launch(boolean woken) {
        wanted.set(true);
        if (!running || !workers.tryAcquire()) {
            return;
        }
        try {
            executor.execute(() -> tick(woken));
        } catch (RuntimeException | Error e) {
            workers.release();
            tickFailures.increment();
            LOG.log(WARNING, "The dispatcher could not start a tick", e);
        }
    }

    /**
     * Stops leasing, waits up to the shutdown timeout for the running ticks, which release the entries they have
     * not started.
     *
     * @return whether every tick ended within the timeout
     */
    boolean stop() {
        running = false;
        poll.cancel(false);
        if (listener != null) {
            listener.stop();
        }
        try {
            Duration timeout = settings.shutdownTimeout();
            if (workers.tryAcquire(settings.workers(), timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return true;
            }
            LOG.log(WARNING, "The dispatcher stopped with handlers still running after {0}; their entries are"
                    + " finalised when they end, or leased again once their lease expires", timeout);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean running() {
        return running;
    }

    boolean listening() {
        return listener != null && listener.listening();
    }

    DispatchStats stats() {
        Map<String, Long> byRoute = new TreeMap<>();
        unhandled.forEach((route, count) -> byRoute.put(route, count.sum()));
        return new DispatchStats(dispatched.sum(), failedAttempts.sum(), deadLetters.sum(), leasesLost.sum(),
                Map.copyOf(byRoute), tickFailures.sum());
    }

    // Leases batches while they come back full or a wake-up came meanwhile, for at most maxTick, then hands the
    // thread back.
    private void tick(boolean woken) {
        RequestContextController requestContext = null;
        try {
            requestContext = requestContexts.get();
            long deadline = System.nanoTime() + settings.maxTick().toNanos();
            while (running) {
                wanted.set(false);
                List<OutboxEntry> batch = lease(woken);
                woken = false;
                boolean full = batch.size() == settings.batchSize();
                if (full) {
                    launch(); // more may be due: another worker may start on them
                }
                carryOut(batch, requestContext);
                if (!(full || wanted.get()) || System.nanoTime() - deadline > 0) {
                    return;
                }
            }
        } catch (Throwable t) {
            tickFailures.increment();
            LOG.log(WARNING, "A dispatcher tick failed; the next one tries again", t);
        } finally {
            if (requestContext != null) {
                requestContexts.destroy(requestContext);
            }
            workers.release();
        }
    }

    private List<OutboxEntry> lease(boolean woken) throws InterruptedException {
        List<OutboxEntry> batch = leaseBatch();
        for (long wait = 2; woken && batch.isEmpty() && wait <= 32 && running; wait *= 4) {
            Thread.sleep(wait);
            batch = leaseBatch();
        }
        return batch;
    }

    private List<OutboxEntry> leaseBatch() {
        return store.leaseOutbox(settings.leaseOwner(), settings.batchSize(), settings.leaseDuration());
    }

    private void carryOut(List<OutboxEntry> batch, RequestContextController requestContext) {
        List<Delivery> deliveries = new ArrayList<>(batch.size());
        for (OutboxEntry entry : batch) {
            Routes.Route route = routes.find(entry.command());
            if (route == null) {
                leaveUnhandled(entry);
            } else {
                deliveries.add(new Delivery(route, entry));
            }
        }
        if (settings.transactionPerBatch() && deliveries.size() > 1 && running
                && allInOneTransaction(deliveries, requestContext)) {
            return;
        }
        for (int i = 0; i < deliveries.size(); i++) {
            if (!running) {
                deliveries.subList(i, deliveries.size()).forEach(d -> giveBack(d.entry, Duration.ZERO));
                return;
            }
            deliver(deliveries.get(i), requestContext);
        }
    }

    // The whole batch in one transaction and one request context, finalised with one statement; on any failure it
    // is rolled back whole and each entry is then delivered alone.
    private boolean allInOneTransaction(List<Delivery> deliveries, RequestContextController requestContext) {
        List<OutboxEntry> entries = new ArrayList<>(deliveries.size());
        Throwable failure = inTransaction(() -> {
            inRequestContext(requestContext, () -> {
                for (Delivery delivery : deliveries) {
                    delivery.handle();
                    entries.add(delivery.entry);
                }
            });
            store.markDispatched(entries);
        });
        if (failure != null) {
            return false;
        }
        dispatched.add(deliveries.size());
        for (Delivery delivery : deliveries) {
            metrics.delivered(delivery.entry.command().type(), DeliveryOutcome.DISPATCHED, delivery.handlerNanos);
        }
        return true;
    }

    private void deliver(Delivery delivery, RequestContextController requestContext) {
        OutboxEntry entry = delivery.entry;
        Throwable failure = inTransaction(() -> {
            inRequestContext(requestContext, delivery::handle);
            delivery.finalising = true;
            store.markDispatched(entry);
        });
        DeliveryOutcome outcome;
        if (failure == null) {
            dispatched.increment();
            outcome = DeliveryOutcome.DISPATCHED;
        } else if (delivery.finalising && isLeaseMismatch(failure)) {
            leasesLost.increment();
            outcome = DeliveryOutcome.LEASE_LOST;
            LOG.log(INFO, "Outbox entry {0}: its lease was taken over while its handler ran; the handler''s work"
                    + " was rolled back", entry.id());
        } else {
            outcome = recordFailedAttempt(entry, failure, retryPolicy(delivery.route, requestContext));
        }
        metrics.delivered(entry.command().type(), outcome, delivery.handlerNanos);
    }

    /** Work inside a delivery's JTA transaction or request context. */
    @FunctionalInterface
    private interface DeliveryWork {
        void run() throws Exception;
    }

    private static void inRequestContext(RequestContextController requestContext, DeliveryWork work)
            throws Exception {
        requestContext.activate();
        try {
            work.run();
        } finally {
            requestContext.deactivate();
        }
    }

    // Null when the work ran and the transaction committed; else why not, everything rolled back.
    private Throwable inTransaction(DeliveryWork work) {
        try {
            transactions.begin();
        } catch (Exception e) {
            // Not the handler's doing: no attempt is counted, the lease expires and the entry is taken again.
            throw new IllegalStateException("The dispatcher could not begin a JTA transaction", e);
        }
        try {
            work.run();
        } catch (Throwable t) {
            rollback(t);
            return t;
        }
        try {
            transactions.commit(); // a RollbackException: a handler marked it rollback-only, or it timed out
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private void rollback(Throwable failure) {
        try {
            if (transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transactions.rollback();
            }
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    // One entry and its handler, run in the request context the caller activated.
    private static final class Delivery {
        private final Routes.Route route;
        private final OutboxEntry entry;
        boolean finalising;
        long handlerNanos;

        Delivery(Routes.Route route, OutboxEntry entry) {
            this.route = route;
            this.entry = entry;
        }

        void handle() throws Exception {
            CommandHandler shared = route.shared();
            Instance.Handle<CommandHandler> handle = shared == null ? route.handler().getHandle() : null;
            long started = System.nanoTime();
            try {
                (shared != null ? shared : handle.get()).handle(entry);
            } finally {
                handlerNanos = System.nanoTime() - started;
                if (handle != null) {
                    handle.destroy();
                }
            }
        }
    }

    // The route's retry policy, asked only after a failed attempt (a dependent handler: of a new instance); null,
    // and so the dispatcher's, when the handler cannot say.
    private static RetryPolicy retryPolicy(Routes.Route route, RequestContextController requestContext) {
        try {
            requestContext.activate();
            try {
                if (route.shared() != null) {
                    return route.shared().retryPolicy();
                }
                Instance.Handle<CommandHandler> handle = route.handler().getHandle();
                try {
                    return handle.get().retryPolicy();
                } finally {
                    handle.destroy();
                }
            } finally {
                requestContext.deactivate();
            }
        } catch (RuntimeException e) {
            LOG.log(ERROR, "The retry policy of " + route.bean() + " could not be read; the dispatcher's applies", e);
            return null;
        }
    }

    private DeliveryOutcome recordFailedAttempt(OutboxEntry entry, Throwable failure, RetryPolicy handlerPolicy) {
        failedAttempts.increment();
        String error = describe(failure);
        OutboxStatus status;
        try {
            status = store.markFailed(entry, error, handlerPolicy != null ? handlerPolicy : settings.retryPolicy());
        } catch (InvalidRequestException badPolicy) {
            LOG.log(ERROR, "Outbox entry " + entry.id() + ": its handler's retry policy is invalid ("
                    + badPolicy.getMessage() + "); the dispatcher's applies", badPolicy);
            status = store.markFailed(entry, error, settings.retryPolicy());
        } catch (ConflictException e) {
            if (!isLeaseMismatch(e)) {
                throw e;
            }
            leasesLost.increment();
            return DeliveryOutcome.LEASE_LOST;
        }
        if (status == OutboxStatus.FAILED) {
            deadLetters.increment();
            LOG.log(WARNING, "Outbox entry {0} ({1}) is a dead letter after {2} attempts: {3}", entry.id(),
                    Routes.key(entry.command()), entry.attempts() + 1, error);
            return DeliveryOutcome.DEAD_LETTER;
        }
        LOG.log(INFO, "Outbox entry {0} ({1}): attempt {2} failed, tried again after its backoff: {3}", entry.id(),
                Routes.key(entry.command()), entry.attempts() + 1, error);
        return DeliveryOutcome.FAILED_ATTEMPT;
    }

    // Pending again after a while, never dropped; said once per route.
    private void leaveUnhandled(OutboxEntry entry) {
        String route = Routes.key(entry.command());
        unhandled.computeIfAbsent(route, r -> new LongAdder()).increment();
        if (reportedUnhandled.add(route)) {
            LOG.log(WARNING, "No CommandHandler for {0}: its outbox entries stay pending and are looked at again"
                    + " every {1} (said once per route)", route, settings.unhandledDelay());
        }
        giveBack(entry, settings.unhandledDelay());
        metrics.delivered(entry.command().type(), DeliveryOutcome.UNHANDLED, 0);
    }

    private void giveBack(OutboxEntry entry, Duration delay) {
        try {
            store.release(entry, delay);
        } catch (RuntimeException e) {
            // Its lease expires instead: the entry is taken again then.
            LOG.log(INFO, "Outbox entry " + entry.id() + " could not be released: " + e.getMessage());
        }
    }

    private static boolean isLeaseMismatch(Throwable failure) {
        return failure instanceof ConflictException conflict && conflict.reason() == ConflictReason.LEASE_MISMATCH;
    }

    // The failure as the entry's last_error: the exception and its causes, bounded, and storable as PostgreSQL text
    // (markFailed refuses U+0000 and unpaired surrogates, which would leave the attempt unrecorded).
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.toString());
        Throwable cause = failure.getCause();
        for (int depth = 0; cause != null && cause != failure && depth < 5; depth++, cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        int end = Math.min(text.length(), MAX_ERROR_LENGTH);
        StringBuilder error = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                error.append(c).append(text.charAt(++i));
            } else {
                error.append(c == 0 || Character.isSurrogate(c) ? '?' : c);
            }
        }
        return error.toString();
    }
}
