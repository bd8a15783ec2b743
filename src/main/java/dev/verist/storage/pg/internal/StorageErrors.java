package dev.verist.storage.pg.internal;

import dev.verist.storage.StorageException;

/**
 * Turns every failure that is not already a {@link StorageException} (driver, JPA and Hibernate exceptions:
 * a lost connection, a timeout, a restarted database) into a connection error that keeps the cause.
 */
final class StorageErrors {

    private StorageErrors() {
    }

    static StorageException translate(RuntimeException failure, String operation) {
        if (failure instanceof StorageException storage) {
            return storage;
        }
        return new StorageException(operation + " failed: " + rootMessage(failure), failure);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
