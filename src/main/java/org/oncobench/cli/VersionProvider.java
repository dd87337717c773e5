package org.oncobench.cli;

import picocli.CommandLine;

/** The version from the jar manifest, with the DL4J version it was built against. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String own = Oncobench.class.getPackage().getImplementationVersion();
        String dl4j = org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class.getPackage().getImplementationVersion();
        return new String[]{"oncobench " + (own == null ? "(development build)" : own) + ", DL4J " + (dl4j == null ? "1.0.0-M2.1" : dl4j)};
    }
}
