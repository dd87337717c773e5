package org.oncobench.eval;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * report.html: the report's markdown rendered by commonmark (GitHub tables, their column alignment included), as one
 * self-contained page a researcher can mail to a colleague: the styles inline, every chart embedded as a {@code data:}
 * URI, no script and no address outside the file. The verdict paragraph is set apart and coloured by its outcome; wide
 * tables scroll inside their box instead of widening the page.
 */
final class ReportHtml {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    static final String STYLE = String.join("",
            "body{font-family:-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;max-width:1180px;margin:0 auto;padding:24px 32px;",
            "color:#1f2933;background:#fff;line-height:1.45;font-size:15px}",
            "h1{font-size:1.6em;margin:0 0 .6em;padding-bottom:.3em;border-bottom:3px solid #2f6fb3}",
            "h2{font-size:1.2em;margin:2em 0 .6em;padding-bottom:.2em;border-bottom:1px solid #d5dde5;color:#173a5e}",
            ".table-wrap{overflow-x:auto;margin:.8em 0 1.2em;border:1px solid #d5dde5;border-radius:6px;max-width:100%;width:max-content}",
            "table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums}",
            "th{background:#eef3f8;color:#173a5e;font-weight:600;text-align:left;position:sticky;top:0}",
            "td,th{padding:5px 10px;border-bottom:1px solid #e6ebf0;vertical-align:top}",
            "th,td[align]{white-space:nowrap}td{overflow-wrap:anywhere}",
            "tr:nth-child(even) td{background:#f8fafc}",
            "td[align=right],th[align=right]{text-align:right}",
            "p{margin:.6em 0}",
            "p.verdict{font-size:1.05em;padding:12px 16px;border-radius:6px;border-left:6px solid #8a99a8;background:#f1f4f7}",
            "p.verdict.beats{border-color:#2e8540;background:#eaf6ec}",
            "p.verdict.not_shown{border-color:#c98a00;background:#fdf6e3}",
            "p.verdict.worse{border-color:#c0392b;background:#fbecea}",
            "figure{margin:1.2em 0;padding:12px;border:1px solid #e6ebf0;border-radius:6px;display:inline-block;max-width:100%;box-sizing:border-box}",
            "figure img{max-width:100%;height:auto;display:block}",
            "figcaption{font-size:13px;color:#52606d;margin-top:6px}",
            "footer{margin-top:3em;font-size:12px;color:#7b8794}");

    private ReportHtml() {
    }

    /** The page of a run's report; the charts named in the markdown are read from {@code dir} and embedded. */
    static String page(RunReport.Content c, String markdown, Path dir) throws IOException {
        Node doc = Parser.builder().extensions(EXTENSIONS).build().parse(markdown);
        embedImages(doc, dir);
        Verdict verdict = c.details().verdict();
        String body = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true)
                .attributeProviderFactory(context -> (node, tag, attributes) -> {
                    if (node instanceof Paragraph && isVerdict(node)) {
                        attributes.put("class", "verdict" + (verdict == null ? "" : " " + verdict.outcome()));
                    }
                }).build().render(doc);
        body = figures(body.replace("<table>", "<div class=\"table-wrap\"><table>").replace("</table>", "</table></div>"));
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + esc(c.name() + ": run " + c.runId()) + "</title>\n<style>" + STYLE + "</style></head><body>\n" + body
                + "<footer>Written by oncobench from the run folder " + esc(c.runId())
                + " (metrics.json and predictions.csv there hold the numbers); the charts are embedded in this file and nothing is fetched from elsewhere."
                + "</footer>\n</body></html>\n";
    }

    /** A paragraph that opens with "**Verdict:**". */
    private static boolean isVerdict(Node paragraph) {
        return paragraph.getFirstChild() instanceof StrongEmphasis s && s.getFirstChild() instanceof Text t && t.getLiteral().startsWith("Verdict");
    }

    /** Every image whose file is in the run folder becomes a data: URI; an image it cannot find is dropped (never linked). */
    private static void embedImages(Node doc, Path dir) throws IOException {
        java.util.List<Image> images = new java.util.ArrayList<>();
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(Image image) {
                images.add(image);
            }
        });
        for (Image image : images) {
            String file = image.getDestination();
            Path png = dir.resolve(file).normalize();
            if (png.startsWith(dir.normalize()) && Files.isRegularFile(png) && file.endsWith(".png")) {
                image.setDestination("data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png)));
            } else {
                image.unlink();
            }
        }
    }

    /** A paragraph holding only a chart becomes a figure with its alt text as the caption. */
    private static String figures(String html) {
        return java.util.regex.Pattern.compile("<p><img src=\"(data:image/png;base64,[A-Za-z0-9+/=]+)\" alt=\"([^\"]*)\" /></p>")
                .matcher(html).replaceAll(m -> java.util.regex.Matcher.quoteReplacement("<figure><img src=\"" + m.group(1) + "\" alt=\"" + m.group(2)
                        + "\"><figcaption>" + m.group(2) + "</figcaption></figure>"));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
