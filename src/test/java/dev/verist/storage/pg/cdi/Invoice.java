package dev.verist.storage.pg.cdi;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The application's own entity, written in the same transaction as the store's commits. */
@Entity
@Table(name = "app_invoice")
public class Invoice {

    @Id
    private String number;

    private int amount;

    protected Invoice() {
    }

    public Invoice(String number, int amount) {
        this.number = number;
        this.amount = amount;
    }

    public String getNumber() {
        return number;
    }

    public int getAmount() {
        return amount;
    }
}
