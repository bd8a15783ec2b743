package dev.verist.storage.internal;

import dev.verist.storage.Command;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.StoredDataException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Commands as the JSON objects the TypeScript kernel writes: {@code {"type":"invoke","step":…,"input":…}}.
 * Optional members that are null (review {@code payload}, suspend {@code resumeStep}) are left out, as the
 * kernel's helpers do; the dedupe key depends on that.
 */
public final class CommandJson {

    private CommandJson() {
    }

    /**
     * The command as a storable JSON object, after checking it against the kernel's strict schemas.
     *
     * @throws InvalidRequestException naming {@code path} and the member at fault
     */
    public static Map<String, Object> storable(Command command, String path) {
        Checks.present(command, path);
        if (command instanceof Command.Invoke c) {
            Checks.text(c.step(), path + ".step");
        } else if (command instanceof Command.Fanout c) {
            Checks.text(c.step(), path + ".step");
            Checks.present(c.inputs(), path + ".inputs");
        } else if (command instanceof Command.Review c) {
            Checks.text(c.reason(), path + ".reason");
        } else if (command instanceof Command.Emit c) {
            Checks.text(c.topic(), path + ".topic");
        } else if (command instanceof Command.Suspend c) {
            Checks.text(c.reason(), path + ".reason");
            if (c.resumeStep() != null) {
                Checks.text(c.resumeStep(), path + ".resumeStep");
            }
        }
        return tree(command, path, true);
    }

    /** The command as a JSON object for hashing, without the storage checks. */
    public static Map<String, Object> hashable(Command command, String path) {
        return tree(Checks.present(command, path), path, false);
    }

    private static Map<String, Object> tree(Command command, String path, boolean storable) {
        Map<String, Object> json = new LinkedHashMap<>(8);
        json.put("type", command.type());
        if (command instanceof Command.Invoke c) {
            json.put("step", c.step());
            json.put("input", value(c.input(), path + ".input", storable));
        } else if (command instanceof Command.Fanout c) {
            json.put("step", c.step());
            json.put("inputs", value(c.inputs(), path + ".inputs", storable));
        } else if (command instanceof Command.Review c) {
            json.put("reason", c.reason());
            if (c.payload() != null) {
                json.put("payload", value(c.payload(), path + ".payload", storable));
            }
        } else if (command instanceof Command.Emit c) {
            json.put("topic", c.topic());
            json.put("payload", value(c.payload(), path + ".payload", storable));
        } else if (command instanceof Command.Suspend c) {
            json.put("reason", c.reason());
            json.put("checkpoint", value(c.checkpoint(), path + ".checkpoint", storable));
            if (c.resumeStep() != null) {
                json.put("resumeStep", c.resumeStep());
            }
        }
        return json;
    }

    private static Object value(Object value, String path, boolean storable) {
        return storable ? JsonValues.storable(value, path) : JsonValues.hashable(value, path);
    }

    /**
     * Reads a stored command object back into its record. Absent and null optional members both give null.
     *
     * @throws StoredDataException for an unknown type or a member of the wrong JSON type
     */
    @SuppressWarnings("unchecked")
    public static Command fromTree(Map<String, Object> json) {
        Object type = json.get("type");
        try {
            return switch (String.valueOf(type)) {
                case "invoke" -> new Command.Invoke((String) json.get("step"), json.get("input"));
                case "fanout" -> new Command.Fanout((String) json.get("step"), (List<Object>) json.get("inputs"));
                case "review" -> new Command.Review((String) json.get("reason"), json.get("payload"));
                case "emit" -> new Command.Emit((String) json.get("topic"), json.get("payload"));
                case "suspend" -> new Command.Suspend((String) json.get("reason"), json.get("checkpoint"),
                        (String) json.get("resumeStep"));
                default -> throw new StoredDataException("Unknown command type: " + type, null);
            };
        } catch (ClassCastException e) {
            throw new StoredDataException("Stored " + type + " command has a member of the wrong type: " + json, e);
        }
    }
}
