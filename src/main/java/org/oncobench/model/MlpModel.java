package org.oncobench.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.oncobench.config.ExperimentConfig.ModelConfig;

/**
 * A multilayer perceptron on the concatenated inputs (sample tables, then drug fingerprints). Regression: a linear
 * head on mean squared error. Classification: a two-way softmax on class-weighted cross-entropy. Dropout applies to
 * the hidden activations.
 */
public final class MlpModel implements NetworkBuilder {

    @Override
    public MultiLayerNetwork build(ModelSpec spec) {
        ModelConfig m = spec.model();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(Layers.updater(spec.optimizer()))
                .weightInit(WeightInit.RELU)
                .l2(m.l2())
                .list();
        int in = spec.inputWidth();
        double retain = 1.0 - m.dropout();
        for (int i = 0; i < m.hidden().size(); i++) {
            DenseLayer.Builder layer = new DenseLayer.Builder().nIn(in).nOut(m.hidden().get(i)).activation(Layers.activation(m.activation()));
            if (i > 0 && m.dropout() > 0) {
                layer.dropOut(retain); // DL4J takes the probability of keeping an activation
            }
            list.layer(layer.build());
            in = m.hidden().get(i);
        }
        OutputLayer.Builder out = spec.classification()
                ? new OutputLayer.Builder(new LossMCXENT(Nd4j.create(spec.classWeights()).castTo(DataType.FLOAT).reshape(1, 2)))
                        .nIn(in).nOut(2).activation(Activation.SOFTMAX)
                : new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(in).nOut(1).activation(Activation.IDENTITY);
        out.weightInit(WeightInit.XAVIER);
        if (!m.hidden().isEmpty() && m.dropout() > 0) {
            out.dropOut(retain);
        }
        list.layer(out.build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(InputType.feedForward(spec.inputWidth())).build());
        net.init();
        return net;
    }
}
