package dev.verist.storage.pg.interplay;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The application's own entity, written in the same transaction as a workflow step. */
@Entity
@Table(name = Invoice.TABLE)
public class Invoice {

    /** The table this entity maps, in every environment. */
    public static final String TABLE = "verist_it_invoice";

    /** Creates {@value #TABLE} in the connection's current schema unless it exists. */
    public static final String CREATE_TABLE = """
            CREATE TABLE IF NOT EXISTS verist_it_invoice (
                number       TEXT   NOT NULL PRIMARY KEY,
                customer     TEXT   NOT NULL,
                amount_cents BIGINT NOT NULL
            )""";

    @Id
    @Column(name = "number", nullable = false)
    private String number;

    @Column(name = "customer", nullable = false)
    private String customer;

    @Column(name = "amount_cents", nullable = false)
    private long amountCents;

    /** For JPA. */
    protected Invoice() {
    }

    /** An invoice not yet persisted. */
    public Invoice(String number, String customer, long amountCents) {
        this.number = number;
        this.customer = customer;
        this.amountCents = amountCents;
    }

    /** The invoice number, its key. */
    public String getNumber() {
        return number;
    }

    /** Whom it bills. */
    public String getCustomer() {
        return customer;
    }

    /** The amount in cents. */
    public long getAmountCents() {
        return amountCents;
    }
}
