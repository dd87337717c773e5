package org.oncobench.notebook;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import org.oncobench.model.NativeSetup;

import java.nio.file.Files;
import java.nio.file.Path;

/** Jupyter starts the kernel as {@code java ... org.oncobench.notebook.KernelMain CONNECTION_FILE} (see {@link KernelSpec}). */
public final class KernelMain {
    /** Held so the setting stays: the base kernel logs every message at INFO through java.util.logging. */
    private static final java.util.logging.Logger PROTOCOL_LOG = java.util.logging.Logger.getLogger("io.github.spencerpark");

    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: KernelMain CONNECTION_FILE (Jupyter passes it; see kernel.json)");
        }
        System.setProperty("java.awt.headless", "true");
        PROTOCOL_LOG.setLevel(java.util.logging.Level.WARNING);
        NativeSetup.apply();
        KernelConnectionProperties connection = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection jupyter = new JupyterConnection(connection);
        OncobenchKernel kernel = new OncobenchKernel();
        kernel.becomeHandlerForConnection(jupyter);
        jupyter.connect();
        jupyter.waitUntilClose();
    }
}
