package org.oncobench.data;

import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.SplitFilesConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code split: {kind: files}}: the parts read from split files, IMPROVE's {@code <STUDY>_split_<k>_{train,val,test}.txt}:
 * one 0-based row position into the rows file per line (its data rows, the header not counted), no header; improvelib
 * reads them with {@code np.loadtxt(dtype=int)} and selects {@code df.loc[ids]} on response.tsv's default index
 * ({@code improvelib/utils_app_generic.py}, {@code _get_stage_splits}). Each listed row becomes the cohort row it was
 * read into ({@link Cohort.RowOrigins}); a row listed but not in the cohort (another study, no target, a sample or drug
 * without features) is refused, naming the file, line and why, since the run would otherwise not use the split's rows.
 * Replicate rows of one pair become one cohort row: their listings must agree on the part. Rows no file lists are
 * unused.
 */
public final class SplitFiles {
    private SplitFiles() {
    }

    public static SplitAssignment assign(Cohort cohort, SplitFilesConfig files) {
        Cohort.RowOrigins origins = cohort.origins();
        if (origins == null) {
            throw new BadInputException("split.kind: files needs the rows' positions in their file, which this cohort does not record");
        }
        byte[] parts = new byte[cohort.size()];
        java.util.Arrays.fill(parts, SplitAssignment.UNUSED);
        String[] from = new String[cohort.size()];
        read(files.train(), SplitAssignment.TRAIN, origins, parts, from);
        if (files.validation() != null) {
            read(files.validation(), SplitAssignment.VALIDATION, origins, parts, from);
        }
        read(files.test(), SplitAssignment.TEST, origins, parts, from);
        return new SplitAssignment("files", parts);
    }

    private static void read(String name, byte part, Cohort.RowOrigins origins, byte[] parts, String[] from) {
        Path file = Path.of(name);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the split file (" + e.getMessage() + ")");
        }
        int n = origins.cohortRow().length;
        int listed = 0;
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).trim();
            if (text.isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            int position;
            try {
                double v = Double.parseDouble(text); // np.loadtxt(dtype=int) reads "12" and "12.0" alike
                if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                    throw new NumberFormatException();
                }
                position = (int) v;
            } catch (NumberFormatException e) {
                throw new BadInputException(where + "'" + cut(text) + "' is not a row position" + (listed == 0 ? " (a header line?)" : "")
                        + "; a split file lists one 0-based row position into " + origins.file() + " per line (its first data row is 0), "
                        + "without a header, as IMPROVE's splits/<STUDY>_split_<k>_{train,val,test}.txt do");
            }
            if (position < 0 || position >= n) {
                throw new BadInputException(String.format(Locale.ROOT, "%srow %d is out of range: %s has %d data rows (positions 0 to %d, "
                        + "0-based, the header not counted)", where, position, origins.file(), n, n - 1));
            }
            int row = origins.cohortRow()[position];
            if (row < 0) {
                throw new BadInputException(where + "row " + position + " (line " + (position + 2) + " of " + origins.file() + ") is in no "
                        + "part of the run: " + Cohort.RowOrigins.why(row) + "; a run on a split file uses exactly its rows, so fix the split "
                        + "or the data (data.rows.where, data.rows.missing, the feature tables)");
            }
            if (parts[row] != SplitAssignment.UNUSED && (parts[row] != part || !from[row].equals(name))) {
                throw new BadInputException(where + "row " + position + " is also listed in " + from[row] + " (as "
                        + SplitAssignment.name(parts[row]) + ", or as a replicate of the same pair, which is one row here)");
            }
            parts[row] = part;
            from[row] = name;
            listed++;
        }
        if (listed == 0) {
            throw new BadInputException(file + ": the split file lists no rows");
        }
    }

    private static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
