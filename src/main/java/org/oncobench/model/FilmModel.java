package org.oncobench.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

import java.util.List;
import java.util.Map;

/**
 * A drug-conditioned pair network (FiLM, Perez et al. 2018): a drug branch ({@code model.branch_hidden} dense layers over
 * the fingerprints) gives a representation d; the sample branch (the same sizes, over all per-sample inputs) modulates
 * each of its layers' pre-activations z as (1 + W_g d) * z + W_b d, per unit, before the activation; then the dense head
 * ({@code model.hidden}) and the output. The drug reaches the head only through the modulation. Built from DL4J's own
 * vertices (ElementWiseVertex product and add, ShiftVertex), so the graph saves and loads with ModelSerializer.
 */
public final class FilmModel implements NetworkBuilder {
    @Override
    public ComputationGraphConfiguration configure(ModelSpec spec) {
        InputSpec.Sides sides = InputSpec.Sides.of(spec.inputs(), "film");
        List<String> samples = sides.samples();
        List<String> drugs = sides.drugs();
        GraphAssembler g = new GraphAssembler(spec, Map.of());
        List<Integer> sizes = spec.model().branchHidden();
        String drug = g.dense(g.merge(drugs), sizes, false);
        String sample = g.film(g.merge(samples), drug, sizes, false);
        String head = g.dense(sample, spec.model().hidden(), !sizes.isEmpty());
        return g.configuration(head, !sizes.isEmpty() || !spec.model().hidden().isEmpty());
    }
}
