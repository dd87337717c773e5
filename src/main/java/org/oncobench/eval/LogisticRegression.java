package org.oncobench.eval;

import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.oncobench.data.Cohort;
import org.oncobench.data.FittedTransforms;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * L2-regularised logistic regression on exactly the model's inputs (the prepared, standardised tables, concatenated):
 * a DL4J softmax layer with L2 and the network's class weights, trained full-batch with L-BFGS.
 */
public final class LogisticRegression {
    private final MultiLayerNetwork net;
    private final double l2;

    private LogisticRegression(MultiLayerNetwork net, double l2) {
        this.net = net;
        this.l2 = l2;
    }

    public static LogisticRegression fit(Cohort prepared, int[] trainRows, FittedTransforms transforms, double l2, long seed) {
        int p = prepared.inputWidth();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .optimizationAlgo(OptimizationAlgorithm.LBFGS)
                .weightInit(WeightInit.XAVIER)
                .l2(l2)
                .list()
                .layer(new OutputLayer.Builder(new LossMCXENT(Nd4j.create(transforms.classWeights()).castTo(DataType.FLOAT).reshape(1, 2)))
                        .nIn(p).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        INDArray x = RidgeRegression.features(prepared, trainRows, 0, trainRows.length).castTo(DataType.FLOAT);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, trainRows.length, 2);
        for (int i = 0; i < trainRows.length; i++) {
            labels.putScalar(i, prepared.targets()[trainRows[i]] > 0.5f ? 1 : 0, 1f);
        }
        DataSet all = new DataSet(x, labels);
        for (int i = 0; i < 20; i++) {
            net.fit(all);
        }
        return new LogisticRegression(net, l2);
    }

    /** Positive-class probabilities for any rows. */
    public double[] predict(Cohort prepared, int[] rows) {
        INDArray prob = net.output(RidgeRegression.features(prepared, rows, 0, rows.length).castTo(DataType.FLOAT), false);
        double[] out = new double[rows.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = prob.getDouble(i, 1);
        }
        return out;
    }

    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("l2", l2);
        return m;
    }
}
