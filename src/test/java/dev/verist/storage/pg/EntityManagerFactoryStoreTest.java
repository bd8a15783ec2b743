package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.entity.OutboxEntity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store over an application's own RESOURCE_LOCAL unit that includes {@code META-INF/verist-orm.xml}. */
class EntityManagerFactoryStoreTest extends StoreTest {

    private EntityManagerFactory applicationEmf;
    private PgRunStore emfStore;

    @BeforeAll
    void createApplicationUnit() {
        applicationEmf = Persistence.createEntityManagerFactory("application-se",
                Map.of("hibernate.connection.datasource", dataSource));
        emfStore = PgRunStore.create(applicationEmf);
    }

    @AfterAll
    void closeApplicationUnit() {
        applicationEmf.close();
    }

    @Test
    void storeOverTheApplicationsUnitCommitsAndReadsBack() {
        emfStore.commit(Commit.builder("wf", "r", "s").output(Map.of("a", 1))
                .event(AuditEvent.of("started", Map.of("n", 1)))
                .command(Command.review("look"))
                .build());

        assertThat(emfStore.load("wf", "r")).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));
        assertThat(emfStore.events("wf", "r")).singleElement()
                .satisfies(e -> assertThat(e.payload()).isEqualTo(Map.of("n", 1)));
        assertThat(emfStore.getBlock("wf", "r")).hasValueSatisfying(b -> assertThat(b.reason()).isEqualTo("look"));
    }

    @Test
    void applicationQueriesTheVeristEntitiesWithJpql() {
        emfStore.commit(Commit.builder("wf", "r", "s")
                .command(Command.invoke("a", 1)).command(Command.invoke("b", 2)).build());

        EntityManager em = applicationEmf.createEntityManager();
        try {
            List<OutboxEntity> pending = em.createQuery(
                    "SELECT o FROM VeristOutboxEntry o WHERE o.status = 'pending' ORDER BY o.id", OutboxEntity.class)
                    .getResultList();
            assertThat(pending).extracting(o -> o.getCommand().get("step")).containsExactly("a", "b");
        } finally {
            em.close();
        }
    }

    @Test
    void closingTheStoreLeavesTheApplicationsFactoryOpen() {
        PgRunStore another = PgRunStore.create(applicationEmf);
        another.close();
        assertThat(applicationEmf.isOpen()).isTrue();
        assertThat(emfStore.load("wf", "missing")).isEmpty();
    }
}
