package org.oncobench.cli;

import org.oncobench.api.Workbench;
import org.oncobench.config.BadInputException;
import org.oncobench.notebook.KernelSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code oncobench notebook [--port 8888] [--dir notebooks]}: installs the oncobench Java kernel into a project-local
 * Jupyter data folder and serves the notebooks with Debian's Jupyter on 127.0.0.1 until Ctrl-C.
 */
@Command(name = "notebook", mixinStandardHelpOptions = true,
        description = "Serve the notebooks with Jupyter (Java kernel with the oncobench API) on 127.0.0.1 until Ctrl-C.")
final class NotebookCommand implements Callable<Integer> {
    static final List<String> JUPYTERS = List.of("jupyter-notebook", "jupyter-lab");
    private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/\\S*)");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "8888", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dir", paramLabel = "DIR", description = "The notebooks folder (default: the project's notebooks/).")
    Path dir;

    @CommandLine.Mixin
    RunsDirOption runs = new RunsDirOption();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path home = Path.of(System.getProperty("oncobench.home", ".")).toAbsolutePath().normalize();
        Path notebooks = (dir != null ? dir : home.resolve("notebooks")).toAbsolutePath().normalize();
        if (!Files.isDirectory(notebooks)) {
            throw new BadInputException(notebooks + ": no such folder; pass --dir with the folder holding your notebooks");
        }
        if (port < 1 || port > 65535) {
            throw new BadInputException("--port " + port + " is out of range; allowed: 1 to 65535");
        }
        Path jupyter = findJupyter();
        Path data = home.resolve("target").resolve("jupyter");
        Path kernel = KernelSpec.install(data, home, System.getProperty("java.class.path"), kernelEnv(),
                List.of("-Xmx" + (Runtime.getRuntime().maxMemory() >> 20) + "m"));
        out.println("Java kernel '" + KernelSpec.DISPLAY_NAME + "' installed in " + kernel);
        out.println("runs go to " + runs.runsDir.toAbsolutePath().normalize());
        out.flush();
        List<String> command = new ArrayList<>(List.of(jupyter.toString(), "--no-browser", "--ip=127.0.0.1", "--port=" + port,
                "--port-retries=0", "--notebook-dir=" + notebooks));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--allow-root"); // containers and CI machines often run as root; Jupyter refuses it unless told
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(jupyterEnv(data));
        Process server = pb.start();
        Thread stop = new Thread(() -> {
            server.destroy();
            try {
                server.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "oncobench-notebook-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        boolean announced = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Matcher m = URL.matcher(line);
                if (!announced && m.find()) {
                    out.println("Notebooks in " + notebooks + " on " + m.group(1) + "  (Ctrl-C stops)");
                    out.flush();
                    announced = true;
                } else if (!announced || worthShowing(line)) { // before serving, everything explains a failure; after it, only trouble
                    spec.commandLine().getErr().println("  jupyter: " + line);
                    spec.commandLine().getErr().flush();
                }
            }
        }
        int code = server.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook stopped Jupyter
        }
        if (!announced) {
            throw new BadInputException(jupyter + " exited with code " + code + " before serving (see its lines above); is port " + port
                    + " free? (--port)");
        }
        return 0;
    }

    /** Jupyter's warnings, errors and tracebacks; not its routine [I] lines. */
    static boolean worthShowing(String line) {
        String t = line.strip();
        return t.startsWith("[W") || t.startsWith("[E") || t.startsWith("[C") || t.startsWith("Traceback") || t.startsWith("File ")
                || t.contains("Error");
    }

    /** The environment the kernel runs with: the launcher's thread count and this command's runs folder. */
    Map<String, String> kernelEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        String threads = System.getenv("OMP_NUM_THREADS");
        env.put("OMP_NUM_THREADS", threads == null || threads.isBlank() ? "1" : threads);
        env.put(Workbench.RUNS_DIR_ENV, runs.runsDir.toAbsolutePath().normalize().toString());
        return env;
    }

    /** Jupyter's own folders inside the project: nothing is read from or written to the user's ~/.jupyter. */
    static Map<String, String> jupyterEnv(Path data) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JUPYTER_PATH", data.toString());
        env.put("JUPYTER_DATA_DIR", data.toString());
        env.put("JUPYTER_CONFIG_DIR", data.resolve("config").toString());
        env.put("JUPYTER_RUNTIME_DIR", data.resolve("runtime").toString());
        return env;
    }

    /** Debian's jupyter-notebook (or jupyter-lab): /usr/bin first, since the python3 on PATH may be another one. */
    static Path findJupyter() {
        List<Path> places = new ArrayList<>(List.of(Path.of("/usr/bin")));
        for (String p : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!p.isBlank()) {
                places.add(Path.of(p));
            }
        }
        for (String name : JUPYTERS) {
            for (Path place : places) {
                Path candidate = place.resolve(name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new BadInputException("Jupyter is not installed (no jupyter-notebook or jupyter-lab on PATH); install Debian's: "
                + "sudo apt-get install -y jupyter-notebook");
    }
}
