package org.oncobench.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.util.Collection;

/** What oncobench's layer configurations ({@link LeanDenseLayer}, {@link LeanConvolutionLayer}, {@link LeanSubsamplingLayer}) share with DL4J's. */
final class CustomLayers {
    private CustomLayers() {
    }

    /**
     * A built DL4J layer configuration with every setting kept, as the subclass {@code type}: copied through DL4J's own
     * JSON mapper (the layers' builders have private constructors).
     */
    static <T extends org.deeplearning4j.nn.conf.layers.Layer> T copyAs(org.deeplearning4j.nn.conf.layers.Layer stock, Class<T> type) {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode tree = mapper.valueToTree(stock);
        tree.put("@class", type.getName());
        try {
            return mapper.treeToValue(tree, type);
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("copying a " + stock.getClass().getSimpleName() + " configuration", e);
        }
    }

    /** What DL4J's {@code instantiate} does with a new layer: listeners, index, parameter views, configuration. */
    static <L extends Layer> L wire(L layer, org.deeplearning4j.nn.conf.layers.Layer config, NeuralNetConfiguration conf,
                                    Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(config.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
