package org.oncobench.cli;

import org.oncobench.config.BadInputException;
import org.oncobench.model.NativeSetup;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code oncobench} command line. */
@Command(name = "oncobench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Deep-learning workbench for drug-response studies on DL4J.",
        subcommands = {RunCommand.class, ResumeCommand.class, RunsCommand.class, StudyCommand.class, CsaCommand.class, ExportCommand.class, PredictCommand.class,
                ServeCommand.class, UiCommand.class, NotebookCommand.class, BenchCommand.class, DataCommand.class, CommandLine.HelpCommand.class})
public final class Oncobench implements Runnable {
    public static final int EXIT_USER_ERROR = 2;
    public static final int EXIT_INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen
        // serve's small JSON answers: without TCP_NODELAY, Nagle and delayed ACKs add about 40 ms to every response (the JDK's
        // HTTP server reads this once per JVM, so it is set here, at start-up, not by the server)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (tests call this directly). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        NativeSetup.apply(); // before anything loads ND4J
        CommandLine cli = new CommandLine(new Oncobench());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof BadInputException) {
                err.println("error: " + e.getMessage());
                err.flush();
                return EXIT_USER_ERROR;
            }
            err.println("internal error: " + e + " (details follow; please report them)");
            err.flush();
            LoggerFactory.getLogger(Oncobench.class).error("internal error", e);
            return EXIT_INTERNAL;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands Exceptions to the handler above; Errors come through here. Runs already recorded themselves failed.
            err.println("error: out of memory (" + e.getMessage() + "); give Java more with ONCOBENCH_JAVA_OPTS=-Xmx16g, or use a smaller "
                    + "model, batch or data (for runs: the run is marked failed)");
            err.flush();
            LoggerFactory.getLogger(Oncobench.class).debug("out of memory", e);
            return EXIT_INTERNAL;
        } catch (Error e) {
            err.println("internal error: " + e + " (the log has the details; please report them)");
            err.flush();
            LoggerFactory.getLogger(Oncobench.class).error("internal error", e);
            return EXIT_INTERNAL;
        }
    }
}
