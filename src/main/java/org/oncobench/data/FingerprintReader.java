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
        if (config.isPrecomputed()) {
            return precomputed(name, file, config, configKey);
        }
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

    /**
     * Fingerprints as a study released them. Rows: {@code id, dim_0, dim_1, ...} (DrEval's documented form). Columns: one
     * column per drug, headed by its id, one row per bit, as DrEval stores {@code pubchem_id_to_demorgan_128_map.csv} and
     * reads it transposed ({@code drevalpy/models/utils.py}, {@code load_drug_fingerprint_features}). {@code auto}: rows
     * when the header has the id column. Either way one drug is one row of the table, bits named {@code dim_<k>} in file order.
     * A drug whose bits are all missing is left out (it then does not join, and is reported), where DrEval would hash one.
     */
    private static FeatureTable precomputed(String name, Path file, FingerprintTableConfig config, String configKey) {
        try (DelimitedFile in = DelimitedFile.open(file)) {
            List<String> header = List.of(in.header());
            boolean rows = switch (config.precomputed()) {
                case "rows" -> true;
                case "columns" -> false;
                default -> header.contains(config.id());
            };
            MatrixReader.FloatBuffer values = new MatrixReader.FloatBuffer(1 << 14);
            List<String> ids = new ArrayList<>();
            List<String> columns = new ArrayList<>();
            if (rows) {
                int idCol = in.column(config.id(), configKey + ".id");
                for (int c = 0; c < header.size(); c++) {
                    if (c != idCol) {
                        columns.add(header.get(c));
                    }
                }
                Set<String> seen = new HashSet<>();
                String[] row;
                while ((row = in.next()) != null) {
                    String id = Ids.normalise(row[idCol]);
                    if (!seen.add(id)) {
                        throw new BadInputException(file + ":" + in.line() + ": duplicated drug id '" + id + "'");
                    }
                    ids.add(id);
                    for (int c = 0; c < row.length; c++) {
                        if (c != idCol) {
                            values.add(in.number(row, c));
                        }
                    }
                }
                return new FeatureTable(name, ids, columns, values.toArray());
            }
            List<float[]> bits = new ArrayList<>();
            String[] row;
            while ((row = in.next()) != null) {
                float[] b = new float[row.length];
                for (int c = 0; c < row.length; c++) {
                    b[c] = MatrixReader.isMissing(row[c]) ? Float.NaN : in.number(row, c);
                }
                bits.add(b);
            }
            if (bits.isEmpty()) {
                throw new BadInputException(file + ": no fingerprint bits after the header (one column per drug, one row per bit)");
            }
            for (int k = 0; k < bits.size(); k++) {
                columns.add("dim_" + k);
            }
            Set<String> seen = new HashSet<>();
            for (int c = 0; c < header.size(); c++) {
                String id = Ids.normalise(header.get(c));
                if (!seen.add(id)) {
                    throw new BadInputException(file + ":1: drug id '" + id + "' heads two columns");
                }
                final int col = c;
                if (bits.stream().allMatch(b -> Float.isNaN(b[col]))) {
                    continue;
                }
                ids.add(id);
                for (float[] b : bits) {
                    if (Float.isNaN(b[c])) {
                        throw new BadInputException(file + ": drug '" + id + "' (column " + (c + 1) + ") has missing bits");
                    }
                    values.add(b[c]);
                }
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
