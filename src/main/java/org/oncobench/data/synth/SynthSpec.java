package org.oncobench.data.synth;

import org.oncobench.config.BadInputException;

/** Size and seed of a synthetic cohort. */
public record SynthSpec(int cellLines, int drugs, int genes, long seed, int tilesPerCellLine, int tileSize) {
    public static final int MIN_GENES = SyntheticCohortGenerator.TARGETS.length + 8;

    public SynthSpec {
        if (cellLines < 10 || cellLines > 100_000) {
            throw new BadInputException("--cell-lines " + cellLines + " is out of range; allowed: 10 to 100000");
        }
        if (drugs < 2 || drugs > 10_000) {
            throw new BadInputException("--drugs " + drugs + " is out of range; allowed: 2 to 10000");
        }
        if (genes < MIN_GENES || genes > 100_000) {
            throw new BadInputException("--genes " + genes + " is out of range; allowed: " + MIN_GENES + " to 100000");
        }
        if (tilesPerCellLine < 0 || tilesPerCellLine > 16) {
            throw new BadInputException("--tiles " + tilesPerCellLine + " is out of range; allowed: 0 to 16");
        }
        if (tileSize < 8 || tileSize > 512) {
            throw new BadInputException("--tile-size " + tileSize + " is out of range; allowed: 8 to 512");
        }
    }
}
