package dev.verist.storage.pg.dispatch;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Carries out {@code fanout} commands of one step: the entry holds the whole fanout, its inputs are the
 * handler's to spread. Put it on a {@link CommandHandler} bean; {@value OutboxDispatcher#ANY} handles every step no other
 * handler names.
 * <pre>{@code
 * @ApplicationScoped @OnFanout("score-documents")
 * public class ScoreDocuments implements CommandHandler { ... }
 * }</pre>
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, TYPE})
public @interface OnFanout {

    /** The step, or {@value OutboxDispatcher#ANY}. */
    String value();
}
