package org.oncobench.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Huber loss (quadratic within {@code delta} of the label, linear beyond), robust to outlying responses such as
 * failed curve fits. ND4J 1.0.0-M2.1 has no Huber ILossFunction, so this is one, with its analytic gradient.
 */
public final class LossHuber implements ILossFunction {
    private double delta = 1.0;

    public LossHuber() {
    }

    public LossHuber(double delta) {
        this.delta = delta;
    }

    public double getDelta() {
        return delta;
    }

    public void setDelta(double delta) {
        this.delta = delta;
    }

    private INDArray scoreArray(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask) {
        INDArray output = activation.getActivation(preOutput.dup(), true);
        INDArray diff = output.sub(labels);
        INDArray abs = Transforms.abs(diff, true);
        INDArray quadratic = diff.mul(diff).muli(0.5);
        INDArray linear = abs.sub(0.5 * delta).muli(delta);
        INDArray small = abs.lte(delta).castTo(diff.dataType());
        INDArray score = quadratic.mul(small).addi(linear.mul(small.rsub(1.0)));
        if (mask != null) {
            score.muliColumnVector(mask.castTo(score.dataType()));
        }
        return score;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = scoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / labels.size(0) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return scoreArray(labels, preOutput, activationFn, mask).sum(true, 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        INDArray diff = output.sub(labels);
        INDArray dLdOut = Transforms.min(Transforms.max(diff, -delta, true), delta, false);
        if (mask != null) {
            dLdOut.muliColumnVector(mask.castTo(dLdOut.dataType()));
        }
        return activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                                          boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average), computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "LossHuber(delta=" + delta + ")";
    }

    @Override
    public String toString() {
        return name();
    }

}
