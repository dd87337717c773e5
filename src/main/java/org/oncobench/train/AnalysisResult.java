package org.oncobench.train;

import org.oncobench.eval.ReportPart;

/**
 * A post-training analysis's typed, immutable result: what metrics.json holds under the analysis's key, what the console
 * summary prints, and (as a {@link ReportPart}) what the report shows. The runner, the metrics writer, the console table
 * and the report read these and nothing else of the analyses.
 */
public interface AnalysisResult extends ReportPart {
    /** The value metrics.json holds under the analysis's key (written by Jackson). */
    Object json();

    /** The console summary's lines for this result, each ending in a line separator ("" for none). */
    default String console() {
        return "";
    }
}
