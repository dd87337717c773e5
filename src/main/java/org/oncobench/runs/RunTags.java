package org.oncobench.runs;

import java.util.Map;

/**
 * What a run belongs to, recorded in its run.json: a run group (one experiment over seeds), a study and the trial's
 * parameters. Every part may be null.
 */
public record RunTags(String group, String study, Map<String, Object> params) {
    public static final RunTags NONE = new RunTags(null, null, null);

    public static RunTags group(String group) {
        return new RunTags(group, null, null);
    }
}
