package dev.verist.examples.wildfly;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.RunState;
import dev.verist.storage.StoredEvent;
import dev.verist.storage.pg.Block;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.ResolvedBlock;
import dev.verist.storage.pg.Resolution;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies (JSON objects as maps) to store calls, and store results to JSON trees. Commands use the
 * TypeScript kernel's shape: {"type":"invoke","step":..,"input":..}, {"type":"emit","topic":..,"payload":..},
 * {"type":"fanout","step":..,"inputs":[..]}, {"type":"review","reason":..,"payload":..},
 * {"type":"suspend","reason":..,"checkpoint":..,"resumeStep":..}. Malformed bodies raise the library's
 * {@link InvalidRequestException} (400, naming the field), like bad values caught by the store itself.
 */
final class Json {

    private Json() {
    }

    // --- requests ------------------------------------------------------------------------------------------------

    static Commit commit(String workflowId, String runId, Map<String, Object> body) {
        Map<String, Object> json = body == null ? Map.of() : body;
        Commit.Builder builder = Commit.builder(workflowId, runId, text(json, "stepId", true))
                .expectedVersion(integer(json.get("expectedVersion"), "expectedVersion", 0));
        if (json.get("output") != null) {
            builder.output(object(json.get("output"), "output"));
        }
        List<Object> events = list(json.get("events"), "events");
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> event = object(events.get(i), "events[" + i + "]");
            String type = text(event, "type", true);
            Object payload = event.get("payload");
            builder.event(payload == null ? AuditEvent.of(type)
                    : AuditEvent.of(type, object(payload, "events[" + i + "].payload")));
        }
        List<Object> commands = list(json.get("commands"), "commands");
        for (int i = 0; i < commands.size(); i++) {
            builder.command(command(object(commands.get(i), "commands[" + i + "]"), "commands[" + i + "]"));
        }
        return builder.build();
    }

    static Command command(Map<String, Object> json, String path) {
        String type = text(json, "type", true);
        return switch (type) {
            case "invoke" -> Command.invoke(text(json, "step", true), json.get("input"));
            case "fanout" -> Command.fanout(text(json, "step", true), list(json.get("inputs"), path + ".inputs"));
            case "review" -> Command.review(text(json, "reason", true), json.get("payload"));
            case "emit" -> Command.emit(text(json, "topic", true), json.get("payload"));
            case "suspend" -> Command.suspend(text(json, "reason", true), json.get("checkpoint"),
                    text(json, "resumeStep", false));
            default -> throw new InvalidRequestException(path + ".type",
                    "must be invoke, fanout, review, emit or suspend, not " + type);
        };
    }

    /** {"approved": true|false} for a review block, {"resumeData": ...} for a suspend block. */
    static Resolution resolution(Map<String, Object> body) {
        Map<String, Object> json = body == null ? Map.of() : body;
        boolean approval = json.containsKey("approved");
        boolean resume = json.containsKey("resumeData");
        if (approval == resume) {
            throw new InvalidRequestException("body", "give either {\"approved\": true|false} or {\"resumeData\": ...}");
        }
        if (approval) {
            if (!(json.get("approved") instanceof Boolean approved)) {
                throw new InvalidRequestException("approved", "must be true or false");
            }
            return approved ? Resolution.approve() : Resolution.reject();
        }
        return Resolution.resume(json.get("resumeData"));
    }

    // --- responses -----------------------------------------------------------------------------------------------

    static Map<String, Object> state(RunState state) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("workflowId", state.workflowId());
        json.put("runId", state.runId());
        json.put("version", state.version());
        json.put("computed", state.computed());
        json.put("overlay", state.overlay());
        json.put("effective", state.effective());
        json.put("createdAt", time(state.createdAt()));
        json.put("updatedAt", time(state.updatedAt()));
        return json;
    }

    static Map<String, Object> run(RunState state, List<StoredEvent> events, Block block) {
        Map<String, Object> json = state(state);
        List<Object> eventJson = new ArrayList<>(events.size());
        for (StoredEvent event : events) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", event.id());
            e.put("stepId", event.stepId());
            e.put("type", event.type());
            e.put("payload", event.payload());
            e.put("createdAt", time(event.createdAt()));
            eventJson.add(e);
        }
        json.put("events", eventJson);
        json.put("block", block == null ? null : block(block));
        return json;
    }

    static Map<String, Object> block(Block block) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", block.id());
        json.put("stepId", block.stepId());
        json.put("type", block.type().name().toLowerCase());
        json.put("reason", block.reason());
        json.put("payload", block.payload());
        json.put("resumeStep", block.resumeStep());
        json.put("createdAt", time(block.createdAt()));
        return json;
    }

    static Map<String, Object> resolved(ResolvedBlock resolved) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("resolved", resolved != null);
        if (resolved != null) {
            json.put("blockId", resolved.id());
            json.put("type", resolved.type().name().toLowerCase());
            json.put("resolution", resolved.resolution() instanceof Resolution.Review review
                    ? Map.of("approved", review.approved())
                    : nullable("resumeData", ((Resolution.Resume) resolved.resolution()).resumeData()));
        }
        return json;
    }

    static Map<String, Object> outboxEntry(OutboxEntry entry) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", entry.id());
        json.put("workflowId", entry.workflowId());
        json.put("runId", entry.runId());
        json.put("stepId", entry.stepId());
        json.put("command", command(entry.command()));
        json.put("dedupeKey", entry.dedupeKey());
        json.put("status", entry.status().name().toLowerCase());
        json.put("lastError", entry.lastError());
        json.put("createdAt", time(entry.createdAt()));
        return json;
    }

    static Map<String, Object> outcome(String outboxId, String status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", outboxId);
        json.put("status", status);
        return json;
    }

    static Map<String, Object> command(Command command) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", command.type());
        if (command instanceof Command.Invoke c) {
            json.put("step", c.step());
            json.put("input", c.input());
        } else if (command instanceof Command.Fanout c) {
            json.put("step", c.step());
            json.put("inputs", c.inputs());
        } else if (command instanceof Command.Review c) {
            json.put("reason", c.reason());
            json.put("payload", c.payload());
        } else if (command instanceof Command.Emit c) {
            json.put("topic", c.topic());
            json.put("payload", c.payload());
        } else if (command instanceof Command.Suspend c) {
            json.put("reason", c.reason());
            json.put("checkpoint", c.checkpoint());
            json.put("resumeStep", c.resumeStep());
        }
        return json;
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static Map<String, Object> nullable(String key, Object value) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(key, value);
        return json;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String text(Map<String, Object> json, String field, boolean required) {
        Object value = json.get(field);
        if (value == null && !required) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new InvalidRequestException(field, value == null ? "is required" : "must be a string");
        }
        return s;
    }

    private static int integer(Object value, String field, int absent) {
        if (value == null) {
            return absent;
        }
        if (value instanceof Number n) {
            try {
                return new BigDecimal(n.toString()).intValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                // fall through
            }
        }
        throw new InvalidRequestException(field, "must be an integer");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String field) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new InvalidRequestException(field, "must be a JSON object");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value, String field) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new InvalidRequestException(field, "must be a JSON array");
    }
}
