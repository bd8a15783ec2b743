package dev.verist.storage.pg.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.pg.health.micrometer.MicrometerDispatchMetrics;
import dev.verist.storage.pg.health.microprofile.VeristReadinessCheck;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Each adapter is a bean only where its API is on the classpath, by the jar's {@code beans.xml}: Weld SE discovers
 * the jar in a class loader made of this test's classpath without the API jars named, and must boot. Weld would
 * also boot without the exclusions, skipping classes it cannot load (a server need not be as lenient), so the
 * tests check that discovery never even asks for an adapter whose API is missing.
 */
class AdapterActivationTest {

    private static final String MICROMETER = "micrometer-core-";
    private static final String MICROPROFILE_HEALTH = "microprofile-health-api-";

    private static final String MICROMETER_ADAPTER = MicrometerDispatchMetrics.class.getName();
    private static final String MICROPROFILE_ADAPTER = VeristReadinessCheck.class.getName();

    @Test
    void withNeitherApiTheJarBootsAndNoAdapterIsABean() throws Exception {
        Discovery found = discover(MICROMETER, MICROPROFILE_HEALTH);

        assertThat(found.beans()).contains(VeristHealth.class.getName(), OutboxGauges.class.getName())
                .doesNotContain(MICROMETER_ADAPTER, MICROPROFILE_ADAPTER);
        assertThat(found.loaded()).doesNotContain(MICROMETER_ADAPTER, MICROPROFILE_ADAPTER);
    }

    @Test
    void withOnlyMicroProfileHealthItsAdapterIsABeanAndMicrometersIsNot() throws Exception {
        Discovery found = discover(MICROMETER);

        assertThat(found.beans()).contains(MICROPROFILE_ADAPTER).doesNotContain(MICROMETER_ADAPTER);
        assertThat(found.loaded()).doesNotContain(MICROMETER_ADAPTER);
    }

    @Test
    void withOnlyMicrometerItsAdapterIsABeanAndMicroProfileHealthsIsNot() throws Exception {
        Discovery found = discover(MICROPROFILE_HEALTH);

        assertThat(found.beans()).contains(MICROMETER_ADAPTER).doesNotContain(MICROPROFILE_ADAPTER);
        assertThat(found.loaded()).doesNotContain(MICROPROFILE_ADAPTER);
    }

    @Test
    void withBothApisBothAdaptersAreBeans() throws Exception {
        assertThat(discover().beans()).contains(MICROMETER_ADAPTER, MICROPROFILE_ADAPTER,
                VeristHealth.class.getName());
    }

    /** The library's beans that discovery found, and the classes of the health packages it had loaded. */
    private record Discovery(List<String> beans, Set<String> loaded) {
    }

    // Weld's discovery in a loader of this test's classpath less the jars named.
    @SuppressWarnings("unchecked")
    private static Discovery discover(String... hiddenJars) throws Exception {
        try (RecordingLoader loader = new RecordingLoader(classpathWithout(hiddenJars))) {
            for (String hidden : hiddenJars) {
                String api = hidden.equals(MICROMETER) ? "io.micrometer.core.instrument.MeterRegistry"
                        : "org.eclipse.microprofile.health.HealthCheck";
                assertThatThrownBy(() -> loader.loadClass(api)).isInstanceOf(ClassNotFoundException.class);
            }
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                List<String> beans = (List<String>) loader.loadClass(DiscoveredBeans.class.getName())
                        .getMethod("libraryBeans").invoke(null);
                return new Discovery(beans, Set.copyOf(loader.requested));
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    private static URL[] classpathWithout(String... hiddenJars) throws MalformedURLException {
        // Surefire runs the tests from a manifest-only jar and names the real classpath here.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        entries:
        for (String entry : classpath.split(File.pathSeparator)) {
            File file = new File(entry);
            for (String hidden : hiddenJars) {
                if (file.getName().startsWith(hidden)) {
                    continue entries;
                }
            }
            urls.add(file.toURI().toURL());
        }
        return urls.toArray(URL[]::new);
    }

    /** Remembers which classes of the health packages were asked for. */
    private static final class RecordingLoader extends URLClassLoader {
        final Set<String> requested = ConcurrentHashMap.newKeySet();

        RecordingLoader(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.verist.storage.pg.health.")) {
                requested.add(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
