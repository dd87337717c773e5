package org.oncobench.api;

/** A titled block of preformatted text (a report, a configuration); shown as such in a notebook. */
public record Text(String title, String text) implements HtmlDisplayable {
    @Override
    public String toHtml() {
        return "<div><b>" + Table.esc(title) + "</b><pre>" + Table.esc(text) + "</pre></div>";
    }

    @Override
    public String toString() {
        return text;
    }
}
