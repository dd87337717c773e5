package org.oncobench.data.synth;

import java.nio.file.Path;

/** What {@code data synth} wrote: where, how much, and the best scores the noise allows. */
public record SynthResult(Path dir, int cellLines, int drugs, int genes, int responseRows, NoiseCeiling ceiling) {
}
