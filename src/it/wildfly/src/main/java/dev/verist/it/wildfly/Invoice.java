package dev.verist.it.wildfly;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The application's own entity, written in the same transaction as a workflow step. */
@Entity
@Table(name = "verist_it_invoice")
public class Invoice {

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

    public Invoice(String number, String customer, long amountCents) {
        this.number = number;
        this.customer = customer;
        this.amountCents = amountCents;
    }

    public String getNumber() {
        return number;
    }

    public String getCustomer() {
        return customer;
    }

    public long getAmountCents() {
        return amountCents;
    }
}
