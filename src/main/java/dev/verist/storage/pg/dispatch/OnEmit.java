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
 * Carries out {@code emit} commands of one topic.
 * Put it on a {@link CommandHandler} bean; {@value OutboxDispatcher#ANY} handles every topic no other
 * handler names.
 * <pre>{@code
 * @ApplicationScoped @OnEmit("invoice-paid")
 * public class InvoicePaid implements CommandHandler { ... }
 * }</pre>
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, TYPE})
public @interface OnEmit {

    /** The topic, or {@value OutboxDispatcher#ANY}. */
    String value();
}
