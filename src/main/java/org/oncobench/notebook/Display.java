package org.oncobench.notebook;

import java.util.function.Consumer;

/**
 * The bridge from a cell to the kernel: {@code display(x)} in a cell calls {@link #show}, which hands the object to the
 * kernel that evaluates the cell (cells and kernel share this class: JShell runs them in the kernel's JVM). One
 * kernel per JVM, so one sink; outside a kernel, objects are printed.
 */
public final class Display {
    private static volatile Consumer<Object> sink = o -> System.out.println(o);

    private Display() {
    }

    public static void show(Object value) {
        sink.accept(value);
    }

    static void sendTo(Consumer<Object> kernel) {
        sink = kernel;
    }
}
