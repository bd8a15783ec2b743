package dev.verist.storage.pg.cdi;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Marks the container-managed {@code EntityManager} the store works with. The application produces it from
 * the persistence unit that maps the verist entities: a dedicated {@code verist} unit, or its own unit
 * with {@code META-INF/verist-orm.xml} added:
 * <pre>{@code
 * @Produces @Verist @PersistenceContext(unitName = "verist")
 * EntityManager veristEntityManager;
 * }</pre>
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, TYPE})
public @interface Verist {

    /** The qualifier as a value, for programmatic lookup. */
    final class Literal extends AnnotationLiteral<Verist> implements Verist {
        private static final long serialVersionUID = 1L;

        /** The one instance. */
        public static final Literal INSTANCE = new Literal();

        private Literal() {
        }
    }
}
