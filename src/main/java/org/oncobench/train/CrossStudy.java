package org.oncobench.train;

import org.oncobench.data.ExternalStudy;
import org.oncobench.eval.EvaluationReport;
import org.oncobench.eval.Significance;

/**
 * A run's scores on an external study: the evaluation of the model and every baseline on its rows, their bootstrap
 * intervals over its cell lines (null when off), what the join found, and how many rows the split's rule dropped.
 */
public record CrossStudy(String name, EvaluationReport report, Significance significance, ExternalStudy.Report study, int droppedRows) {
}
