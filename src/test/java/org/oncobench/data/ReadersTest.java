package org.oncobench.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentConfig.FingerprintTableConfig;
import org.oncobench.config.ExperimentConfig.RowsConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadersTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private String error(Runnable r) {
        return assertThrows(BadInputException.class, r::run).getMessage();
    }

    @Test
    void readsOlderDepMapLayoutWithUnnamedIdColumn() throws IOException {
        Path f = write("expr.csv", ",TP53 (7157),EGFR (1956)\nACH-000001,1.5,2.25\nACH-000002,0,3\n");
        FeatureTable t = new MatrixReader().read("expression", f, "ModelID", "data.samples.expression");
        assertEquals(List.of("ACH-000001", "ACH-000002"), t.ids());
        assertEquals(List.of("TP53 (7157)", "EGFR (1956)"), t.columns());
        assertEquals(2.25f, t.get(0, 1));
        assertEquals(1, t.rowOf("ACH-000002"));
    }

    @Test
    void handlesBomCrlfQuotesAndGzip() throws IOException {
        String text = "\uFEFFModelID,\"A (1)\",B (2)\r\nm1,1,2\r\n\"m2\",3,4\r\n";
        Path plain = write("bom.csv", text);
        FeatureTable t = new MatrixReader().read("x", plain, "ModelID", "k");
        assertEquals(List.of("m1", "m2"), t.ids());
        assertEquals(List.of("A (1)", "B (2)"), t.columns());
        Path gz = dir.resolve("bom.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        FeatureTable z = new MatrixReader().read("x", gz, "ModelID", "k");
        assertEquals(4f, z.get(1, 1));
    }

    @Test
    void tsvIsReadByExtension() throws IOException {
        Path f = write("m.tsv", "id\tg1\tg2\na\t1\t2\n");
        assertEquals(2f, new MatrixReader().read("x", f, "id", "k").get(0, 1));
    }

    @Test
    void aCsvSeparatedByTabsOrSemicolonsIsReadByItsHeader() throws IOException {
        Path tabs = write("tabs.csv", "ModelID\tTP53 (7157)\tEGFR (1956)\nACH-1\t1.5\t2\nACH-2\t0\t3\n");
        FeatureTable t = new MatrixReader().read("x", tabs, "ModelID", "k");
        assertEquals(List.of("TP53 (7157)", "EGFR (1956)"), t.columns());
        assertEquals(3f, t.get(1, 1));
        Path semicolons = write("semi.csv", "ModelID;a;b\nm1;1.5;2\n");
        assertEquals(1.5f, new MatrixReader().read("x", semicolons, "ModelID", "k").get(0, 0));
        Path commasInTsv = write("commas.tsv", "id,g1\na,4\n");
        assertEquals(4f, new MatrixReader().read("x", commasInTsv, "id", "k").get(0, 0));
        // a missing column says how the file was read; decimal commas are named as such
        assertTrue(error(() -> new MatrixReader().read("x", tabs, "model_id", "data.samples.x"))
                .contains("(read as tab-separated: the header has no commas)"), "names the separator");
        Path decimalCommas = write("eu.csv", "ModelID;a\nm1;1,5\n");
        assertEquals(decimalCommas + ":2: column 'a': '1,5' is not a number (a decimal comma? write numbers with a decimal point)",
                error(() -> new MatrixReader().read("x", decimalCommas, "ModelID", "k")));
    }

    @Test
    void aLongHeaderIsCutInMessages() throws IOException {
        StringBuilder header = new StringBuilder("sample");
        for (int g = 0; g < 500; g++) {
            header.append(",GENE_WITH_A_RATHER_LONG_NAME_").append(g).append(" (").append(100000 + g).append(")");
        }
        Path wide = write("wide.csv", header + "\n");
        String msg = error(() -> new MatrixReader().read("x", wide, "ModelID", "data.samples.x"));
        assertTrue(msg.length() < 600, msg.length() + ": " + msg);
        assertTrue(msg.contains("... (501 columns)"), msg);
        // one giant cell (a header whose separator is none of tab, comma or semicolon) is cut too
        Path pipes = write("pipes.csv", "sample|" + "G".repeat(5000) + "\n");
        String one = error(() -> new MatrixReader().read("x", pipes, "ModelID", "data.samples.x"));
        assertTrue(one.length() < 300 && one.contains("..."), one);
    }

    @Test
    void aLabelOnANumericTargetPointsToTheThreshold() throws IOException {
        StringBuilder rows = new StringBuilder("COSMIC_ID,DRUG_ID,LN_IC50\n");
        for (int i = 0; i < 400; i++) {
            rows.append(i).append(",1,").append(-2 + i * 0.01).append("\n");
        }
        Path f = write("numeric.csv", rows.toString());
        String msg = error(() -> new ResponseReader().read(new RowsConfig(f.toString(), "COSMIC_ID", "DRUG_ID", "LN_IC50"),
                new org.oncobench.config.ExperimentConfig.TaskConfig("classification", "sensitive", null)));
        assertEquals(f + ": task.positive 'sensitive' never occurs in column 'LN_IC50', which is numeric (400 distinct values from -2 to 1.99); "
                + "to classify a numeric target, set task.threshold and positive: below or above (e.g. task={kind: classification, "
                + "threshold: 0.0, positive: below})", msg);
        Path labels = write("labels.csv", "sample,label\np1,Cancer\np2,Healthy\n");
        assertEquals(labels + ": task.positive 'cancer' never occurs in column 'label'; its labels are: Cancer, Healthy",
                error(() -> new ResponseReader().read(new RowsConfig(labels.toString(), "sample", null, "label"),
                        new org.oncobench.config.ExperimentConfig.TaskConfig("classification", "cancer", null))));
    }

    @Test
    void badCellsNameFileLineAndColumn() throws IOException {
        Path ragged = write("ragged.csv", "ModelID,a,b\nm1,1,2\nm2,3\n");
        assertEquals(ragged + ":3: ragged row: 2 cells where the header has 3", error(() -> new MatrixReader().read("x", ragged, "ModelID", "k")));
        Path nan = write("nan.csv", "ModelID,a,b\nm1,1,NaN\n");
        assertTrue(error(() -> new MatrixReader().read("x", nan, "ModelID", "k")).startsWith(nan + ":2: column 'b': NaN is not allowed"));
        Path text = write("text.csv", "ModelID,a\nm1,high\n");
        assertEquals(text + ":2: column 'a': 'high' is not a number", error(() -> new MatrixReader().read("x", text, "ModelID", "k")));
        Path empty = write("empty.csv", "");
        assertTrue(error(() -> new MatrixReader().read("x", empty, "ModelID", "k")).startsWith(empty + ": empty file"));
        Path dup = write("dup.csv", "ModelID,a\nm1,1\nm1,2\n");
        assertEquals(dup + ":3: duplicated id 'm1'; each sample must appear once", error(() -> new MatrixReader().read("x", dup, "ModelID", "k")));
        Path noId = write("noid.csv", "Sample,a\nm1,1\n");
        assertTrue(error(() -> new MatrixReader().read("x", noId, "ModelID", "data.samples.x")).contains("no column 'ModelID' (from data.samples.x.id)"));
        Path missing = dir.resolve("missing.csv");
        assertEquals(missing + ": file not found", error(() -> new MatrixReader().read("x", missing, "ModelID", "k")));
    }

    @Test
    void corruptGzipIsReported() throws IOException {
        Path gz = dir.resolve("broken.csv.gz");
        byte[] full;
        try (var bytes = new java.io.ByteArrayOutputStream(); OutputStream out = new GZIPOutputStream(bytes)) {
            out.write("ModelID,a\n".repeat(1).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 2000; i++) {
                out.write(("m" + i + "," + i + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.close();
            full = bytes.toByteArray();
        }
        Files.write(gz, java.util.Arrays.copyOf(full, full.length / 2));
        String msg = error(() -> new MatrixReader().read("x", gz, "ModelID", "k"));
        assertTrue(msg.startsWith(gz.toString()) && msg.contains("gzip"), msg);
    }

    @Test
    void responsesNormaliseNumericIds() throws IOException {
        Path f = write("gdsc.csv", "COSMIC_ID,DRUG_ID,LN_IC50\n683665.0,1003,-1.5\n683665,1004,2\n");
        ResponseRows rows = new ResponseReader().read(new RowsConfig(f.toString(), "COSMIC_ID", "DRUG_ID", "LN_IC50"));
        assertEquals(List.of("683665", "683665"), rows.samples());
        assertEquals(-1.5f, rows.targets()[0]);
    }

    @Test
    void unparseableSmilesNamesTheDrug() throws IOException {
        Path f = write("drugs.csv", "DRUG_ID,SMILES\n1,CCO\n2,C1CC(\n");
        String msg = error(() -> new FingerprintReader().read("fp", new FingerprintTableConfig(f.toString(), "DRUG_ID", "SMILES", 2, 64), "k"));
        assertTrue(msg.startsWith(f + ":3: drug '2': cannot parse SMILES 'C1CC('"), msg);
    }

    @Test
    void keyValueMapsSkipBlanksAndRefuseConflicts() throws IOException {
        Path f = write("Model.csv", "ModelID,COSMICID\nACH-1,100.0\nACH-2,\nACH-3,300\n");
        assertEquals(Map.of("100", "ACH-1", "300", "ACH-3"), new KeyValueReader().read(f, "COSMICID", "ModelID", "k"));
        Path bad = write("bad.csv", "ModelID,COSMICID\nACH-1,100\nACH-2,100\n");
        assertTrue(error(() -> new KeyValueReader().read(bad, "COSMICID", "ModelID", "k")).contains("maps to both 'ACH-1' and 'ACH-2'"));
    }

    @Test
    void duplicatedGeneColumnsAreRefusedWithTheirPositions() throws IOException {
        Path f = write("dup.csv", "ModelID,TP53 (7157),EGFR (1956),TP53 (7157)\nACH-1,1,2,3\n");
        String e = error(() -> new MatrixReader().read("expression", f, "ModelID", "data.samples.expression"));
        assertTrue(e.contains("dup.csv:1: column 'TP53 (7157)' appears twice (columns 2 and 4)"), e);
    }

    @Test
    void bytesThatAreNotUtf8NameTheFileAndLine() throws IOException {
        Path f = dir.resolve("latin1.csv");
        byte[] head = "ModelID,label\nACH-1,ok\nACH-2,caf".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\n".getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xE9; // é in ISO-8859-1
        System.arraycopy(tail, 0, all, head.length + 1, tail.length);
        Files.write(f, all);
        String e = error(() -> new KeyValueReader().read(f, "ModelID", "label", "data.groups.tissue"));
        assertTrue(e.contains("latin1.csv:3: column 'label'") && e.contains("not UTF-8"), e);
    }

    @Test
    void numbersBeyondFloatRangeAreCalledThat() throws IOException {
        Path f = write("big.csv", "ModelID,G1\nACH-1,1e40\n");
        String e = error(() -> new MatrixReader().read("expression", f, "ModelID", "data.samples.expression"));
        assertTrue(e.contains("big.csv:2: column 'G1': 1e40 is outside the range of 32-bit floats (about ±3.4e38)"), e);
        Path nan = write("nan.csv", "ModelID,G1\nACH-1,Infinity\n");
        assertTrue(error(() -> new MatrixReader().read("expression", nan, "ModelID", "x")).contains("Infinity is not allowed; values must be finite numbers"));
    }

    @Test
    void failedOpensLeaveNoFileOpen() throws IOException {
        Path empty = dir.resolve("broken.csv.gz");
        Files.write(empty, new byte[]{0x1f, (byte) 0x8b, 1, 2, 3}); // gzip magic, then nothing a gzip stream can read
        Path fd = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fd), "needs /proc to count open files");
        long before;
        try (var s = Files.list(fd)) {
            before = s.count();
        }
        for (int i = 0; i < 300; i++) {
            assertThrows(BadInputException.class, () -> DelimitedFile.open(empty));
        }
        long after;
        try (var s = Files.list(fd)) {
            after = s.count();
        }
        assertTrue(after - before < 20, "open files grew from " + before + " to " + after);
    }
}
