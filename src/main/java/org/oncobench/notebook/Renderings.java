package org.oncobench.notebook;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.oncobench.api.HtmlDisplayable;
import org.oncobench.api.Table;
import org.oncobench.api.Workbench;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.train.RunResult;
import org.oncobench.train.SummaryTable;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * How a cell's value is shown: images and XChart charts as inline PNG, oncobench's tables, runs and comparisons as
 * HTML, a finished run (what {@code Experiment.run} returns) as the summary the CLI prints beside its metrics table,
 * and anything else as text.
 */
final class Renderings {
    private Renderings() {
    }

    static DisplayData render(Object value) {
        if (value instanceof BufferedImage image) {
            return png(image);
        }
        if (value instanceof Chart<?, ?> chart) {
            return png(BitmapEncoder.getBufferedImage(chart));
        }
        if (value instanceof RunResult result) {
            return runResult(result);
        }
        if (value instanceof HtmlDisplayable html) {
            DisplayData d = new DisplayData(String.valueOf(html));
            d.putHTML(html.toHtml());
            return d;
        }
        if (value instanceof Record || value instanceof java.util.Collection<?> c && !c.isEmpty() && c.stream().allMatch(o -> o instanceof Record)) {
            return render(records(value));
        }
        return new DisplayData(String.valueOf(value));
    }

    /** A record, or a list of records (predictions, an export's result), as a table of their components. */
    static Table records(Object value) {
        List<?> items = value instanceof java.util.Collection<?> c ? List.copyOf(c) : List.of(value);
        List<java.util.Map<String, Object>> rows = new java.util.ArrayList<>();
        for (Object item : items) {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            for (java.lang.reflect.RecordComponent rc : item.getClass().getRecordComponents()) {
                try {
                    Object v = rc.getAccessor().invoke(item);
                    row.put(rc.getName(), v instanceof Number || v == null ? v : v instanceof java.util.Map<?, ?> m ? m.size() + " entries" : String.valueOf(v));
                } catch (ReflectiveOperationException e) {
                    row.put(rc.getName(), "?");
                }
            }
            rows.add(row);
        }
        return Table.of(items.get(0).getClass().getSimpleName() + (items.size() == 1 ? "" : "s"), rows);
    }

    static DisplayData png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DisplayData d = new DisplayData("[image " + image.getWidth() + " x " + image.getHeight() + "]");
        d.putData("image/png", Base64.getEncoder().encodeToString(bytes.toByteArray()));
        return d;
    }

    private static DisplayData runResult(RunResult result) {
        String summary = SummaryTable.render(new ExperimentLoader().load(result.dir().resolve("experiment.yaml"), List.of()).config(), result);
        DisplayData d = new DisplayData(summary);
        String html = "<pre>" + escape(summary) + "</pre>";
        try {
            html += Workbench.open(result.dir().getParent()).run(result.runId()).metrics().toHtml();
        } catch (RuntimeException e) {
            // the summary says it all when the metrics table cannot be read
        }
        d.putHTML(html);
        return d;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
