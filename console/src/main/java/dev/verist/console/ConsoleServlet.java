package dev.verist.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verist.storage.ConflictException;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.NotFoundException;
import dev.verist.storage.StorageException;
import dev.verist.storage.StoredEvent;
import dev.verist.storage.pg.BlockType;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.Resolution;
import dev.verist.storage.pg.WaitingRun;
import dev.verist.storage.pg.cdi.ContainerPgRunStore;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The console: its page and assets, and a JSON API over the store bean. Every response forbids framing, sniffing
 * and any script or style not from the console; every call needs the console's role; every change needs the
 * session's CSRF token ({@link Csrf}). The page builds its DOM from text nodes only, so stored payloads and reasons,
 * which are untrusted, are shown as text.
 */
final class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int PAGE = 50;
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html",
            "/assets/console.js", "console.js",
            "/assets/console.css", "console.css");

    private final String role;
    private transient volatile PgRunStore store;

    ConsoleServlet(String role) {
        this.role = role;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self';"
                + " img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-store");
        if (request.getUserPrincipal() == null || !request.isUserInRole(role)) {
            fail(response, HttpServletResponse.SC_FORBIDDEN, "forbidden", null, "the console needs the role " + role);
            return;
        }
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            if ("GET".equals(request.getMethod())) {
                read(path, request, response);
            } else if ("POST".equals(request.getMethod())) {
                String refusal = Csrf.refusal(request);
                if (refusal != null) {
                    fail(response, HttpServletResponse.SC_FORBIDDEN, "csrf", null, refusal);
                    return;
                }
                change(path, request, response);
            } else {
                fail(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method", null, "GET or POST only");
            }
        } catch (InvalidRequestException e) {
            fail(response, HttpServletResponse.SC_BAD_REQUEST, e.code().wireName(), e.field(), e.getMessage());
        } catch (NotFoundException e) {
            fail(response, HttpServletResponse.SC_NOT_FOUND, e.code().wireName(), null, e.getMessage());
        } catch (ConflictException e) {
            fail(response, HttpServletResponse.SC_CONFLICT, e.code().wireName(), null, e.getMessage());
        } catch (StorageException e) {
            log("Verist console: " + request.getMethod() + " " + path + " failed", e);
            fail(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, e.code().wireName(), null, e.getMessage());
        } catch (JsonProcessingException e) {
            fail(response, HttpServletResponse.SC_BAD_REQUEST, "serialization_error", "body",
                    "the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private void read(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (path.isEmpty()) {
            response.sendRedirect(request.getRequestURI() + "/");
            return;
        }
        String asset = ASSETS.get(path);
        if (asset != null) {
            asset(asset, response);
            return;
        }
        switch (path) {
            case "/api/session" -> {
                ObjectNode session = ConsoleViews.JSON.createObjectNode();
                session.put("user", request.getUserPrincipal().getName());
                session.put("csrfToken", Csrf.token(request));
                send(response, session);
            }
            case "/api/inbox" -> {
                String type = blank(request.getParameter("type"));
                BlockType blockType = type == null ? null : blockType(type);
                ObjectNode inbox = ConsoleViews.JSON.createObjectNode();
                var blocks = inbox.putArray("blocks");
                List<WaitingRun> page = store().waitingRuns(blank(request.getParameter("workflowId")), blockType,
                        blank(request.getParameter("beforeId")), PAGE);
                page.forEach(waiting -> blocks.add(ConsoleViews.waitingRun(waiting)));
                inbox.put("nextBeforeId", nextId(page, waiting -> waiting.block().id())); // newest first: next is below
                send(response, inbox);
            }
            case "/api/run" -> send(response, run(request.getParameter("workflowId"), request.getParameter("runId")));
            case "/api/events" -> send(response, events(request.getParameter("workflowId"),
                    request.getParameter("runId"), blank(request.getParameter("afterId"))));
            case "/api/run-outbox" -> send(response, runOutbox(request.getParameter("workflowId"),
                    request.getParameter("runId"), blank(request.getParameter("afterId"))));
            case "/api/outbox" -> {
                ObjectNode outbox = ConsoleViews.JSON.createObjectNode();
                outbox.set("stats", ConsoleViews.stats(store().outboxStats()));
                List<OutboxEntry> deadLetters = store().outbox(OutboxStatus.FAILED,
                        blank(request.getParameter("afterId")), PAGE);
                outbox.set("deadLetters", ConsoleViews.entries(deadLetters));
                outbox.put("nextAfterId", nextId(deadLetters, OutboxEntry::id));
                send(response, outbox);
            }
            default -> fail(response, HttpServletResponse.SC_NOT_FOUND, "not_found", null, "no such page: " + path);
        }
    }

    private ObjectNode run(String workflowId, String runId) {
        PgRunStore runs = store();
        ObjectNode run = ConsoleViews.JSON.createObjectNode();
        run.set("state", ConsoleViews.run(runs.load(workflowId, runId).orElseThrow(
                () -> new NotFoundException("Run " + workflowId + "/" + runId + " does not exist"))));
        run.set("events", events(workflowId, runId, null));
        run.set("blocks", ConsoleViews.blocks(runs.blocks(workflowId, runId)));
        run.set("outbox", runOutbox(workflowId, runId, null));
        return run;
    }

    // A page of a run's audit trail in order: a long trail is never read whole.
    private ObjectNode events(String workflowId, String runId, String afterId) {
        List<StoredEvent> page = store().events(workflowId, runId, afterId, PAGE);
        return page(ConsoleViews.events(page), nextId(page, StoredEvent::id));
    }

    // A page of a run's outbox entries in id order.
    private ObjectNode runOutbox(String workflowId, String runId, String afterId) {
        List<OutboxEntry> page = store().outbox(workflowId, runId, afterId, PAGE);
        return page(ConsoleViews.entries(page), nextId(page, OutboxEntry::id));
    }

    private static ObjectNode page(ArrayNode items, String nextAfterId) {
        ObjectNode page = ConsoleViews.JSON.createObjectNode();
        page.set("items", items);
        page.put("nextAfterId", nextAfterId);
        return page;
    }

    // A full page may have more behind it: the next one starts after its last item; a shorter one is the last.
    private static <T> String nextId(List<T> page, Function<T, String> id) {
        return page.size() == PAGE ? id.apply(page.get(PAGE - 1)) : null;
    }

    private void change(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body = ConsoleViews.JSON.readTree(request.getInputStream());
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object");
        }
        String user = request.getUserPrincipal().getName();
        ObjectNode answer = ConsoleViews.JSON.createObjectNode();
        switch (path) {
            case "/api/resolve" -> {
                Resolution resolution = body.has("approved")
                        ? (requireBoolean(body, "approved") ? Resolution.approve() : Resolution.reject())
                        : Resolution.resume(ConsoleViews.JSON.treeToValue(required(body, "resumeData"), Object.class));
                answer.put("resolved", store().resolveBlock(text(body, "workflowId"), text(body, "runId"), resolution,
                        user).isPresent());
            }
            case "/api/overlay" -> {
                Map<String, Object> overlay = new HashMap<>();
                overlay.put(text(body, "key"), ConsoleViews.JSON.treeToValue(required(body, "value"), Object.class));
                answer.set("state", ConsoleViews.run(store().setOverlay(text(body, "workflowId"),
                        text(body, "runId"), overlay)));
            }
            case "/api/sign-out" -> {
                signOut(request);
                answer.put("signedOut", true);
            }
            case "/api/requeue" -> answer.put("requeued", store().requeue(text(body, "outboxId")));
            case "/api/requeue-failed" -> answer.put("requeued",
                    store().requeueFailed(body.hasNonNull("workflowId") ? text(body, "workflowId") : null));
            default -> {
                fail(response, HttpServletResponse.SC_NOT_FOUND, "not_found", null, "no such call: " + path);
                return;
            }
        }
        send(response, answer);
    }

    // The caller's identity and the session that holds it (and its CSRF token) both end.
    private static void signOut(HttpServletRequest request) {
        try {
            request.logout();
        } catch (ServletException e) {
            throw new IllegalStateException("The server refused to sign the user out: " + e.getMessage(), e);
        }
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    private PgRunStore store() {
        PgRunStore current = store;
        if (current == null) {
            current = CDI.current().select(ContainerPgRunStore.class).get();
            store = current;
        }
        return current;
    }

    private static BlockType blockType(String type) {
        for (BlockType t : BlockType.values()) {
            if (t.wireName().equals(type)) {
                return t;
            }
        }
        throw new InvalidRequestException("type", "is '" + type + "'; review or suspend");
    }

    private static JsonNode required(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            throw new InvalidRequestException(field, "is required");
        }
        return value;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = required(body, field);
        if (!value.isTextual()) {
            throw new InvalidRequestException(field, "must be a string");
        }
        return value.asText();
    }

    private static boolean requireBoolean(JsonNode body, String field) {
        JsonNode value = required(body, field);
        if (!value.isBoolean()) {
            throw new InvalidRequestException(field, "must be true or false");
        }
        return value.asBoolean();
    }

    private static String blank(String parameter) {
        return parameter == null || parameter.isBlank() ? null : parameter;
    }

    private static void asset(String name, HttpServletResponse response) throws IOException {
        try (InputStream in = ConsoleServlet.class.getResourceAsStream("assets/" + name)) {
            if (in == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            response.setContentType(name.endsWith(".js") ? "text/javascript;charset=UTF-8"
                    : name.endsWith(".css") ? "text/css;charset=UTF-8" : "text/html;charset=UTF-8");
            in.transferTo(response.getOutputStream());
        }
    }

    private static void send(HttpServletResponse response, JsonNode body) throws IOException {
        response.setContentType("application/json;charset=UTF-8");
        response.getOutputStream().write(ConsoleViews.JSON.writeValueAsBytes(body));
    }

    private static void fail(HttpServletResponse response, int status, String error, String field, String message)
            throws IOException {
        ObjectNode body = ConsoleViews.JSON.createObjectNode();
        body.put("error", error);
        body.put("field", field);
        body.put("message", message);
        response.setStatus(status);
        send(response, body);
    }
}
