package org.oncobench.data;

import org.oncobench.config.BadInputException;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads two columns of a table as an id map: e.g. DepMap Model.csv COSMICID to ModelID, or ModelID to
 * OncotreeLineage. Rows with an empty key or value are skipped (Model.csv leaves COSMICID empty for many models);
 * a key mapped to two different values is refused.
 */
public final class KeyValueReader {

    public Map<String, String> read(Path file, String keyColumn, String valueColumn, String configKey) {
        try (DelimitedFile in = DelimitedFile.open(file)) {
            int k = in.column(keyColumn, configKey);
            int v = in.column(valueColumn, configKey);
            Map<String, String> out = new HashMap<>();
            String[] row;
            while ((row = in.next()) != null) {
                String key = Ids.normalise(row[k]);
                String value = row[v].trim();
                if (key.isEmpty() || value.isEmpty()) {
                    continue;
                }
                String old = out.put(key, Ids.normalise(value));
                if (old != null && !old.equals(Ids.normalise(value))) {
                    throw new BadInputException(file + ":" + in.line() + ": '" + key + "' in column '" + keyColumn
                            + "' maps to both '" + old + "' and '" + value + "'");
                }
            }
            return out;
        }
    }
}
