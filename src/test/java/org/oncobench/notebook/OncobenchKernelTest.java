package org.oncobench.notebook;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel without Jupyter: what a cell's value displays as, and how a failing cell fails. */
class OncobenchKernelTest {
    static OncobenchKernel kernel;

    @BeforeAll
    static void start() {
        System.setProperty("java.awt.headless", "true");
        kernel = new OncobenchKernel();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    static String text(DisplayData d, String type) {
        Object v = d.getData(MIMEType.parse(type));
        return v == null ? null : String.valueOf(v);
    }

    @Test
    void valuesDisplayByType() throws Exception {
        assertEquals("42", text(kernel.eval("int answer = 40 + 2;\nanswer"), "text/plain"), "the last expression is the cell's value");
        assertNull(kernel.eval("int other = 1;"), "a declaration displays nothing");
        // an image and an XChart chart: PNG (the base64 of a PNG starts with the signature's encoding)
        String png = text(kernel.eval("new java.awt.image.BufferedImage(8, 6, java.awt.image.BufferedImage.TYPE_INT_RGB)"), "image/png");
        assertTrue(Base64.getDecoder().decode(png)[1] == 'P', "PNG signature");
        String chart = text(kernel.eval("org.oncobench.eval.Charts.lines(\"t\", \"y\", Map.of(\"a\", new double[]{1, 2, 3}))"), "image/png");
        assertTrue(Base64.getDecoder().decode(chart).length > 1000, "a drawn chart");
        // oncobench tables: HTML, with text beside it
        DisplayData table = kernel.eval("Table.of(\"t\", List.of(Map.of(\"drug\", \"9001\", \"pearson\", 0.5)))");
        assertTrue(text(table, "text/html").contains("<td>9001</td>") && text(table, "text/html").contains("0.500"), text(table, "text/html"));
        assertTrue(text(table, "text/plain").contains("pearson"));
        // records (e.g. predictions) become tables of their components
        DisplayData records = kernel.eval("record P(String drug, double value) {}\nList.of(new P(\"a\", 1.5), new P(\"b\", 2.5))");
        assertTrue(text(records, "text/html").contains("<th>drug</th>") && text(records, "text/html").contains("2.500"), text(records, "text/html"));
    }

    @Test
    void cellsShareStateAndTheApiIsImported() throws Exception {
        kernel.eval("var shared = new ArrayList<String>();\nshared.add(\"x\");");
        assertEquals("1", text(kernel.eval("shared.size()"), "text/plain"));
        assertEquals("true", text(kernel.eval("Workbench.class.getPackageName().equals(\"org.oncobench.api\")"), "text/plain"));
    }

    @Test
    void failingCellsFailWithWhereAndWhy() {
        OncobenchKernel.CellException compile = assertThrows(OncobenchKernel.CellException.class, () -> kernel.eval("int broken = ;"));
        assertTrue(compile.getMessage().contains("does not compile") && compile.getMessage().contains("illegal start of expression"),
                compile.getMessage());
        OncobenchKernel.CellException runtime = assertThrows(OncobenchKernel.CellException.class,
                () -> kernel.eval("int ok = 1;\nthrow new IllegalStateException(\"boom\");"));
        assertTrue(runtime.getMessage().startsWith("IllegalStateException: boom"), runtime.getMessage());
        OncobenchKernel.CellException unknown = assertThrows(OncobenchKernel.CellException.class, () -> kernel.eval("notDefinedAnywhere + 1"));
        assertTrue(unknown.getMessage().contains("cannot find symbol"), unknown.getMessage());
        OncobenchKernel.CellException incomplete = assertThrows(OncobenchKernel.CellException.class, () -> kernel.eval("if (true) {"));
        assertTrue(incomplete.getMessage().contains("incomplete code"), incomplete.getMessage());
        // a failure in the API names the problem as the CLI would
        OncobenchKernel.CellException api = assertThrows(OncobenchKernel.CellException.class,
                () -> kernel.eval("Experiment.load(\"no/such.yaml\")"));
        assertTrue(api.getMessage().contains("BadInputException") && api.getMessage().contains("experiment file not found"), api.getMessage());
    }
}
