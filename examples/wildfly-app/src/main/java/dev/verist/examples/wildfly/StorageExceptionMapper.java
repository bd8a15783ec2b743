package dev.verist.examples.wildfly;

import dev.verist.storage.ConflictException;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.NotFoundException;
import dev.verist.storage.StorageException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Store errors as HTTP: bad input 400 (naming the field), a missing run 404, a conflict 409 (with its reason,
 * e.g. VERSION_MISMATCH: reload and retry), a failure a retry can fix 503 (the database was unreachable,
 * restarting, timed out), and any other failure 500 (a set-up error: a missing table, a unit without the mapping).
 * The body: {"code": "conflict", "reason": "VERSION_MISMATCH", "retryable": false, "message": "..."}.
 */
@Provider
public class StorageExceptionMapper implements ExceptionMapper<StorageException> {

    @Override
    public Response toResponse(StorageException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code().wireName());
        Response.Status status;
        if (e instanceof InvalidRequestException invalid) {
            status = Response.Status.BAD_REQUEST;
            body.put("field", invalid.field());
        } else if (e instanceof NotFoundException) {
            status = Response.Status.NOT_FOUND;
        } else if (e instanceof ConflictException conflict) {
            status = Response.Status.CONFLICT;
            body.put("reason", conflict.reason().name());
        } else if (e.retryable()) {
            status = Response.Status.SERVICE_UNAVAILABLE;
        } else {
            status = Response.Status.INTERNAL_SERVER_ERROR;
        }
        body.put("retryable", e.retryable());
        body.put("message", e.getMessage());
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
