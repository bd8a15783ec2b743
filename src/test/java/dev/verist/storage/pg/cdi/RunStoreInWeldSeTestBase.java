package dev.verist.storage.pg.cdi;

import dev.verist.storage.pg.interplay.CdiInvoiceWorkflow;
import dev.verist.storage.pg.interplay.CommittedRows;
import dev.verist.storage.pg.interplay.EntryPoint;
import dev.verist.storage.pg.interplay.TransactionInterplayContract;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The transaction-interplay contract in Java SE: Weld, Narayana and Agroal stand in for the server
 * ({@link JtaEnvironment}), in a schema of the class's own. Weld ignores {@code @Stateless}, so the CDI
 * {@code @Transactional} bean is the only entry point. Subclasses start Weld with the store, the workflow bean and
 * the producers of one way of choosing the persistence unit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RunStoreInWeldSeTestBase extends TransactionInterplayContract {

    static JtaEnvironment environment;

    @Inject
    CdiInvoiceWorkflow cdi;

    @BeforeAll
    void createEnvironment() throws Exception {
        environment = new JtaEnvironment();
        openUnits();
    }

    @AfterAll
    void closeEnvironment() {
        closeUnits();
        environment.close();
    }

    /** Builds the persistence units this way of wiring uses. */
    abstract void openUnits();

    /** Closes them. */
    abstract void closeUnits();

    @Override
    protected List<EntryPoint> entryPoints() {
        return List.of(EntryPoint.cdiTransactional(cdi));
    }

    @Override
    protected CommittedRows committedRows() {
        // Outside a transaction the pool's connections are plain auto-commit connections.
        return new CommittedRows(environment.dataSource::getConnection);
    }
}
