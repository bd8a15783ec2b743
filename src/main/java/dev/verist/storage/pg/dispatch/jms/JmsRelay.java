package dev.verist.storage.pg.dispatch.jms;

import dev.verist.storage.internal.CommandJson;
import dev.verist.storage.internal.JsonValues;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.CommandHandler;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;

/**
 * A ready handler that relays each command it takes to a Jakarta Messaging destination, inside the delivery's
 * JTA transaction: with a connection factory that enlists (a server's pooled one, such as WildFly's
 * {@code java:/JmsXA}), the message is sent if and only if the entry is finalised, so the broker and the outbox
 * commit together. Subclass it with a route and say where the messages go:
 * <pre>{@code
 * @ApplicationScoped
 * @OnEmit(OutboxDispatcher.ANY)
 * public class EmitsToQueue extends JmsRelay {
 *     @Resource(lookup = "java:/JmsXA") ConnectionFactory factory;
 *     @Resource(lookup = "java:/jms/queue/emits") Queue emits;
 *
 *     protected ConnectionFactory connectionFactory() { return factory; }
 *     protected Destination destination(JMSContext context, OutboxEntry entry) { return emits; }
 * }
 * }</pre>
 * The message is a text message holding the command's JSON as the outbox stores it, with the entry's keys as
 * properties ({@link #OUTBOX_ID} and the others below); a receiver that must not act twice on a redelivered
 * message keys on {@link #DEDUPE_KEY}.
 */
public abstract class JmsRelay implements CommandHandler {

    /** Property: the outbox entry's id (a long). */
    public static final String OUTBOX_ID = "verist_outbox_id";
    /** Property: the entry's dedupe key, unique per command of a step of a run. */
    public static final String DEDUPE_KEY = "verist_dedupe_key";
    /** Property: the workflow id. */
    public static final String WORKFLOW_ID = "verist_workflow_id";
    /** Property: the run id. */
    public static final String RUN_ID = "verist_run_id";
    /** Property: the step that wrote the command. */
    public static final String STEP_ID = "verist_step_id";
    /** Property: the command's type ({@code invoke}, {@code fanout}, {@code emit}, ...). */
    public static final String COMMAND_TYPE = "verist_command_type";
    /** Property: the lease token of the delivery that sent it (a long), for tracing a redelivery. */
    public static final String LEASE_TOKEN = "verist_lease_token";

    /** For subclasses. */
    protected JmsRelay() {
    }

    /** The connection factory the message is sent with; one that enlists in JTA transactions. */
    protected abstract ConnectionFactory connectionFactory();

    /**
     * Where {@code entry}'s message goes: an injected destination, or one made by name on {@code context}, the
     * send's own ({@code context.createQueue("name")}).
     */
    protected abstract Destination destination(JMSContext context, OutboxEntry entry);

    /** Sets more on the producer before the send (priority, delivery delay, properties); nothing by default. */
    protected void customize(JMSProducer producer, OutboxEntry entry) {
    }

    @Override
    public void handle(OutboxEntry entry) throws Exception {
        try (JMSContext context = connectionFactory().createContext()) {
            JMSProducer producer = context.createProducer()
                    .setProperty(OUTBOX_ID, Long.parseLong(entry.id()))
                    .setProperty(DEDUPE_KEY, entry.dedupeKey())
                    .setProperty(WORKFLOW_ID, entry.workflowId())
                    .setProperty(RUN_ID, entry.runId())
                    .setProperty(STEP_ID, entry.stepId())
                    .setProperty(COMMAND_TYPE, entry.command().type())
                    .setProperty(LEASE_TOKEN, entry.leaseToken());
            customize(producer, entry);
            producer.send(destination(context, entry), body(entry));
        }
    }

    /** The message text: the command's JSON, as the outbox stores it. */
    protected String body(OutboxEntry entry) {
        return JsonValues.write(CommandJson.storable(entry.command(), "command"));
    }
}
