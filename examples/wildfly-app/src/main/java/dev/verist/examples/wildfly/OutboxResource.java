package dev.verist.examples.wildfly;

import dev.verist.storage.pg.PgRunStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** A dispatcher's view of the outbox: lease a batch, then finalise each entry. */
@Path("/outbox")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class OutboxResource {

    @Inject
    PgRunStore store;

    /** Leases up to {@code limit} pending (or expired) entries for {@code owner}, oldest first, for 30 s. */
    @POST
    @Path("lease")
    public List<Map<String, Object>> lease(@QueryParam("owner") String owner,
                                           @QueryParam("limit") @DefaultValue("10") int limit) {
        return store.leaseOutbox(owner, limit).stream().map(Json::outboxEntry).toList();
    }

    /** Marks a leased entry dispatched; 409 LEASE_MISMATCH unless {@code owner} holds its lease. */
    @POST
    @Path("{id}/dispatched")
    public Map<String, Object> dispatched(@PathParam("id") String id, @QueryParam("owner") String owner) {
        store.markDispatched(id, owner);
        return Json.outcome(id, "dispatched");
    }

    /** Marks a leased entry failed with {"error": "..."}; 409 LEASE_MISMATCH unless {@code owner} holds its lease. */
    @POST
    @Path("{id}/failed")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> failed(@PathParam("id") String id, @QueryParam("owner") String owner,
                                      Map<String, Object> body) {
        Object error = body == null ? null : body.get("error");
        store.markFailed(id, owner, error == null ? null : error.toString());
        return Json.outcome(id, "failed");
    }
}
