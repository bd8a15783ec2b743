/**
 * The transaction-interplay contract, written once and run wherever the store joins a JTA transaction: in Java SE
 * (Weld, Narayana, Agroal), in WildFly and in Payara. {@link dev.verist.storage.pg.interplay.TransactionInterplayContract}
 * holds the tests; the application they drive ({@link dev.verist.storage.pg.interplay.Invoice}, the workflow beans)
 * and {@link dev.verist.storage.pg.interplay.CommittedRows} travel with it.
 *
 * <p>This package alone is packed into the library's test-jar, which the suites in {@code src/it} depend on and
 * put into their deployments. It depends on the library, the Jakarta EE APIs, JUnit 5, AssertJ and JDBC only.
 */
package dev.verist.storage.pg.interplay;
