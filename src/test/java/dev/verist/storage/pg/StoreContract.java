package dev.verist.storage.pg;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a class of the behaviour contract: the build runs it once on every {@link Wiring}, each run with its own
 * surefire report ({@code TEST-<class>-<wiring>.xml}). Such a class uses only {@link StoreTest}'s store and
 * tables, so its assertions hold whatever the wiring.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag(StoreContract.TAG)
public @interface StoreContract {

    /** The JUnit tag the build selects the contract by. */
    String TAG = "store-contract";
}
