package dev.verist.examples.wildfly;

import dev.verist.storage.NotFoundException;
import dev.verist.storage.RunState;
import dev.verist.storage.pg.PgRunStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** One workflow run: commit a step, read the run, correct it, resolve its block. */
@Path("/runs/{workflowId}/{runId}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RunResource {

    @Inject
    PgRunStore store;

    @PathParam("workflowId")
    String workflowId;

    @PathParam("runId")
    String runId;

    /**
     * Commits a step: {"stepId", "expectedVersion" (0 creates the run), "output", "events": [{"type","payload"}],
     * "commands": [...]}. State, events, block and outbox rows commit together or not at all.
     */
    @POST
    @Path("commits")
    public Map<String, Object> commit(Map<String, Object> body) {
        return Json.state(store.commit(Json.commit(workflowId, runId, body)));
    }

    /** The run: version, computed, overlay, effective, its audit events and its active block (or null). */
    @GET
    @Transactional // one transaction for the three reads
    public Map<String, Object> read() {
        RunState state = store.load(workflowId, runId)
                .orElseThrow(() -> new NotFoundException("Run not found: " + workflowId + "/" + runId));
        return Json.run(state, store.events(workflowId, runId), store.getBlock(workflowId, runId).orElse(null));
    }

    /** A human correction: the body's top-level keys go on top of the computed state (last write wins). */
    @POST
    @Path("overlay")
    public Map<String, Object> overlay(Map<String, Object> body) {
        return Json.state(store.setOverlay(workflowId, runId, Json.object(body, "body")));
    }

    /**
     * Resolves the active block: {"approved": true|false} for a review, {"resumeData": ...} for a suspend.
     * With no active block: {"resolved": false} (a retried resolve is harmless).
     */
    @POST
    @Path("block/resolve")
    public Map<String, Object> resolve(Map<String, Object> body) {
        return Json.resolved(store.resolveBlock(workflowId, runId, Json.resolution(body)).orElse(null));
    }
}
