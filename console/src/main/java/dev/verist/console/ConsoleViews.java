package dev.verist.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.verist.storage.Command;
import dev.verist.storage.RunState;
import dev.verist.storage.StoredEvent;
import dev.verist.storage.pg.Block;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStats;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.RecordedBlock;
import dev.verist.storage.pg.WaitingRun;
import java.util.List;

/** What the console's pages read, as JSON: the store's records with wire names and ISO-8601 times. */
final class ConsoleViews {

    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private ConsoleViews() {
    }

    static ObjectNode waitingRun(WaitingRun waiting) {
        ObjectNode node = block(waiting.block());
        node.set("effective", JSON.valueToTree(waiting.state().effective()));
        return node;
    }

    private static ObjectNode block(Block block) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", block.id());
        node.put("workflowId", block.workflowId());
        node.put("runId", block.runId());
        node.put("stepId", block.stepId());
        node.put("type", block.type().wireName());
        node.put("reason", block.reason());
        node.set("payload", JSON.valueToTree(block.payload()));
        node.put("resumeStep", block.resumeStep());
        node.put("createdAt", block.createdAt().toString());
        return node;
    }

    static ArrayNode blocks(List<RecordedBlock> blocks) {
        ArrayNode array = JSON.createArrayNode();
        for (RecordedBlock recorded : blocks) {
            ObjectNode node = block(recorded.block());
            node.set("resolution", JSON.valueToTree(recorded.resolution()));
            node.put("resolvedAt", recorded.active() ? null : recorded.resolvedAt().toString());
            array.add(node);
        }
        return array;
    }

    static ObjectNode run(RunState state) {
        ObjectNode node = JSON.createObjectNode();
        node.put("workflowId", state.workflowId());
        node.put("runId", state.runId());
        node.put("version", state.version());
        node.set("computed", JSON.valueToTree(state.computed()));
        node.set("overlay", JSON.valueToTree(state.overlay()));
        node.set("effective", JSON.valueToTree(state.effective()));
        node.put("createdAt", state.createdAt().toString());
        node.put("updatedAt", state.updatedAt().toString());
        return node;
    }

    static ArrayNode events(List<StoredEvent> events) {
        ArrayNode array = JSON.createArrayNode();
        events.forEach(event -> array.add(JSON.<ObjectNode>valueToTree(event)));
        return array;
    }

    static ArrayNode entries(List<OutboxEntry> entries) {
        ArrayNode array = JSON.createArrayNode();
        for (OutboxEntry entry : entries) {
            ObjectNode node = array.addObject();
            node.put("id", entry.id());
            node.put("workflowId", entry.workflowId());
            node.put("runId", entry.runId());
            node.put("stepId", entry.stepId());
            node.set("command", command(entry.command()));
            node.put("status", entry.status().wireName());
            node.put("attempts", entry.attempts());
            node.put("lastError", entry.lastError());
            node.put("createdAt", entry.createdAt().toString());
            node.put("nextAttemptAt", entry.nextAttemptAt() == null ? null : entry.nextAttemptAt().toString());
        }
        return array;
    }

    static ObjectNode stats(OutboxStats stats) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode counts = node.putObject("counts");
        for (OutboxStatus status : OutboxStatus.values()) {
            counts.put(status.wireName(), stats.counts().getOrDefault(status, 0L));
        }
        node.put("oldestPendingAgeSeconds", stats.oldestPendingAge().map(d -> d.toMillis() / 1000.0).orElse(null));
        node.put("expiredLeases", stats.expiredLeases());
        node.put("waitingRetries", stats.waitingRetries());
        return node;
    }

    private static ObjectNode command(Command command) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", command.type());
        node.setAll(JSON.<ObjectNode>valueToTree(command));
        return node;
    }
}
