package org.oncobench.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.oncobench.config.BadInputException;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A CSV or TSV file (optionally gzip-compressed, detected by its magic bytes) read row by row with Jackson's CSV
 * parser. Handles quotes, CRLF and a UTF-8 byte-order mark; every row must have as many cells as the header, and
 * every problem names the file and line.
 */
public final class DelimitedFile implements Closeable {
    private final Path file;
    private final MappingIterator<String[]> rows;
    private final String[] header;
    private final char separator;
    private final char byName;
    private long line;

    private DelimitedFile(Path file, MappingIterator<String[]> rows, String[] header, char separator, char byName) {
        this.file = file;
        this.rows = rows;
        this.header = header;
        this.separator = separator;
        this.byName = byName;
        this.line = 1;
    }

    public static DelimitedFile open(Path file) {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": file not found");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot open (" + e.getMessage() + ")");
        }
        try {
            return open(file, raw);
        } catch (RuntimeException | Error e) {
            try {
                raw.close(); // nothing else will: the reader that would have owned it was never returned
            } catch (IOException ignored) {
                // the original problem is the one to report
            }
            throw e;
        }
    }

    private static DelimitedFile open(Path file, InputStream raw) {
        Reader reader;
        String headerLine;
        try {
            InputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(2);
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            if (b1 == 0x1f && b2 == 0x8b) {
                in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            }
            // malformed bytes become U+FFFD here and are reported with their line by next(), where the line is known
            BufferedReader buffered = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            headerLine = firstLine(buffered);
            reader = skipBom(buffered);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot open (" + e.getMessage() + "); is it a valid CSV/TSV, or a corrupt gzip file?");
        }
        String name = file.getFileName().toString().toLowerCase();
        char byName = name.endsWith(".tsv") || name.endsWith(".tsv.gz") || name.endsWith(".txt") || name.endsWith(".txt.gz") ? '\t' : ',';
        char separator = separator(byName, headerLine);
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(separator);
        try {
            MappingIterator<String[]> it = mapper.readerFor(String[].class).with(schema).readValues(reader);
            if (!it.hasNext()) {
                it.close();
                throw new BadInputException(file + ": empty file; expected a header line followed by rows");
            }
            String[] header = it.next();
            for (int i = 0; i < header.length; i++) {
                header[i] = header[i].trim();
            }
            DelimitedFile opened = new DelimitedFile(file, it, header, separator, byName);
            opened.checkText(header, null);
            return opened;
        } catch (IOException | RuntimeJsonMappingException e) {
            throw readError(file, 1, e);
        }
    }

    /** Refuses cells holding U+FFFD, the mark of bytes that were not UTF-8, naming the line and column. */
    private void checkText(String[] cells, String[] names) {
        for (int i = 0; i < cells.length; i++) {
            int bad = cells[i].indexOf('\uFFFD');
            if (bad >= 0) {
                throw new BadInputException(file + ":" + line + ": " + (names == null ? "header" : "column '" + names[Math.min(i, names.length - 1)] + "'")
                        + ": bytes that are not UTF-8 in '" + cells[i].replace('\uFFFD', '?') + "'; save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
            }
        }
    }

    /** The first line (at most 1 MB of it), read ahead without consuming it. */
    private static String firstLine(BufferedReader reader) throws IOException {
        int limit = 1 << 20;
        reader.mark(limit + 1);
        StringBuilder line = new StringBuilder();
        int c;
        while (line.length() < limit && (c = reader.read()) != -1 && c != '\n' && c != '\r') {
            line.append((char) c);
        }
        reader.reset();
        return line.toString();
    }

    /**
     * The extension's separator (tab for .tsv/.txt, comma otherwise), unless the header holds none of it but tabs,
     * commas or semicolons: a "CSV" saved by a spreadsheet with tabs or semicolons is read as what it is.
     */
    static char separator(char byName, String headerLine) {
        if (headerLine.indexOf(byName) >= 0) {
            return byName;
        }
        for (char c : new char[]{'\t', ',', ';'}) {
            if (headerLine.indexOf(c) >= 0) {
                return c;
            }
        }
        return byName;
    }

    private static String separatorName(char c) {
        return c == '\t' ? "tab" : c == ';' ? "semicolon" : "comma";
    }

    private static Reader skipBom(BufferedReader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    public Path file() {
        return file;
    }

    public String[] header() {
        return header.clone();
    }

    /** Index of a header column, or a clear error listing the columns there are. */
    public int column(String name, String configKey) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        int shownColumns = Math.min(header.length, 8);
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < shownColumns; i++) {
            shown.append(i > 0 ? ", " : "").append(header[i].length() > 40 ? header[i].substring(0, 40) + "..." : header[i]);
        }
        if (header.length > shownColumns) {
            shown.append(", ... (").append(header.length).append(" columns)");
        }
        String how = separator != byName ? " (read as " + separatorName(separator) + "-separated: the header has no " + separatorName(byName) + "s)" : "";
        throw new BadInputException(file + ":1: no column '" + name + "' (from " + configKey + "); the header has: " + shown + how);
    }

    /** Line number of the row last returned by {@link #next()} (the header is line 1). */
    public long line() {
        return line;
    }

    /** The next row, or null at the end. Rows whose width differs from the header's are refused. */
    public String[] next() {
        try {
            while (rows.hasNext()) {
                String[] row = rows.next();
                line++;
                if (row.length == 1 && row[0].isEmpty()) {
                    continue; // blank line
                }
                if (row.length != header.length) {
                    throw new BadInputException(file + ":" + line + ": ragged row: " + row.length + " cells where the header has "
                            + header.length);
                }
                checkText(row, header);
                return row;
            }
            return null;
        } catch (RuntimeJsonMappingException e) {
            throw readError(file, line + 1, e);
        }
    }

    private static BadInputException readError(Path file, long line, Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String what = cause instanceof java.util.zip.ZipException || cause instanceof java.io.EOFException
                ? "corrupt or truncated gzip data" : "cannot parse (" + cause.getMessage() + ")";
        return new BadInputException(file + ":" + line + ": " + what);
    }

    /** Parses a numeric cell; empty, non-numeric, NaN and infinite values are refused with file:line and column. */
    public float number(String[] row, int column) {
        String cell = row[column].trim();
        float v;
        try {
            v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw new BadInputException(file + ":" + line + ": column '" + header[column] + "': "
                    + (cell.isEmpty() ? "missing value" : "'" + cell + "' is not a number"
                    + (separator != ',' && cell.matches("[-+]?\\d*,\\d+") ? " (a decimal comma? write numbers with a decimal point)" : "")));
        }
        if (!Float.isFinite(v)) {
            boolean overflow = Double.isFinite(Double.parseDouble(cell));
            throw new BadInputException(file + ":" + line + ": column '" + header[column] + "': " + cell + (overflow
                    ? " is outside the range of 32-bit floats (about ±3.4e38), in which oncobench holds features"
                    : " is not allowed") + "; values must be finite numbers");
        }
        return v;
    }

    @Override
    public void close() {
        try {
            rows.close();
        } catch (IOException e) {
            // nothing to recover when closing a reader
        }
    }
}
