package dev.verist.it.payara.app;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The application's own entity, written in the same transaction as the store's commit. */
@Entity
@Table(name = "invoice")
public class Invoice {

    @Id
    private String id;

    @Column(nullable = false)
    private String customer;

    @Column(name = "amount_cents", nullable = false)
    private long amountCents;

    /** For JPA. */
    protected Invoice() {
    }

    public Invoice(String id, String customer, long amountCents) {
        this.id = id;
        this.customer = customer;
        this.amountCents = amountCents;
    }

    public String getId() {
        return id;
    }

    public String getCustomer() {
        return customer;
    }

    public long getAmountCents() {
        return amountCents;
    }
}
