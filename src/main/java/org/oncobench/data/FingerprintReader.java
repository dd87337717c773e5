package org.oncobench.data;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.fingerprint.CircularFingerprinter;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmilesParser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a drug table (id + SMILES) and turns each SMILES into a Morgan/ECFP bit fingerprint with CDK's
 * {@link CircularFingerprinter}: radius r gives ECFP(2r), folded to the configured number of bits.
 */
public final class FingerprintReader {

    public FeatureTable read(String name, FingerprintTableConfig config, String configKey) {
        Path file = Path.of(config.file());
        SmilesParser parser = new SmilesParser(SilentChemObjectBuilder.getInstance());
        CircularFingerprinter fingerprinter = new CircularFingerprinter(ecfpClass(config.radius()), config.bits());
        try (DelimitedFile in = DelimitedFile.open(file)) {
            int idCol = in.column(config.id(), configKey + ".id");
            int smilesCol = in.column(config.smiles(), configKey + ".smiles");
            List<String> ids = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            MatrixReader.FloatBuffer values = new MatrixReader.FloatBuffer(1 << 14);
            String[] row;
            while ((row = in.next()) != null) {
                String id = Ids.normalise(row[idCol]);
                String smiles = row[smilesCol].trim();
                if (!seen.add(id)) {
                    throw new BadInputException(file + ":" + in.line() + ": duplicated drug id '" + id + "'");
                }
                if (smiles.isEmpty()) {
                    throw new BadInputException(file + ":" + in.line() + ": drug '" + id + "' has no SMILES in column '" + config.smiles() + "'");
                }
                float[] bits;
                try {
                    bits = fingerprint(parser, fingerprinter, smiles, config.bits());
                } catch (CDKException | RuntimeException e) {
                    throw new BadInputException(file + ":" + in.line() + ": drug '" + id + "': cannot parse SMILES '" + smiles + "' ("
                            + e.getMessage() + ")");
                }
                ids.add(id);
                for (float b : bits) {
                    values.add(b);
                }
            }
            if (ids.isEmpty()) {
                throw new BadInputException(file + ": no drugs after the header");
            }
            List<String> columns = new ArrayList<>(config.bits());
            for (int b = 0; b < config.bits(); b++) {
                columns.add("ecfp" + (2 * config.radius()) + "_" + b);
            }
            return new FeatureTable(name, ids, columns, values.toArray());
        }
    }

    /** One SMILES to its folded ECFP bits (0/1), exactly as in training. */
    static float[] fingerprint(SmilesParser parser, CircularFingerprinter fingerprinter, String smiles, int bits) throws CDKException {
        IAtomContainer mol = parser.parseSmiles(smiles);
        BitSet set = fingerprinter.getBitFingerprint(mol).asBitSet();
        float[] out = new float[bits];
        for (int b = 0; b < bits; b++) {
            out[b] = set.get(b) ? 1f : 0f;
        }
        return out;
    }

    /** Fingerprints for one table's settings, reusable across many SMILES (not thread-safe: one per thread). */
    public static java.util.function.Function<String, float[]> fingerprinter(int radius, int bits) {
        SmilesParser parser = new SmilesParser(SilentChemObjectBuilder.getInstance());
        CircularFingerprinter fingerprinter = new CircularFingerprinter(ecfpClass(radius), bits);
        return smiles -> {
            try {
                return fingerprint(parser, fingerprinter, smiles, bits);
            } catch (CDKException e) {
                throw new BadInputException("cannot parse SMILES '" + smiles + "' (" + e.getMessage() + ")");
            }
        };
    }

    static int ecfpClass(int radius) {
        return switch (radius) {
            case 0 -> CircularFingerprinter.CLASS_ECFP0;
            case 1 -> CircularFingerprinter.CLASS_ECFP2;
            case 2 -> CircularFingerprinter.CLASS_ECFP4;
            case 3 -> CircularFingerprinter.CLASS_ECFP6;
            default -> throw new IllegalArgumentException("radius " + radius + " is not in 0..3");
        };
    }
}
