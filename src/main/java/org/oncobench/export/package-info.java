/**
 * Export for production teams: the verifiable model bundle (writer and reader with a SHA-256 manifest), the model as
 * ONNX ({@code onnx/}), the model card, the {@link org.oncobench.export.Predictor} over domain inputs, batch scoring and
 * the REST service with the Open Inference Protocol beside its own API. Imports config, data, model, eval, explain and runs.
 */
package org.oncobench.export;
