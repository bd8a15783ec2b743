package dev.verist.it.wildfly.jms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.it.wildfly.ItSchema;
import dev.verist.it.wildfly.OutsideDatabase;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.dispatch.scenarios.ScenarioDatabase;
import dev.verist.storage.pg.dispatch.scenarios.ScenarioSettings;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JMS relay on WildFly: the dispatcher's relay handler sends each emit through ActiveMQ Artemis's resource
 * adapter (a RAR deployed beside the application, named as WildFly's default MDB adapter) to a broker this suite
 * runs, and a message-driven bean records each message it receives in the database.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JmsRelayIT extends ScenarioDatabase {

    private static final String ADAPTER = "adapter";
    private static final String APPLICATION = "relay";

    @ArquillianResource
    Deployer deployer;

    private EmbeddedActiveMQ broker;

    @Deployment(name = ADAPTER, managed = false, testable = false, order = 1)
    static ResourceAdapterArchive adapter() {
        File[] jars = new File(Objects.requireNonNull(System.getProperty("rar.lib"), "rar.lib")).listFiles(
                (dir, name) -> name.endsWith(".jar"));
        return ShrinkWrap.create(ResourceAdapterArchive.class, "activemq-ra.rar")
                .addAsLibraries(jars)
                .addAsManifestResource("jms/ra.xml", "ra.xml")
                .addAsManifestResource("jms/ironjacamar.xml", "ironjacamar.xml");
    }

    @Deployment(name = APPLICATION, managed = false, testable = false, order = 2)
    static WebArchive application() {
        return dev.verist.it.wildfly.Deployments.dispatcherWar("relay", ScenarioSettings.class)
                .addClasses(RelayToQueue.class, RelayFailingOnce.class, ReceivedRelays.class)
                .addAsWebInfResource("jms/jboss-deployment-structure.xml", "jboss-deployment-structure.xml");
    }

    @Override
    protected DataSource database() {
        return OutsideDatabase.get();
    }

    @Override
    protected String schema() {
        return ItSchema.SCHEMA;
    }

    @BeforeAll
    void brokerAndTable() throws Exception {
        try (var c = database().getConnection(); var s = c.createStatement()) {
            s.execute("CREATE TABLE " + ReceivedRelays.TABLE + " (outbox_id BIGINT NOT NULL, dedupe_key TEXT NOT NULL,"
                    + " body TEXT NOT NULL)");
        }
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:61616"));
        broker.start();
    }

    @AfterAll
    void stopBroker() throws Exception {
        broker.stop();
    }

    @Test
    void eachRelayedCommandIsReceivedOnceByTheMessageDrivenBean() throws Exception {
        deployer.deploy(ADAPTER);
        deployer.deploy(APPLICATION);
        try {
            Commit.Builder commit = Commit.builder("it", "relayed", "s");
            for (int i = 0; i < 20; i++) {
                commit.command(Command.emit("relayed", Map.of("i", i)));
            }
            commit.command(Command.emit("relayed-fails-once", Map.of()));
            store().commit(commit.build());
            List<Long> ids = numbers("SELECT id FROM verist_outbox WHERE run_id = 'relayed' ORDER BY id");

            awaitTrue("21 dispatched", () -> statusCount(ids, "dispatched") == 21);
            awaitTrue("21 received", () -> numbers("SELECT count(*) FROM " + ReceivedRelays.TABLE).get(0) == 21);
            Thread.sleep(1000); // a second message for any of them would have come by now

            assertThat(numbers("SELECT outbox_id FROM " + ReceivedRelays.TABLE + " ORDER BY outbox_id"))
                    .as("each command once, the failed attempt's message rolled back").isEqualTo(ids);
            assertThat(column("SELECT r.body FROM " + ReceivedRelays.TABLE + " r JOIN verist_outbox o ON o.id = r.outbox_id"
                    + " AND o.dedupe_key = r.dedupe_key ORDER BY r.outbox_id LIMIT 1"))
                    .containsExactly("{\"type\":\"emit\",\"topic\":\"relayed\",\"payload\":{\"i\":0}}");
        } finally {
            deployer.undeploy(APPLICATION);
            deployer.undeploy(ADAPTER);
        }
    }
}
