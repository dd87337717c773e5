package org.oncobench.notebook;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The oncobench Jupyter kernel: each cell is split into JShell snippets and evaluated in this JVM, so cells share the
 * class path, ND4J's natives and each other's variables. The value of a cell's last expression is displayed
 * ({@link Renderings}); {@code display(x)} shows more than one. A compile error, an unresolved name or an exception
 * fails the cell with a message (and fails {@code nbconvert --execute}).
 */
public final class OncobenchKernel extends BaseKernel {
    /** What every session starts with: the API one import away, and display(). */
    static final List<String> STARTUP = List.of(
            "import org.oncobench.api.*;",
            "import java.util.*;",
            "import java.nio.file.*;",
            "void display(Object value) { org.oncobench.notebook.Display.show(value); }");
    private final JShell shell;
    private final CapturingExecutionControl control;
    private final LanguageInfo languageInfo;

    public OncobenchKernel() {
        CapturingExecutionControl.Provider provider = new CapturingExecutionControl.Provider();
        this.shell = JShell.builder().executionEngine(provider, java.util.Map.of()).build();
        this.control = provider.control();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
        this.languageInfo = new LanguageInfo.Builder("java").version(Runtime.version().toString()).mimetype("text/x-java-source")
                .fileExtension(".jshell").pygments("java").codemirror("java").build();
        for (String s : STARTUP) {
            try {
                evaluate(s);
            } catch (CellException e) {
                throw new IllegalStateException("the kernel's startup snippet failed: " + s + ": " + e.getMessage(), e);
            }
        }
        Display.sendTo(value -> display(Renderings.render(value)));
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }

    @Override
    public String getBanner() {
        return "oncobench Java kernel (JShell, Java " + Runtime.version() + "): " + STARTUP.get(0);
    }

    /** A cell failed: the message says where and why; Jupyter shows it and nbconvert stops. */
    public static final class CellException extends Exception {
        CellException(String message) {
            super(message);
        }
    }

    @Override
    public DisplayData eval(String code) throws Exception {
        Object value = evaluate(code);
        return value == null ? null : Renderings.render(value);
    }

    /** Evaluates a cell and returns the value of its last expression (null for statements and declarations). */
    Object evaluate(String code) throws CellException {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = code;
        Object last = null;
        try {
            while (!remaining.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                if (!info.completeness().isComplete()) {
                    throw new CellException("incomplete code at the end of the cell (a missing ';', '}' or ')'?):\n  " + remaining.strip());
                }
                remaining = info.remaining();
                last = null;
                for (SnippetEvent event : shell.eval(info.source())) {
                    last = outcome(event, info.source());
                }
            }
            return last;
        } finally {
            control.values().clear();
        }
    }

    /** Checks one snippet event; returns the value to display, or null. */
    private Object outcome(SnippetEvent event, String source) throws CellException {
        if (event.causeSnippet() != null) {
            return null; // a dependent snippet updated as a consequence
        }
        Snippet snippet = event.snippet();
        JShellException exception = event.exception();
        if (exception != null) {
            throw new CellException(describe(exception, source));
        }
        switch (event.status()) {
            case REJECTED -> throw new CellException("does not compile:\n" + diagnostics(snippet, source));
            case RECOVERABLE_DEFINED, RECOVERABLE_NOT_DEFINED -> {
                if (snippet instanceof jdk.jshell.DeclarationSnippet d) {
                    List<String> missing = shell.unresolvedDependencies(d).toList();
                    throw new CellException("uses names that are not defined: " + String.join(", ", missing) + "\n  " + source.strip());
                }
                throw new CellException("cannot be evaluated:\n" + diagnostics(snippet, source));
            }
            default -> {
            }
        }
        String key = event.value();
        if (key == null || !key.startsWith(CapturingExecutionControl.KEY_PREFIX)) {
            return null;
        }
        boolean shown = snippet.kind() == Snippet.Kind.EXPRESSION || snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                || snippet.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND;
        return shown ? control.values().get(key) : null;
    }

    private String diagnostics(Snippet snippet, String source) {
        List<Diag> diags = shell.diagnostics(snippet).toList();
        if (diags.isEmpty()) {
            return "  " + source.strip();
        }
        return diags.stream().map(d -> {
            int line = 1 + (int) source.substring(0, (int) Math.max(0, Math.min(source.length(), d.getStartPosition()))).chars().filter(c -> c == '\n').count();
            String text = source.lines().skip(line - 1).findFirst().orElse("").strip();
            return "  line " + line + " of the snippet: " + d.getMessage(Locale.ROOT) + "\n    " + text;
        }).collect(Collectors.joining("\n"));
    }

    private static String describe(JShellException e, String source) {
        if (e instanceof UnresolvedReferenceException u) {
            return "uses " + u.getSnippet().kind().name().toLowerCase(Locale.ROOT) + " that is not defined yet: " + u.getSnippet().source();
        }
        String type = e instanceof EvalException ee ? ee.getExceptionClassName() : e.getClass().getName();
        StringBuilder sb = new StringBuilder(type.substring(type.lastIndexOf('.') + 1)).append(": ").append(e.getMessage()).append("\n  in: ")
                .append(source.strip());
        for (StackTraceElement el : e.getStackTrace()) {
            if (el.getClassName().startsWith("REPL.")) {
                break; // the cell itself: what follows is JShell's machinery
            }
            sb.append("\n    at ").append(el);
        }
        return sb.toString();
    }

    @Override
    public List<String> formatError(Exception e) {
        return e instanceof CellException ? List.of(e.getMessage().split("\n")) : super.formatError(e);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor);
        if (suggestions.isEmpty()) {
            return null;
        }
        List<String> options = suggestions.stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
        return new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, at, extraDetail);
        if (docs.isEmpty()) {
            return null;
        }
        return new DisplayData(docs.stream().map(d -> d.signature() + (d.javadoc() == null ? "" : "\n" + d.javadoc()))
                .collect(Collectors.joining("\n\n")));
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(code);
        return switch (info.completeness()) {
            case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> IS_COMPLETE_YES;
            case UNKNOWN -> IS_COMPLETE_BAD;
            default -> IS_COMPLETE_MAYBE;
        };
    }

    @Override
    public void interrupt() {
        shell.stop();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        shell.close();
    }
}
