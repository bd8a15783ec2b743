package dev.verist.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The four payload files of shared/bench, read once with Jackson into immutable JSON trees that every worker
 * thread shares read-only. The raw texts are kept for the plain-SQL prefill, which uses them as floor.sh does.
 */
final class Payloads {

    final String createOutputJson;
    final String updateOutputJson;
    final String eventPayloadJson;
    final Map<String, Object> createOutput;
    final Map<String, Object> updateOutput;
    final Map<String, Object> eventPayload;
    /** The 2 events of every commit: {@code step_started}, {@code step_completed}, each with the event payload. */
    final List<AuditEvent> events;
    /** The 3 {@code invoke} commands of {@code update-commands}. */
    final List<Command> commands;

    private Payloads(Path dir) {
        ObjectMapper json = new ObjectMapper();
        createOutputJson = read(dir, "create-output.json");
        createOutput = object(json, createOutputJson);
        updateOutputJson = read(dir, "update-output.json");
        updateOutput = object(json, updateOutputJson);
        eventPayloadJson = read(dir, "event-payload.json");
        eventPayload = object(json, eventPayloadJson);
        events = List.of(AuditEvent.of("step_started", eventPayload), AuditEvent.of("step_completed", eventPayload));
        List<Command> list = new ArrayList<>();
        try {
            for (Map<String, Object> c : json.readValue(read(dir, "commands.json"),
                    new TypeReference<List<Map<String, Object>>>() { })) {
                if (!"invoke".equals(c.get("type"))) {
                    throw new IllegalArgumentException("commands.json: only invoke commands are expected, got " + c);
                }
                list.add(Command.invoke((String) c.get("step"), Collections.unmodifiableMap(castMap(c.get("input")))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        commands = List.copyOf(list);
    }

    static Payloads read(Path dir) {
        return new Payloads(dir);
    }

    private static String read(Path dir, String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("reading payload " + dir.resolve(name), e);
        }
    }

    private static Map<String, Object> object(ObjectMapper json, String text) {
        try {
            return Collections.unmodifiableMap(json.readValue(text, new TypeReference<Map<String, Object>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
