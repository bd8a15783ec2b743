package dev.verist.storage.pg.internal;

import dev.verist.storage.StorageException;
import jakarta.persistence.EntityManagerFactory;
import dev.verist.storage.pg.entity.BlockEntity;
import dev.verist.storage.pg.entity.EventEntity;
import dev.verist.storage.pg.entity.OutboxEntity;
import dev.verist.storage.pg.entity.RunStateEntity;
import jakarta.persistence.metamodel.Metamodel;
import java.util.List;

/** Checks that a persistence unit maps the verist entities, so a unit set up without them fails clearly. */
final class VeristMapping {

    /** The verist entities, as {@code META-INF/verist-orm.xml} lists them. */
    private static final List<Class<?>> ENTITIES =
            List.of(RunStateEntity.class, EventEntity.class, OutboxEntity.class, BlockEntity.class);

    private VeristMapping() {
    }

    /**
     * The factory, once its unit is known to map every verist entity.
     *
     * @throws StorageException not retryable, naming the fix, when it does not
     */
    static EntityManagerFactory checked(EntityManagerFactory emf) {
        Metamodel metamodel = emf.getMetamodel();
        for (Class<?> entity : ENTITIES) {
            try {
                metamodel.entity(entity);
            } catch (IllegalArgumentException e) {
                throw new StorageException("The persistence unit" + unitName(emf) + " does not map the verist"
                        + " entities (" + entity.getSimpleName() + " is not among its entities): add"
                        + " <mapping-file>META-INF/verist-orm.xml</mapping-file> to the unit, or give the store a"
                        + " dedicated unit as in META-INF/verist-persistence-unit.xml", e, false);
            }
        }
        return emf;
    }

    private static String unitName(EntityManagerFactory emf) {
        Object name = emf.getProperties().get("hibernate.persistenceUnitName");
        if (name == null) {
            name = emf.getProperties().get("hibernate.ejb.persistenceUnitName");
        }
        return name == null ? "" : " '" + name + "'";
    }
}
