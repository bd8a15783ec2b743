package dev.verist.storage.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Deeply nested JSON values for the nesting-limit tests, built without recursion, and a small-stack runner. */
public final class DeepValues {

    private DeepValues() {
    }

    /** {@code depth} nested lists around the number 1. */
    public static Object nestedLists(int depth) {
        return nestedLists(depth, 1);
    }

    /** {@code depth} nested lists around {@code bottom}. */
    public static Object nestedLists(int depth, Object bottom) {
        Object value = bottom;
        for (int i = 0; i < depth; i++) {
            List<Object> list = new ArrayList<>(1);
            list.add(value);
            value = list;
        }
        return value;
    }

    /** What {@code call} throws (a StackOverflowError included) on a thread with a 512 KB stack, or null. */
    public static Throwable onSmallStack(Runnable call) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                call.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "small-stack", 512 * 1024);
        thread.start();
        thread.join();
        return thrown.get();
    }
}
