package org.oncobench.data;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.RowsConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the response rows (e.g. GDSC fitted dose response: COSMIC_ID, DRUG_ID, LN_IC50). */
public final class ResponseReader {

    public ResponseRows read(RowsConfig rows) {
        Path file = Path.of(rows.file());
        try (DelimitedFile in = DelimitedFile.open(file)) {
            int sampleCol = in.column(rows.sample(), "data.rows.sample");
            int drugCol = rows.hasDrug() ? in.column(rows.drug(), "data.rows.drug") : -1;
            int targetCol = in.column(rows.target(), "data.rows.target");
            List<String> samples = new ArrayList<>();
            List<String> drugs = rows.hasDrug() ? new ArrayList<>() : null;
            MatrixReader.FloatBuffer targets = new MatrixReader.FloatBuffer(1 << 14);
            String[] row;
            while ((row = in.next()) != null) {
                String sample = Ids.normalise(row[sampleCol]);
                if (sample.isEmpty()) {
                    throw new BadInputException(file + ":" + in.line() + ": empty sample id in column '" + rows.sample() + "'");
                }
                samples.add(sample);
                if (drugs != null) {
                    String drug = Ids.normalise(row[drugCol]);
                    if (drug.isEmpty()) {
                        throw new BadInputException(file + ":" + in.line() + ": empty drug id in column '" + rows.drug() + "'");
                    }
                    drugs.add(drug);
                }
                targets.add(in.number(row, targetCol));
            }
            if (samples.isEmpty()) {
                throw new BadInputException(file + ": no data rows after the header");
            }
            return new ResponseRows(samples, drugs, targets.toArray());
        }
    }
}
