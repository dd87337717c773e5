package org.oncobench.explain;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Inverted dropout whose mask for each row of a batch is drawn from that row's own seed (and the pass and the layer),
 * never from a generator shared by the batch: a row gets the same Monte Carlo dropout passes whichever rows it is
 * scored with. Keeps each activation with probability {@code keep} and scales kept ones by 1 / keep, as DL4J's
 * {@code Dropout}. Used only by {@link McDropout}'s sampling copy of a trained network, which sets the row seeds and the
 * pass on the shared {@link Passes} before each forward pass; it never trains (no backward pass).
 */
final class RowSeededDropout implements IDropout {
    /** What the current forward pass is: the seed of each row of the batch and the pass number. Owned by one sampler. */
    static final class Passes {
        private long[] rowSeeds = new long[0];
        private int pass;

        void set(long[] seeds, int passNumber) {
            this.rowSeeds = seeds;
            this.pass = passNumber;
        }
    }

    private final double keep;
    private final long layerSalt;
    private final Passes passes;

    RowSeededDropout(double keep, long layerSalt, Passes passes) {
        this.keep = keep;
        this.layerSalt = layerSalt;
        this.passes = passes;
    }

    @Override
    public INDArray applyDropout(INDArray inputActivations, INDArray result, int iteration, int epoch, LayerWorkspaceMgr workspaceMgr) {
        long rows = inputActivations.size(0);
        if (rows != passes.rowSeeds.length) {
            throw new IllegalStateException("row-seeded dropout: " + rows + " rows but " + passes.rowSeeds.length + " row seeds");
        }
        int perRow = (int) (inputActivations.length() / Math.max(1, rows));
        double[] values = inputActivations.dup('c').data().asDouble();
        for (int r = 0; r < rows; r++) {
            SplittableRandom random = new SplittableRandom(McDropout.mix(passes.rowSeeds[r], passes.pass, layerSalt));
            int offset = r * perRow;
            for (int j = 0; j < perRow; j++) {
                values[offset + j] = random.nextDouble() < keep ? values[offset + j] / keep : 0;
            }
        }
        INDArray masked = Nd4j.create(values, inputActivations.shape(), 'c').castTo(inputActivations.dataType() == DataType.DOUBLE
                ? DataType.DOUBLE : inputActivations.dataType());
        result.assign(masked);
        return result;
    }

    @Override
    public INDArray backprop(INDArray gradient, INDArray gradAtInput, int iteration, int epoch) {
        throw new UnsupportedOperationException("row-seeded dropout samples predictions; it does not train");
    }

    @Override
    public void clear() {
        // no mask is kept between calls
    }

    @Override
    public IDropout clone() {
        return new RowSeededDropout(keep, layerSalt, passes); // DL4J clones configurations: the copy shares the sampler's passes
    }
}
