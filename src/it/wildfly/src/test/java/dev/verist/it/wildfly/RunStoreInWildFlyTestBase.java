package dev.verist.it.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.storage.pg.interplay.CdiInvoiceWorkflow;
import dev.verist.storage.pg.interplay.CommittedRows;
import dev.verist.storage.pg.interplay.EjbInvoiceWorkflow;
import dev.verist.storage.pg.interplay.EntryPoint;
import dev.verist.storage.pg.interplay.Invoice;
import dev.verist.storage.pg.interplay.TransactionInterplayContract;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The transaction-interplay contract inside WildFly (Arquillian in-container), through a stateless EJB and through
 * a CDI {@code @Transactional} bean, plus the checks of the WildFly set-up. The committed rows are read through
 * the application's datasource outside any transaction, i.e. on auto-commit connections.
 */
@ExtendWith(ArquillianExtension.class)
abstract class RunStoreInWildFlyTestBase extends TransactionInterplayContract {

    @Inject
    EjbInvoiceWorkflow ejb;

    @Inject
    CdiInvoiceWorkflow cdi;

    @Resource(lookup = ItSchema.DATASOURCE)
    DataSource dataSource;

    @Override
    protected List<EntryPoint> entryPoints() {
        return List.of(EntryPoint.statelessEjb(ejb), EntryPoint.cdiTransactional(cdi));
    }

    @Override
    protected CommittedRows committedRows() {
        return new CommittedRows(dataSource::getConnection);
    }

    @Test
    final void theDatasourceWorksInTheDedicatedSchemaWhereTheTablesWereCreated() {
        CommittedRows rows = committedRows();

        assertThat(rows.currentSchema()).isEqualTo(ItSchema.SCHEMA);
        assertThat(rows.tableExists(ItSchema.SCHEMA, "verist_state")).isTrue();
        assertThat(rows.tableExists(ItSchema.SCHEMA, "verist_outbox")).isTrue();
        assertThat(rows.tableExists(ItSchema.SCHEMA, Invoice.TABLE)).isTrue();
    }
}
