package dev.verist.storage.pg.interplay;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ejb.EJBException;
import org.assertj.core.util.Throwables;

/**
 * One way into the application's transaction: a workflow bean and what its caller receives when the application
 * fails inside it. Its name heads every failure the contract reports for it.
 */
public final class EntryPoint {

    private final String name;
    private final InvoiceWorkflow workflow;
    private final boolean wrapsApplicationFailures;

    private EntryPoint(String name, InvoiceWorkflow workflow, boolean wrapsApplicationFailures) {
        this.name = name;
        this.workflow = workflow;
        this.wrapsApplicationFailures = wrapsApplicationFailures;
    }

    /** A CDI {@code @Transactional} bean: the caller receives the application's exception itself. */
    public static EntryPoint cdiTransactional(CdiInvoiceWorkflow workflow) {
        return new EntryPoint("CDI @Transactional bean", workflow, false);
    }

    /**
     * A stateless EJB: the caller receives an application's {@code RuntimeException} wrapped in an
     * {@link EJBException} (a system exception), but the store's exceptions unwrapped (they are application
     * exceptions).
     */
    public static EntryPoint statelessEjb(EjbInvoiceWorkflow workflow) {
        return new EntryPoint("stateless EJB", workflow, true);
    }

    /** The bean to call. */
    public InvoiceWorkflow workflow() {
        return workflow;
    }

    /** Checks that {@code thrown}, what the caller received, is how this entry point passes on {@code failure}. */
    public void assertDeliversApplicationFailure(Throwable thrown, RuntimeException failure) {
        if (wrapsApplicationFailures) {
            assertThat(thrown).as("what the caller of the %s receives", name)
                    .isInstanceOf(EJBException.class)
                    .hasRootCauseInstanceOf(failure.getClass())
                    .hasRootCauseMessage(failure.getMessage());
            assertThat(Throwables.getRootCause(thrown)).isSameAs(failure);
        } else {
            assertThat(thrown).as("what the caller of the %s receives", name).isSameAs(failure);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
