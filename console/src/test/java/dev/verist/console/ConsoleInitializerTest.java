package dev.verist.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConsoleInitializerTest {

    @Test
    void thePathDefaultsToVeristAndTakesAnyPathBelowTheRootWithOrWithoutSlashes() {
        assertThat(ConsoleInitializer.path(null)).isEqualTo("/verist");
        assertThat(ConsoleInitializer.path(" ")).isEqualTo("/verist");
        assertThat(ConsoleInitializer.path("ops/verist/")).isEqualTo("/ops/verist");
        assertThat(ConsoleInitializer.path("/console")).isEqualTo("/console");
    }

    @Test
    void theRootOrAPatternIsRefusedAsAPath() {
        assertThatThrownBy(() -> ConsoleInitializer.path("/")).hasMessageContaining(ConsoleInitializer.PATH_PARAMETER);
        assertThatThrownBy(() -> ConsoleInitializer.path("/verist/*")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRoleDefaultsToVeristOperator() {
        assertThat(ConsoleInitializer.role(null)).isEqualTo("verist-operator");
        assertThat(ConsoleInitializer.role(" auditors ")).isEqualTo("auditors");
    }
}
