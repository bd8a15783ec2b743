package dev.verist.storage.pg.health;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import java.util.List;
import java.util.UUID;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Boots Weld SE with bean discovery, as a server discovers the jar: through its {@code META-INF/beans.xml}. Loaded
 * by {@link AdapterActivationTest} in a class loader that may lack an adapter's API.
 */
public final class DiscoveredBeans {

    private DiscoveredBeans() {
    }

    /** The classes of the library's beans that discovery finds, sorted. */
    public static List<String> libraryBeans() {
        try (WeldContainer container = new Weld("discovery-" + UUID.randomUUID()).initialize()) {
            return container.getBeanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream()
                    .map(Bean::getBeanClass)
                    .map(Class::getName)
                    .filter(name -> name.startsWith("dev.verist.storage.pg."))
                    .distinct()
                    .sorted()
                    .toList();
        }
    }
}
