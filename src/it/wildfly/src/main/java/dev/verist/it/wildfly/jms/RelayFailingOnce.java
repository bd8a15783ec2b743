package dev.verist.it.wildfly.jms;

import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.OnEmit;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@code emit relayed-fails-once}: sends, then fails its first attempt, so that attempt's message rolls back. */
@ApplicationScoped
@OnEmit("relayed-fails-once")
public class RelayFailingOnce extends RelayToQueue {

    private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    @Override
    public void handle(OutboxEntry entry) throws Exception {
        super.handle(entry);
        if (FAILED.add(entry.id())) {
            throw new IllegalStateException("fails after its send, once");
        }
    }
}
