package org.oncobench.api;

/** An object a notebook shows as HTML (and as text elsewhere); the oncobench kernel renders it as {@code text/html}. */
public interface HtmlDisplayable {
    /** A self-contained HTML fragment (no scripts). */
    String toHtml();
}
