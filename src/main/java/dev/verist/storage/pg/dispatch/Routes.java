package dev.verist.storage.pg.dispatch;

import dev.verist.storage.Command;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.Map;

/** Which handler bean carries out which command: built once at start from the beans' qualifiers. */
final class Routes {

    /**
     * One handler bean and the route it serves. A normal-scoped bean is resolved once, to its client proxy
     * ({@code shared}); a dependent one is created for each delivery from {@code handler} and destroyed after it.
     */
    record Route(String key, String bean, Instance<CommandHandler> handler, CommandHandler shared) {
    }

    private final Map<String, Route> byKey;

    private Routes(Map<String, Route> byKey) {
        this.byKey = byKey;
    }

    /**
     * The routes of every {@link CommandHandler} bean.
     *
     * @throws IllegalStateException for a handler bean without a route qualifier, or two beans on one route
     */
    static Routes of(Instance<CommandHandler> handlers) {
        Map<String, Route> byKey = new HashMap<>();
        for (Instance.Handle<CommandHandler> handle : handlers.handles()) {
            Bean<CommandHandler> bean = handle.getBean();
            String name = bean.getBeanClass().getName();
            boolean routed = false;
            for (Annotation qualifier : bean.getQualifiers()) {
                String key = key(qualifier);
                if (key == null) {
                    continue;
                }
                routed = true;
                // The client proxy of this bean: selecting by the qualifier could be ambiguous until checked below.
                CommandHandler shared = bean.getScope() == Dependent.class ? null : handle.get();
                Route route = new Route(key, name, handlers.select(qualifier), shared);
                Route taken = byKey.putIfAbsent(key, route);
                if (taken != null) {
                    throw new IllegalStateException("Two CommandHandler beans for " + key + ": " + taken.bean()
                            + " and " + name + "; give each route one handler");
                }
            }
            if (!routed) {
                throw new IllegalStateException("CommandHandler bean " + name + " has no route: annotate it"
                        + " @OnInvoke, @OnFanout or @OnEmit");
            }
        }
        return new Routes(byKey);
    }

    /** The route of {@code command}: its own, else its kind's {@value OutboxDispatcher#ANY}; null when none. */
    Route find(Command command) {
        Route route = byKey.get(key(command));
        return route != null ? route : byKey.get(command.type() + ":" + OutboxDispatcher.ANY);
    }

    /** The route key of a command: {@code invoke:<step>}, {@code fanout:<step>}, {@code emit:<topic>}. */
    static String key(Command command) {
        if (command instanceof Command.Invoke invoke) {
            return "invoke:" + invoke.step();
        }
        if (command instanceof Command.Fanout fanout) {
            return "fanout:" + fanout.step();
        }
        if (command instanceof Command.Emit emit) {
            return "emit:" + emit.topic();
        }
        return command.type();
    }

    private static String key(Annotation qualifier) {
        if (qualifier instanceof OnInvoke on) {
            return "invoke:" + on.value();
        }
        if (qualifier instanceof OnFanout on) {
            return "fanout:" + on.value();
        }
        if (qualifier instanceof OnEmit on) {
            return "emit:" + on.value();
        }
        return null;
    }
}
