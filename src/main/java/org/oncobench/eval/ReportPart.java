package org.oncobench.eval;

import java.util.List;

/**
 * What one post-training analysis adds to a run's report, in the order the analyses run: a line in the summary under
 * the test metrics (the verdict), a section after them, and charts at the end. {@link RunReport} writes the parts it is
 * given and knows nothing of what they are.
 */
public interface ReportPart {
    /** Markdown for the summary block under the test metrics ("" for none). */
    default String summaryLine() {
        return "";
    }

    /** Markdown of this part's own section, starting with a blank line and its "## " heading ("" for none). */
    default String section() {
        return "";
    }

    /** Charts drawn at the end of the report, in order. */
    default List<Chart> charts() {
        return List.of();
    }

    /** A chart: the PNG file it is saved as, its caption, and the XChart object that draws it. */
    record Chart(String file, String caption, Object chart) {
    }
}
