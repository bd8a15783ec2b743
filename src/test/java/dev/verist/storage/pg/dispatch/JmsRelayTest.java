package dev.verist.storage.pg.dispatch;

import static dev.verist.storage.pg.dispatch.scenarios.Awaits.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.RetryPolicy;
import dev.verist.storage.pg.dispatch.jms.JmsRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQQueue;
import org.apache.activemq.artemis.jms.client.ActiveMQXAConnectionFactory;
import org.jboss.narayana.jta.jms.ConnectionFactoryProxy;
import org.jboss.narayana.jta.jms.TransactionHelperImpl;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JMS relay in Weld SE: an embedded ActiveMQ Artemis broker whose XA sessions Narayana enlists, as a server's
 * pooled connection factory would, so that a message is sent if and only if its outbox entry is finalised.
 */
class JmsRelayTest {

    private static final Destination QUEUE = new ActiveMQQueue("verist-relayed");
    private static final String BROKER = "vm://0";

    static volatile ConnectionFactory enlisting;
    static final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    static volatile DispatchEnvironment current;

    private DispatchEnvironment env;
    private EmbeddedActiveMQ broker;
    private WeldContainer container;

    @BeforeEach
    void environment() throws Exception {
        env = new DispatchEnvironment();
        current = env;
        failedOnce.clear();
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .addAcceptorConfiguration("in-vm", BROKER));
        broker.start();
        enlisting = new ConnectionFactoryProxy(new ActiveMQXAConnectionFactory(BROKER),
                new TransactionHelperImpl(com.arjuna.ats.jta.TransactionManager.transactionManager()));
    }

    @AfterEach
    void close() throws Exception {
        if (container != null) {
            container.shutdown();
        }
        broker.stop();
        env.close();
    }

    @Test
    void eachRelayedCommandArrivesOnceAsItsJsonWithTheEntrysKeys() throws Exception {
        List<String> ids = commitEmits("relayed", 20);
        start(env.settings());

        awaitStatus(ids, OutboxStatus.DISPATCHED);

        List<Message> messages = drain();
        assertThat(messages).hasSize(20);
        assertThat(messages).extracting(m -> Long.toString(m.getLongProperty(JmsRelay.OUTBOX_ID)))
                .containsExactlyInAnyOrderElementsOf(ids);
        Message first = messages.stream().filter(m -> property(m, JmsRelay.OUTBOX_ID).equals(ids.get(0)))
                .findFirst().orElseThrow();
        OutboxEntry entry = env.store.outbox(OutboxStatus.DISPATCHED, null, 1).get(0);
        assertThat(((TextMessage) first).getText()).isEqualTo("{\"type\":\"emit\",\"topic\":\"relayed\",\"payload\":{\"n\":0}}");
        assertThat(first.getStringProperty(JmsRelay.DEDUPE_KEY)).isEqualTo(entry.dedupeKey());
        assertThat(first.getStringProperty(JmsRelay.WORKFLOW_ID)).isEqualTo("wf");
        assertThat(first.getStringProperty(JmsRelay.RUN_ID)).isEqualTo(entry.runId());
        assertThat(first.getStringProperty(JmsRelay.STEP_ID)).isEqualTo("s");
        assertThat(first.getStringProperty(JmsRelay.COMMAND_TYPE)).isEqualTo("emit");
        assertThat(first.getLongProperty(JmsRelay.LEASE_TOKEN)).isPositive();
    }

    @Test
    void aRelayWhoseTransactionRollsBackSendsNothingAndItsRetrySendsOnce() throws Exception {
        List<String> ids = commitEmits("relayed-then-fails", 3);
        start(env.settings().retryPolicy(new RetryPolicy(3, Duration.ofMillis(50), 1, Duration.ofMillis(50), false)));

        awaitStatus(ids, OutboxStatus.DISPATCHED);

        assertThat(drain()).extracting(m -> property(m, JmsRelay.OUTBOX_ID))
                .as("the first attempt's message was rolled back with it").containsExactlyInAnyOrderElementsOf(ids);
        assertThat(env.store.outbox(OutboxStatus.DISPATCHED, null, 10))
                .allSatisfy(e -> assertThat(e.attempts()).isEqualTo(1));
    }

    @Test
    void aRelayWhoseLeaseWasTakenOverSendsNothing() throws Exception {
        List<String> ids = commitEmits("relayed-lease-lost", 1);
        // One worker: no second tick of this dispatcher takes the expired entry before the thief does.
        start(env.settings().workers(1).leaseDuration(Duration.ofMillis(300)));

        awaitTrue("taken over", () -> env.store.outbox(OutboxStatus.LEASED, null, 1).stream()
                .anyMatch(e -> e.leaseOwner().equals("thief")));
        Thread.sleep(500); // the delivery's rollback, had it sent, would have been done by now

        assertThat(drain()).isEmpty();
        assertThat(env.store.outbox(OutboxStatus.LEASED, null, 1)).singleElement()
                .satisfies(e -> assertThat(e.id()).isEqualTo(ids.get(0)));
    }

    @ApplicationScoped
    @OnEmit("relayed")
    static class Relay extends JmsRelay {
        @Override
        protected ConnectionFactory connectionFactory() {
            return enlisting;
        }

        @Override
        protected Destination destination(JMSContext context, OutboxEntry entry) {
            return QUEUE;
        }
    }

    @ApplicationScoped
    @OnEmit("relayed-then-fails")
    static class RelayThenFailOnce extends Relay {
        @Override
        public void handle(OutboxEntry entry) throws Exception {
            super.handle(entry);
            if (failedOnce.add(entry.id())) {
                throw new IllegalStateException("fails after its send, once");
            }
        }
    }

    @ApplicationScoped
    @OnEmit("relayed-lease-lost")
    static class RelayThenLoseLease extends Relay {
        @Override
        public void handle(OutboxEntry entry) throws Exception {
            super.handle(entry);
            Thread.sleep(400); // past the lease: another dispatcher takes the entry over
            assertThat(current.store.leaseOutbox("thief", 10)).extracting(OutboxEntry::id).contains(entry.id());
        }
    }

    private void start(DispatcherSettings.Builder settings) {
        dev.verist.storage.pg.dispatch.scenarios.JavaSeSettings.current = settings.build();
        container = env.container("relay", Relay.class, RelayThenFailOnce.class, RelayThenLoseLease.class,
                dev.verist.storage.pg.dispatch.scenarios.JavaSeSettings.class);
    }

    private List<String> commitEmits(String topic, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            env.store.commit(Commit.builder("wf", topic + "-" + i, "s").command(Command.emit(topic, Map.of("n", i)))
                    .build());
        }
        env.store.outbox(OutboxStatus.PENDING, null, n).forEach(e -> ids.add(e.id()));
        assertThat(ids).hasSize(n);
        return ids;
    }

    // Every message on the queue, received outside any transaction.
    private static List<Message> drain() {
        List<Message> messages = new ArrayList<>();
        try (ActiveMQConnectionFactory plain = new ActiveMQConnectionFactory(BROKER);
             JMSContext context = plain.createContext();
             JMSConsumer consumer = context.createConsumer(QUEUE)) {
            for (Message m = consumer.receive(500); m != null; m = consumer.receive(200)) {
                messages.add(m);
            }
        }
        return messages;
    }

    private static String property(Message message, String name) {
        try {
            return message.getObjectProperty(name).toString();
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitStatus(List<String> ids, OutboxStatus status) {
        awaitTrue(ids.size() + " entries " + status, () -> env.store.outbox(status, null, 1000).stream()
                .map(OutboxEntry::id).toList().containsAll(ids));
    }

}
