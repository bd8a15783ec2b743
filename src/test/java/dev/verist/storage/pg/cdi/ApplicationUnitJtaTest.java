package dev.verist.storage.pg.cdi;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import dev.verist.storage.pg.interplay.CdiInvoiceWorkflow;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;

/**
 * The application's own unit includes {@code META-INF/verist-orm.xml} and is the store's unit too: each store call
 * works on a manager of its own from that unit's factory, joined to the application's transaction.
 */
@EnableWeld
class ApplicationUnitJtaTest extends RunStoreInWeldSeTestBase {

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
                    .addExtensions(new TransactionExtension())
                    .addBeanClasses(ContainerPgRunStore.class, CdiInvoiceWorkflow.class, Units.ApplicationUnit.class))
            .inject(this)
            .build();

    @Override
    void openUnits() {
        Units.ApplicationUnit.unit = environment.unit("application-jta");
    }

    @Override
    void closeUnits() {
        Units.ApplicationUnit.unit.close();
    }
}
