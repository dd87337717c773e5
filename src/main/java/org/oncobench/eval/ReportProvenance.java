package org.oncobench.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report's last section: where the run's numbers come from, as its provenance.json and run.json record them (the
 * code's commit, versions, backend and host, seeds, the experiment file and the checksum of every input file), so a
 * colleague who receives the report can tell what produced it. Machine- and checkout-specific by nature, it is the one
 * part of report.md a comparison of runs across machines leaves out.
 */
final class ReportProvenance {
    static final String HEADING = "## Provenance";

    private ReportProvenance() {
    }

    /** The section in markdown ("" when the run folder has no provenance.json). */
    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> p, Map<String, Object> run) {
        if (p.isEmpty()) {
            return "";
        }
        List<String[]> rows = new ArrayList<>();
        if (run.get("started") != null) {
            rows.add(new String[]{"started", run.get("started") + (run.get("finished") != null ? " (finished " + run.get("finished") + ")" : "")});
        }
        Map<String, Object> git = map(p.get("git"));
        if (!git.isEmpty()) {
            rows.add(new String[]{"code", "git " + git.get("commit") + (Boolean.TRUE.equals(git.get("dirty")) ? " with uncommitted changes" : " (clean)")});
        }
        Map<String, Object> v = map(p.get("versions"));
        if (!v.isEmpty()) {
            rows.add(new String[]{"versions", "oncobench " + v.get("oncobench") + ", DL4J " + v.get("dl4j") + ", ND4J " + v.get("nd4j")});
        }
        Map<String, Object> b = map(p.get("backend"));
        if (!b.isEmpty()) {
            rows.add(new String[]{"backend", b.get("name") + " on " + b.get("device") + ", " + b.get("data_type") + ", " + b.get("blas") + ", "
                    + b.get("threads") + " thread(s)"});
        }
        Map<String, Object> h = map(p.get("host"));
        if (!h.isEmpty()) {
            rows.add(new String[]{"host", h.get("cores") + " cores, " + h.get("jvm") + ", " + h.get("os")});
        }
        rows.add(new String[]{"seeds", "seed " + p.get("seed") + ", split seed " + p.get("split_seed")});
        if (p.get("experiment_file") != null) {
            rows.add(new String[]{"experiment file", String.valueOf(p.get("experiment_file"))});
        }
        if (p.get("config_hash") != null) {
            rows.add(new String[]{"configuration", "sha256 " + p.get("config_hash") + " (experiment.yaml in the run folder)"});
        }
        map(p.get("inputs")).forEach((file, sum) -> rows.add(new String[]{"input " + Path.of(file).getFileName(), "sha256 " + sum + " (" + file + ")"}));
        StringBuilder sb = new StringBuilder("\n").append(HEADING).append("\n\n| record | value |\n|---|---|\n");
        for (String[] r : rows) {
            sb.append("| ").append(r[0].replace("|", "\\|")).append(" | ").append(r[1].replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
