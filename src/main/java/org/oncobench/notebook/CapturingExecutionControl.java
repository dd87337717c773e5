package org.oncobench.notebook;

import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JShell's local execution (snippets run in this JVM, on its class path), keeping each snippet's value as an object:
 * JShell itself only returns a value's text, and a notebook wants to draw a chart or a table from the object. The
 * value handed back to JShell is a key into {@link #values()}. Snippets run on one thread of their own, which
 * {@link #stop()} interrupts.
 */
final class CapturingExecutionControl extends LocalExecutionControl {
    static final String KEY_PREFIX = "oncobench-value-";
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "oncobench-notebook-cell");
        t.setDaemon(true);
        return t;
    });
    private volatile Future<?> running;

    Map<String, Object> values() {
        return values;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Future<Object> f = runner.submit(() -> doitMethod.invoke(null));
        running = f;
        Object value;
        try {
            value = f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e.getCause();
            throw userException(cause);
        } catch (java.util.concurrent.CancellationException e) {
            throw new ExecutionControl.StoppedException();
        } finally {
            running = null;
        }
        String key = KEY_PREFIX + counter.incrementAndGet();
        if (value != null) {
            values.put(key, value);
        }
        return key;
    }

    private static ExecutionControl.UserException userException(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage();
        Throwable cause = t.getCause();
        while (cause != null && cause != t) { // the causes' messages help in a notebook, where the log is out of sight
            if (cause.getMessage() != null && !message.contains(cause.getMessage())) {
                message = message + "; caused by " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
            t = cause;
            cause = cause.getCause();
        }
        ExecutionControl.UserException u = new ExecutionControl.UserException(message, t.getClass().getName(), t.getStackTrace());
        return u;
    }

    @Override
    public void stop() {
        Future<?> f = running;
        if (f != null) {
            f.cancel(true);
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
        super.close();
    }

    /** Provides the control to JShell's builder. */
    static final class Provider implements ExecutionControlProvider {
        private CapturingExecutionControl last;

        @Override
        public String name() {
            return "oncobench-local";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            last = new CapturingExecutionControl();
            return last;
        }

        CapturingExecutionControl control() {
            return last;
        }
    }
}
