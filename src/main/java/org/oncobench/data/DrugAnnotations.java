package org.oncobench.data;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.DataConfig;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a drug is, for people reading a report: its name and putative target where the experiment's files say so. GDSC's
 * drug table and its fitted dose-response file both carry {@code DRUG_NAME} and {@code PUTATIVE_TARGET} beside
 * {@code DRUG_ID}; the drug tables ({@code data.drugs.*}, read by their configured id column) are read first, then the
 * response rows ({@code data.rows}, by the configured drug column) for drugs they do not name. Files without those columns
 * give nothing; a drug neither names is simply unnamed. Ids are normalised as every reader does ({@link Ids}).
 */
public record DrugAnnotations(Map<String, Drug> drugs) {
    public static final DrugAnnotations NONE = new DrugAnnotations(Map.of());
    static final List<String> NAME_COLUMNS = List.of("DRUG_NAME", "drug_name", "name");
    static final List<String> TARGET_COLUMNS = List.of("PUTATIVE_TARGET", "putative_target", "target", "targets");

    /** One drug's name and target ("" when its file leaves them empty). */
    public record Drug(String name, String target) {
    }

    public DrugAnnotations {
        drugs = Map.copyOf(drugs);
    }

    public Drug of(String id) {
        return drugs.get(id);
    }

    public boolean isEmpty() {
        return drugs.isEmpty();
    }

    /** The names and targets the experiment's drug tables and response rows carry (none when it has no drug column). */
    public static DrugAnnotations read(DataConfig data) {
        Map<String, Drug> out = new LinkedHashMap<>();
        if (data.drugs() != null) {
            for (FingerprintTableConfig t : data.drugs().values()) {
                if (t.file() != null && !t.isPrecomputed()) {
                    readInto(Path.of(t.file()), t.id(), out);
                }
            }
        }
        if (data.rows() != null && data.rows().drug() != null && data.rows().file() != null) {
            readInto(Path.of(data.rows().file()), data.rows().drug(), out);
        }
        return new DrugAnnotations(out);
    }

    /** Adds the drugs of one file that are not named yet; nothing when the file lacks the id or the name column. */
    static void readInto(Path file, String idColumn, Map<String, Drug> out) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (DelimitedFile in = DelimitedFile.open(file)) {
            List<String> header = List.of(in.header());
            int id = header.indexOf(idColumn);
            int name = first(header, NAME_COLUMNS);
            int target = first(header, TARGET_COLUMNS);
            if (id < 0 || name < 0 && target < 0) {
                return;
            }
            String[] row;
            while ((row = in.next()) != null) {
                String key = Ids.normalise(row[id]);
                if (!key.isEmpty() && !out.containsKey(key)) {
                    out.put(key, new Drug(name < 0 ? "" : row[name].trim(), target < 0 ? "" : row[target].trim()));
                }
            }
        } catch (BadInputException e) {
            // the readers that trained the model read this file already; a label is not worth failing a report for
        }
    }

    private static int first(List<String> header, List<String> names) {
        List<Integer> found = new ArrayList<>();
        for (String n : names) {
            int i = header.indexOf(n);
            if (i >= 0) {
                found.add(i);
            }
        }
        return found.isEmpty() ? -1 : found.get(0);
    }
}
