package org.oncobench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code oncobench data ...}: commands about datasets. */
@Command(name = "data", description = "Make or inspect datasets.", mixinStandardHelpOptions = true,
        subcommands = {SynthCommand.class, InspectCommand.class})
final class DataCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
