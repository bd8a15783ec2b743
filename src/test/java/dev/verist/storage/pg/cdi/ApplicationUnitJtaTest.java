package dev.verist.storage.pg.cdi;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;

/** The application's own unit includes {@code META-INF/verist-orm.xml}; the store uses its manager. */
@EnableWeld
class ApplicationUnitJtaTest extends JtaStoreContract {

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
                    .addExtensions(new TransactionExtension())
                    .addBeanClasses(ContainerPgRunStore.class, InvoiceService.class, Units.ApplicationUnit.class))
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
