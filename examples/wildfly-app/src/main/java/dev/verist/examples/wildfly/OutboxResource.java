package dev.verist.examples.wildfly;

import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.pg.OutboxStats;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.dispatch.DispatchStats;
import dev.verist.storage.pg.dispatch.OutboxDispatcher;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An operator's view of the outbox and of the dispatcher that carries it out. */
@Path("/")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class OutboxResource {

    @Inject
    PgRunStore store;

    @Inject
    OutboxDispatcher dispatcher;

    /** A page of entries with {@code status}, oldest first, after the entry {@code afterId}. */
    @GET
    @Path("outbox")
    public List<Map<String, Object>> list(@QueryParam("status") @DefaultValue("pending") String status,
                                          @QueryParam("afterId") String afterId,
                                          @QueryParam("limit") @DefaultValue("50") int limit) {
        return store.outbox(status(status), afterId, limit).stream().map(Json::outboxEntry).toList();
    }

    /** Entries per status, the oldest due entry's age, expired leases and waiting retries. */
    @GET
    @Path("outbox/stats")
    public Map<String, Object> stats() {
        OutboxStats stats = store.outboxStats();
        Map<String, Object> counts = new LinkedHashMap<>();
        stats.counts().forEach((status, n) -> counts.put(status.wireName(), n));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("counts", counts);
        json.put("oldestPendingAgeMs", stats.oldestPendingAge().map(d -> d.toMillis()).orElse(null));
        json.put("expiredLeases", stats.expiredLeases());
        json.put("waitingRetries", stats.waitingRetries());
        return json;
    }

    /** Makes a dead letter pending again, due now, its attempts reset. */
    @POST
    @Path("outbox/{id}/requeue")
    public Map<String, Object> requeue(@PathParam("id") String id) {
        return Map.of("id", id, "requeued", store.requeue(id));
    }

    /** Whether the dispatcher runs and listens, and what it has done since it started. */
    @GET
    @Path("dispatcher")
    public Map<String, Object> dispatcher() {
        DispatchStats stats = dispatcher.stats();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("running", dispatcher.running());
        json.put("listening", dispatcher.listening());
        json.put("dispatched", stats.dispatched());
        json.put("failedAttempts", stats.failedAttempts());
        json.put("deadLetters", stats.deadLetters());
        json.put("leasesLost", stats.leasesLost());
        json.put("unhandled", stats.unhandled());
        json.put("tickFailures", stats.tickFailures());
        return json;
    }

    private static OutboxStatus status(String wire) {
        try {
            return OutboxStatus.valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("status", "is " + wire + "; it must be one of pending, deferred, leased,"
                    + " dispatched, rejected, failed");
        }
    }
}
