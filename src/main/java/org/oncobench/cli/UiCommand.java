package org.oncobench.cli;

import org.oncobench.runs.RunStore;
import org.oncobench.ui.WorkbenchServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code oncobench ui [--runs-dir DIR] [--port 9000] [--host 127.0.0.1] [--token-file FILE]}: the browser workbench until Ctrl-C. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Browse, watch and compare runs in a browser (workbench pages + DL4J's training UI).")
final class UiCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunsDirOption runs = new RunsDirOption();

    @CommandLine.Mixin
    UiOptions ui = new UiOptions();

    @Override
    public Integer call() throws InterruptedException {
        ServerAccess access = ui.check(spec.commandLine().getErr());
        WorkbenchServer server = WorkbenchServer.start(new RunStore(runs.runsDir), access.bind(), access.token());
        spec.commandLine().getOut().println("oncobench UI for " + runs.runsDir.toAbsolutePath().normalize() + " on " + access.browserUrl(server.url())
                + "  (DL4J's training UI on port " + server.dl4j().port() + "; Ctrl-C stops)");
        spec.commandLine().getOut().flush();
        UntilShutdown.await(server::close, "oncobench-ui-stop");
        return 0;
    }
}
