package org.oncobench.runs;

import org.oncobench.config.BadInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The runs filter language ({@code runs list --filter}, the UI's filter box, {@code /api/runs?q=}):
 * <pre>
 *   model.kind = mlp and test.rmse &lt; 0.9 or name like 'gdsc%'
 *   split.kind in (cell-blind, drug-blind) and not status = failed
 *   study = 20261123-101500-study-quickstart-3fa2 and model.dropout &gt;= 0.2
 * </pre>
 * Comparisons {@code = != < <= > >=}, {@code [not] in (a, b)}, {@code [not] like 'pat%'} ({@code %} any run of
 * characters, {@code _} one; {@code ilike} ignores case), joined by {@code and}, {@code or}, {@code not} and parentheses
 * ({@code and} binds tighter than {@code or}). Values are numbers, quoted strings or bare words. Fields: the run's
 * id, name, status, model (model.kind), split (split.kind), group, study, started, finished, duration, metric,
 * test.METRIC (the run's headline test metric: rmse or auc), baseline.METRIC and best_baseline; any other dotted name
 * is a study trial's parameter or a {@code --set} override ({@code model.dropout}). A missing value never matches. A
 * syntax error names its position; parsed for a set of runs ({@link RunFields}), a field none of them has is an error
 * with a did-you-mean.
 */
public final class RunQuery {
    /** Fields every run has, with their aliases. */
    static final List<String> FIELDS = List.of("id", "name", "status", "model", "model.kind", "split", "split.kind", "group", "study",
            "started", "finished", "duration", "metric", "value", "test.METRIC", "baseline.METRIC", "best_baseline", "error", "note", "tags.KEY");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "like", "ilike");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private final String text;
    private final Predicate<RunRecord> predicate;

    private RunQuery(String text, Predicate<RunRecord> predicate) {
        this.text = text;
        this.predicate = predicate;
    }

    /** Every run (an empty or blank query). */
    public static RunQuery all() {
        return new RunQuery("", r -> true);
    }

    /** Parses a query; a mistake throws {@link BadInputException} naming the position (1-based) and what was expected. */
    public static RunQuery parse(String text) {
        return parse(text, null);
    }

    /**
     * Parses a query for these runs' fields: a name none of them has (a misspelt metric, parameter, override or tag)
     * throws {@link BadInputException} with the nearest known names. Null fields: any dotted name passes as a parameter.
     */
    public static RunQuery parse(String text, RunFields fields) {
        if (text == null || text.isBlank()) {
            return all();
        }
        Parser p = new Parser(text, tokens(text), fields);
        Predicate<RunRecord> predicate = p.or();
        if (!p.atEnd()) {
            throw p.error("expected 'and', 'or' or the end of the query");
        }
        return new RunQuery(text, predicate);
    }

    public boolean matches(RunRecord r) {
        return predicate.test(r);
    }

    public String text() {
        return text;
    }

    /** A field's value for one run: a String, a Double, or null when the run has none. */
    public static Object field(RunRecord r, String field) {
        switch (field) {
            case "id": return r.id();
            case "name": return r.name();
            case "status": return r.status();
            case "model", "model.kind": return r.model();
            case "split", "split.kind": return r.split();
            case "group": return r.group();
            case "study": return r.study();
            case "started": return r.started();
            case "finished": return r.finished();
            case "duration", "duration_seconds": return r.durationSeconds();
            case "metric": return r.metric();
            case "value": return r.value();
            case "best_baseline": return r.bestBaseline();
            case "baseline", "baseline_value": return r.baselineValue();
            case "error": return r.error();
            case "note": return r.note();
            default:
                if (field.startsWith("tags.")) {
                    return r.tags() == null ? null : r.tags().get(field.substring(5));
                }
                if (field.startsWith("test.")) {
                    return field.substring(5).equalsIgnoreCase(r.metric()) ? r.value() : null;
                }
                if (field.startsWith("baseline.")) {
                    return field.substring(9).equalsIgnoreCase(r.metric()) ? r.baselineValue() : null;
                }
                String key = field.startsWith("params.") ? field.substring(7) : field;
                Map<String, Object> params = r.params();
                Object v = params == null ? null : params.get(key);
                if (v == null && r.overrides() != null) {
                    v = r.overrides().get(key); // a --set override: the value as given
                }
                return v instanceof Number n ? (Object) n.doubleValue() : v == null ? null : String.valueOf(v);
        }
    }

    static boolean knownField(String field) {
        return FIELDS.contains(field) || field.equals("duration_seconds") || field.equals("baseline") || field.equals("baseline_value")
                || (field.startsWith("test.") ? RunFields.METRICS.contains(field.substring(5))
                : field.startsWith("baseline.") ? RunFields.METRICS.contains(field.substring(9)) : field.contains("."));
    }

    // ------------------------------------------------------------------ lexer

    private record Token(String kind, String text, int position) { // kind: word, string, op, "(", ")", ",", end
    }

    private static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                out.add(new Token(String.valueOf(c), String.valueOf(c), i + 1));
                i++;
            } else if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw new BadInputException(message(s, i + 1, "the string opened here has no closing " + c));
                }
                out.add(new Token("string", s.substring(i + 1, end), i + 1));
                i = end + 1;
            } else if ("=!<>".indexOf(c) >= 0) {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                String op = Set.of("==", "!=", "<>", "<=", ">=").contains(two) ? two : String.valueOf(c);
                if (op.equals("!")) {
                    throw new BadInputException(message(s, i + 1, "'!' must be followed by '=' (not equal: !=)"));
                }
                out.add(new Token("op", op, i + 1));
                i += op.length();
            } else if (Character.isLetterOrDigit(c) || "_.-+%:/".indexOf(c) >= 0) {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_.-+%:/".indexOf(s.charAt(i)) >= 0)) {
                    i++;
                }
                out.add(new Token("word", s.substring(start, i), start + 1));
            } else {
                throw new BadInputException(message(s, i + 1, "unexpected character '" + c + "'"));
            }
        }
        out.add(new Token("end", "", s.length() + 1));
        return out;
    }

    private static String message(String query, int position, String what) {
        return (what.startsWith("unknown field") ? "filter: at position " : "filter: syntax error at position ") + position + ": " + what + "\n  " + query + "\n  " + " ".repeat(Math.max(0, position - 1)) + "^"
                + "\n  e.g. model.kind = mlp and test.rmse < 0.9 or name like 'gdsc%'; split.kind in (cell-blind, drug-blind)";
    }

    // ------------------------------------------------------------------ parser (recursive descent)

    private static final class Parser {
        private final String query;
        private final List<Token> tokens;
        private int at;

        private final RunFields fields;

        Parser(String query, List<Token> tokens, RunFields fields) {
            this.query = query;
            this.tokens = tokens;
            this.fields = fields;
        }

        boolean atEnd() {
            return peek().kind().equals("end");
        }

        BadInputException error(String what) {
            Token t = peek();
            return new BadInputException(message(query, t.position(), what + (t.kind().equals("end") ? ", found the end of the query"
                    : ", found '" + t.text() + "'")));
        }

        private Token peek() {
            return tokens.get(at);
        }

        private boolean keyword(String k) {
            Token t = peek();
            if (t.kind().equals("word") && t.text().equalsIgnoreCase(k)) {
                at++;
                return true;
            }
            return false;
        }

        Predicate<RunRecord> or() {
            Predicate<RunRecord> left = and();
            while (keyword("or")) {
                left = left.or(and());
            }
            return left;
        }

        Predicate<RunRecord> and() {
            Predicate<RunRecord> left = unary();
            while (keyword("and")) {
                left = left.and(unary());
            }
            return left;
        }

        Predicate<RunRecord> unary() {
            if (keyword("not")) {
                return unary().negate();
            }
            if (peek().kind().equals("(")) {
                at++;
                Predicate<RunRecord> inner = or();
                if (!peek().kind().equals(")")) {
                    throw error("expected ')'");
                }
                at++;
                return inner;
            }
            return comparison();
        }

        Predicate<RunRecord> comparison() {
            Token f = peek();
            if (!f.kind().equals("word") || KEYWORDS.contains(f.text().toLowerCase(Locale.ROOT)) || NUMBER.matcher(f.text()).matches()) {
                throw error("expected a field (" + String.join(", ", FIELDS) + ")");
            }
            String field = f.text().toLowerCase(Locale.ROOT);
            if (fields != null && !fields.contains(field)) {
                throw new BadInputException(message(query, f.position(), fields.unknown(field, f.text())));
            }
            if (fields == null && !knownField(field)) {
                throw new BadInputException(message(query, f.position(), "unknown field '" + f.text() + "'; fields: " + String.join(", ", FIELDS)
                        + ", or a study parameter such as model.dropout"));
            }
            at++;
            boolean negated = keyword("not");
            if (keyword("in")) {
                List<Object> values = list();
                Predicate<RunRecord> in = r -> {
                    Object v = field(r, field);
                    return v != null && values.stream().anyMatch(x -> compare(v, x) == 0);
                };
                return negated ? r -> field(r, field) != null && !in.test(r) : in;
            }
            boolean like = keyword("like");
            boolean ilike = !like && keyword("ilike");
            if (like || ilike) {
                Object pattern = value();
                Pattern regex = likePattern(String.valueOf(pattern), ilike);
                Predicate<RunRecord> match = r -> {
                    Object v = field(r, field);
                    return v != null && regex.matcher(v instanceof Double d ? format(d) : v.toString()).matches();
                };
                return negated ? r -> field(r, field) != null && !match.test(r) : match;
            }
            if (negated) {
                throw error("expected 'in', 'like' or 'ilike' after 'not'");
            }
            Token op = peek();
            if (!op.kind().equals("op")) {
                throw error("expected a comparison (=, !=, <, <=, >, >=, in, like) after '" + f.text() + "'");
            }
            at++;
            Object value = value();
            return r -> {
                Object v = field(r, field);
                if (v == null) {
                    return false;
                }
                int c = compare(v, value);
                return switch (op.text()) {
                    case "=", "==" -> c == 0;
                    case "!=", "<>" -> c != 0;
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
            };
        }

        private List<Object> list() {
            if (!peek().kind().equals("(")) {
                throw error("expected '(' to open the list after 'in'");
            }
            at++;
            List<Object> values = new ArrayList<>(List.of(value()));
            while (peek().kind().equals(",")) {
                at++;
                values.add(value());
            }
            if (!peek().kind().equals(")")) {
                throw error("expected ',' or ')' in the list");
            }
            at++;
            return values;
        }

        private Object value() {
            Token t = peek();
            if (t.kind().equals("string")) {
                at++;
                return t.text();
            }
            if (t.kind().equals("word") && !KEYWORDS.contains(t.text().toLowerCase(Locale.ROOT))) {
                at++;
                return NUMBER.matcher(t.text()).matches() ? (Object) Double.parseDouble(t.text()) : t.text();
            }
            throw error("expected a value (a number, a 'quoted string' or a word)");
        }
    }

    /** Numbers compare as numbers (a text that reads as a number too); everything else as text. */
    static int compare(Object field, Object value) {
        Double a = field instanceof Double d ? d : number(field.toString());
        Double b = value instanceof Double d ? d : number(value.toString());
        if (a != null && b != null) {
            return Double.compare(a, b);
        }
        return (field instanceof Double d ? format(d) : field.toString()).compareTo(value instanceof Double d ? format(d) : value.toString());
    }

    private static Double number(String s) {
        return numberOrNull(s);
    }

    /** The number a text reads as, or null; texts that cannot start a number skip the pattern (most ids and names). */
    static Double numberOrNull(String s) {
        if (s.isEmpty()) {
            return null;
        }
        char c = s.charAt(0);
        if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.')) {
            return null;
        }
        return NUMBER.matcher(s).matches() ? Double.parseDouble(s) : null;
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static Pattern likePattern(String like, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (char c : like.toCharArray()) {
            re.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL : Pattern.DOTALL);
    }
}
