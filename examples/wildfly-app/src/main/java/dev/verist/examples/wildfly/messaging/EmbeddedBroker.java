package dev.verist.examples.wildfly.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import java.util.logging.Logger;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * The example's message broker: ActiveMQ Artemis in memory on 127.0.0.1:61616, started with the application so that
 * one command runs everything. A real application talks to a broker of its own (or WildFly's messaging layer);
 * the resource adapter (src/main/rar) is what the application's code sees either way.
 */
@Startup
@Singleton
public class EmbeddedBroker {

    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class.getName());

    private EmbeddedActiveMQ broker;

    @PostConstruct
    void start() {
        try {
            broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                    .setPersistenceEnabled(false)
                    .setSecurityEnabled(false)
                    .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:61616"));
            broker.start();
            LOG.info("example broker listening on tcp://127.0.0.1:61616");
        } catch (Exception e) {
            throw new IllegalStateException("The example's broker did not start (is port 61616 taken?)", e);
        }
    }

    @PreDestroy
    void stop() {
        try {
            broker.stop();
        } catch (Exception e) {
            LOG.warning("The example's broker did not stop cleanly: " + e);
        }
    }
}
