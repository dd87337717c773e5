/**
 * ONNX export: the trained ComputationGraph with its normaliser, target transform and input schema as an ONNX model
 * (ND4J's {@code onnx.Onnx} protobuf classes), or a refusal naming what it cannot translate. Imports config and model.
 */
package org.oncobench.export.onnx;
