package dev.verist.storage.pg.cdi;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import dev.verist.storage.pg.interplay.CdiInvoiceWorkflow;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;

/** A dedicated {@code verist} unit beside the application's, both on one JTA data source. */
@EnableWeld
class DedicatedUnitJtaTest extends RunStoreInWeldSeTestBase {

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
                    .addExtensions(new TransactionExtension())
                    .addBeanClasses(ContainerPgRunStore.class, CdiInvoiceWorkflow.class, Units.DedicatedUnit.class))
            .inject(this)
            .build();

    @Override
    void openUnits() {
        Units.DedicatedUnit.applicationUnit = environment.unit("application-only-jta");
        Units.DedicatedUnit.veristUnit = environment.unit("verist");
    }

    @Override
    void closeUnits() {
        Units.DedicatedUnit.applicationUnit.close();
        Units.DedicatedUnit.veristUnit.close();
    }
}
