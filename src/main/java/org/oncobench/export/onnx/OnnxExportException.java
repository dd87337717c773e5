package org.oncobench.export.onnx;

import org.oncobench.config.BadInputException;

/**
 * A model the ONNX exporter refuses, with the reason: a layer, vertex, activation or setting it does not translate.
 * Refused rather than exported approximately; the bundle's DL4J model still serves it. Exit code 2 on the CLI.
 */
public final class OnnxExportException extends BadInputException {
    public OnnxExportException(String message) {
        super(message);
    }
}
