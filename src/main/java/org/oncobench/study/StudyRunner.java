package org.oncobench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.oncobench.config.BadInputException;
import org.oncobench.config.ExperimentLoader;
import org.oncobench.config.LoadedExperiment;
import org.oncobench.config.StudyConfig;
import org.oncobench.config.StudyLoader;
import org.oncobench.config.YamlFiles;
import org.oncobench.runs.RunRecord;
import org.oncobench.runs.RunRecords;
import org.oncobench.runs.RunStatus;
import org.oncobench.runs.RunStore;
import org.oncobench.runs.RunTags;
import org.oncobench.train.BaselineCache;
import org.oncobench.train.ExperimentRunner;
import org.oncobench.train.TrainingProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Runs a study: draws its trials, schedules them (ASHA or full), trains each trial once per seed as an ordinary run
 * tagged with the study id and the trial's parameters, and keeps the study folder's log and leaderboard current. Up to
 * {@code workers} jobs train at once on threads of this process (the caller divides ND4J's threads among them: see
 * {@link #workers}); a
 * promoted trial continues its runs from their checkpoints. {@link #resume} continues a killed study: finished jobs are
 * replayed from trials.jsonl, an unfinished one resumes its runs from their checkpoints, and nothing finished trains again.
 */
public final class StudyRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StudyRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RunStore store;
    private final Consumer<String> status;
    private final boolean processes;

    /** What a finished study produced. */
    public record StudyResult(String id, Path dir, Map<String, Object> leaderboard, int jobs, int failedJobs) {
    }

    public StudyRunner(RunStore store, Consumer<String> status) {
        this(store, status, false);
    }

    /**
     * @param processes train each job in a child JVM ({@code oncobench study job}) instead of on a thread of this one: the
     *                  jobs then share nothing (ND4J's native state, heap, baseline fits), at the cost of a JVM and ND4J
     *                  start per job; {@code oncobench bench --cases study} measures both
     */
    public StudyRunner(RunStore store, Consumer<String> status, boolean processes) {
        this.store = store;
        this.status = status;
        this.processes = processes;
    }

    /**
     * How many jobs a study trains at once: {@code override}, else the study file's {@code workers}. ND4J's thread count
     * is one setting for the whole JVM, so this runner does not change it: divide it among the workers once, before the
     * study starts (the CLI does, see {@code cli.StudyCommand}); jobs in child processes get their share themselves.
     */
    public static int workers(Path studyFile, Integer override) {
        return override != null ? override : new StudyLoader().load(studyFile).workers();
    }

    /** The same for an existing study (resume): {@code override}, else its resolved study file's {@code workers}. */
    public int workers(String id, Integer override) {
        return workers(StudyFolder.open(store, id).file("study.yaml"), override);
    }

    /** Starts a new study from a study file. */
    public StudyResult run(Path studyFile, Integer workers) {
        StudyConfig config = new StudyLoader().load(studyFile);
        SearchSpace space = new SearchSpace(config);
        StudyFolder folder = StudyFolder.create(store, config.name());
        List<String> baseOverrides = new ArrayList<>(StudyLoader.overrides(config.set(), Map.of()));
        LoadedExperiment base = new ExperimentLoader().load(config.experiment(), baseOverrides);
        // one split for the whole study: drawn from the experiment's split seed, never from the study's seeds, so no seed's
        // test rows are another seed's training or validation rows (the seeds vary initialisation, batch order and dropout)
        baseOverrides.add("split.seed=" + base.config().splitSeed());
        base = new ExperimentLoader().load(config.experiment(), baseOverrides);
        folder.write("experiment.yaml", base.resolvedYaml());
        folder.write("study.yaml", resolvedStudy(config, folder.file("experiment.yaml"), studyFile));
        StudyConfig resolved = new StudyLoader().load(folder.file("study.yaml"));
        int n = workers == null ? config.workers() : workers;
        int[] budgets = AshaScheduler.budgets(config.search().minEpochs(), config.search().maxEpochs(), config.search().eta());
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("event", "study");
        start.put("id", folder.id());
        start.put("trials", space.size());
        start.put("seeds", config.seeds());
        start.put("rungs", budgets);
        start.put("time", Instant.now().toString());
        folder.append(start);
        status.accept(String.format(Locale.ROOT, "study %s: %d trials x %d seed(s), %s, %d worker(s) -> %s", folder.id(), space.size(),
                config.seeds().size(), describe(config.search(), budgets), n, folder.dir()));
        return execute(folder, resolved, space, scheduler(resolved, space), new ArrayDeque<>(), n, studyFile.toAbsolutePath().toString());
    }

    /** Continues an interrupted study (its process was killed or stopped) without repeating a finished job. */
    public StudyResult resume(String id, Integer workers) {
        StudyFolder folder = StudyFolder.open(store, id);
        Map<String, Object> info = folder.info();
        if ("running".equals(info.get("status"))) {
            throw new BadInputException("study " + id + " is running (process " + info.get("pid") + "); only an interrupted or failed study can be resumed");
        }
        if ("completed".equals(info.get("status"))) {
            throw new BadInputException("study " + id + " is completed; see 'oncobench study show " + id + "'");
        }
        StudyConfig config = new StudyLoader().load(folder.file("study.yaml"));
        SearchSpace space = new SearchSpace(config);
        AshaScheduler scheduler = scheduler(config, space);
        Map<String, JsonNode> started = new LinkedHashMap<>();
        Map<String, Boolean> ended = new LinkedHashMap<>();
        for (JsonNode e : folder.events()) {
            String key = e.path("trial").asInt() + "@" + e.path("rung").asInt();
            switch (e.path("event").asText()) {
                case "start" -> started.put(key, e);
                case "result" -> {
                    scheduler.replay(e.path("trial").asInt(), e.path("rung").asInt(), e.path("score").asDouble());
                    ended.put(key, true);
                }
                case "failed" -> {
                    scheduler.replay(e.path("trial").asInt(), e.path("rung").asInt(), Double.NaN);
                    ended.put(key, true);
                }
                default -> { }
            }
        }
        Deque<AshaScheduler.Job> pending = new ArrayDeque<>();
        started.forEach((key, e) -> {
            if (!ended.containsKey(key)) {
                pending.add(scheduler.replayUnfinished(e.path("trial").asInt(), e.path("rung").asInt()));
            }
        });
        status.accept(String.format(Locale.ROOT, "resuming study %s: %d job(s) finished, %d to continue from their checkpoints", id, ended.size(),
                pending.size()));
        int n = workers == null ? config.workers() : workers;
        return execute(folder, config, space, scheduler, pending, n, String.valueOf(info.get("file")));
    }

    private static AshaScheduler scheduler(StudyConfig config, SearchSpace space) {
        return new AshaScheduler(config.search().minEpochs(), config.search().maxEpochs(), config.search().eta(), config.search().lowerIsBetter(),
                space.order(config.search().asha()));
    }

    private static String describe(StudyConfig.Search s, int[] budgets) {
        return s.asha() ? String.format(Locale.ROOT, "successive halving (eta %d) on %s over rungs of %s epochs", s.eta(), s.metric(),
                java.util.Arrays.toString(budgets)) : "every trial for " + s.maxEpochs() + " epochs";
    }

    private record Outcome(AshaScheduler.Job job, double score, List<String> runs, List<Double> scores, double seconds, Throwable error) {
    }

    private StudyResult execute(StudyFolder folder, StudyConfig config, SearchSpace space, AshaScheduler scheduler, Deque<AshaScheduler.Job> pending,
                                int workers, String file) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", folder.id());
        info.put("name", config.name());
        info.put("status", "running");
        info.put("pid", ProcessHandle.current().pid());
        info.put("started", Instant.now().toString());
        info.put("file", file);
        info.put("workers", workers);
        info.put("trials", space.size());
        folder.writeJson("study.json", info);
        Thread onInterrupt = new Thread(() -> {
            info.put("status", "interrupted");
            folder.writeJson("study.json", info);
            status.accept("interrupted: continue with 'oncobench study resume " + folder.id() + resumeRunsDir() + "'");
        }, "oncobench-study-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        int share = Math.max(1, Runtime.getRuntime().availableProcessors() / workers); // a child process's OpenMP threads
        ExperimentRunner runner = new ExperimentRunner(store, TrainingProgress.QUIET, m -> LOG.debug("{}", m)).withBaselineCache(new BaselineCache());
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "oncobench-study-worker");
            t.setDaemon(true);
            return t;
        });
        CompletionService<Outcome> done = new ExecutorCompletionService<>(pool);
        Leaderboard leaderboard = new Leaderboard(store, folder, config, space);
        int running = 0;
        int jobs = 0;
        int failed = 0;
        long t0 = System.nanoTime();
        try {
            while (true) {
                while (running < workers) {
                    Optional<AshaScheduler.Job> next = pending.isEmpty() ? scheduler.next() : Optional.of(pending.poll());
                    if (next.isEmpty()) {
                        break;
                    }
                    AshaScheduler.Job job = next.get();
                    Map<String, JsonNode> params = space.params(job.trial());
                    Map<String, Object> e = event("start", job);
                    e.put("params", params);
                    folder.append(e);
                    status.accept(String.format(Locale.ROOT, "  trial %d rung %d: %s epochs %d -> %d", job.trial(), job.rung(), brief(params),
                            job.fromEpochs(), job.epochs()));
                    done.submit(processes ? () -> runJobInChild(folder, config, job, share) : () -> runJob(runner, folder, config, job, params));
                    running++;
                }
                if (running == 0) {
                    break;
                }
                Outcome o = done.take().get();
                running--;
                jobs++;
                if (o.error() == null) {
                    scheduler.finished(o.job(), o.score());
                    Map<String, Object> e = event("result", o.job());
                    e.put("score", o.score());
                    e.put("scores", o.scores());
                    e.put("runs", o.runs());
                    e.put("trained_epochs", trainedEpochs(o.runs(), o.job().fromEpochs()));
                    e.put("seconds", Math.round(o.seconds() * 10) / 10.0);
                    folder.append(e);
                    status.accept(String.format(Locale.ROOT, "  trial %d rung %d: %s %.4f over %d seed(s) (%.0fs)", o.job().trial(), o.job().rung(),
                            config.search().metric(), o.score(), o.scores().size(), o.seconds()));
                } else {
                    failed++;
                    scheduler.failed(o.job());
                    Map<String, Object> e = event("failed", o.job());
                    e.put("error", String.valueOf(o.error().getMessage()));
                    e.put("runs", o.runs());
                    folder.append(e);
                    status.accept(String.format(Locale.ROOT, "  trial %d rung %d failed: %s", o.job().trial(), o.job().rung(), o.error().getMessage()));
                }
                folder.writeJson("leaderboard.json", leaderboard.build(false));
            }
            Map<String, Object> board = leaderboard.build(true);
            folder.writeJson("leaderboard.json", board);
            if (board.get("cd_svg") instanceof String svg) {
                folder.write("cd.svg", svg);
            }
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("event", "done");
            end.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            folder.append(end);
            info.put("status", "completed");
            info.put("finished", Instant.now().toString());
            folder.writeJson("study.json", info);
            return new StudyResult(folder.id(), folder.dir(), board, jobs, failed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            info.put("status", "interrupted");
            folder.writeJson("study.json", info);
            throw new IllegalStateException("study " + folder.id() + " interrupted", e);
        } catch (ExecutionException | RuntimeException | Error e) {
            info.put("status", "failed");
            info.put("error", String.valueOf(e.getMessage()));
            folder.writeJson("study.json", info);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("study " + folder.id() + ": a worker failed", e.getCause());
        } finally {
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook records the interruption
            }
        }
    }

    private String resumeRunsDir() {
        boolean defaultFolder = store.root().equals(Path.of("runs").toAbsolutePath().normalize());
        return defaultFolder ? "" : " --runs-dir " + store.root();
    }

    private static Map<String, Object> event(String kind, AshaScheduler.Job job) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event", kind);
        e.put("trial", job.trial());
        e.put("rung", job.rung());
        e.put("from_epochs", job.fromEpochs());
        e.put("epochs", job.epochs());
        e.put("time", Instant.now().toString());
        return e;
    }

    static String brief(Map<String, JsonNode> params) {
        List<String> parts = new ArrayList<>();
        params.forEach((k, v) -> parts.add(k + "=" + (v.isTextual() ? v.asText() : v.isFloatingPointNumber()
                ? new java.math.BigDecimal(v.asText()).stripTrailingZeros().toPlainString() : v.toString())));
        return String.join(", ", parts);
    }

    /**
     * One job: each seed's run of the trial trained to the job's epochs — a new run at rung 0, the same run continued from
     * its checkpoint when promoted, resumed when a killed study left it unfinished, or left alone when it already got
     * there. The score is the mean over seeds of the kept model's validation metric.
     */
    private Outcome runJob(ExperimentRunner runner, StudyFolder folder, StudyConfig config, AshaScheduler.Job job, Map<String, JsonNode> params) {
        long t0 = System.nanoTime();
        List<String> runs = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        try {
            for (long seed : config.seeds()) {
                RunRecord existing = find(folder.id(), job.trial(), seed);
                String runId;
                if (existing == null) {
                    if (job.rung() > 0) {
                        throw new IllegalStateException("trial " + job.trial() + " seed " + seed + " has no run to continue at rung " + job.rung());
                    }
                    List<String> overrides = new ArrayList<>(StudyLoader.overrides(Map.of(), params));
                    overrides.add("seed=" + seed);
                    overrides.add("training.epochs=" + job.epochs());
                    LoadedExperiment loaded = new ExperimentLoader().load(config.experiment(), overrides);
                    Map<String, Object> tags = new LinkedHashMap<>();
                    params.forEach((k, v) -> tags.put(k, JSON.convertValue(v, Object.class)));
                    tags.put("trial", job.trial());
                    tags.put("seed", seed);
                    runId = runner.run(loaded, new RunTags(null, folder.id(), tags)).runId();
                } else {
                    runId = existing.id();
                    String st = existing.status();
                    int epochs = epochsOf(store.dirOf(runId));
                    if (RunStatus.COMPLETED.label().equals(st) && epochs >= job.epochs()) {
                        LOG.debug("run {} already trained to {} epochs", runId, epochs);
                    } else if (RunStatus.COMPLETED.label().equals(st)) {
                        runner.extend(runId, job.epochs());
                    } else {
                        runner.resume(runId);
                    }
                }
                runs.add(runId);
                scores.add(validation(store.dirOf(runId)));
            }
            double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            return new Outcome(job, mean, runs, scores, (System.nanoTime() - t0) / 1e9, null);
        } catch (RuntimeException | Error e) {
            LOG.debug("trial {} rung {} failed", job.trial(), job.rung(), e);
            return new Outcome(job, Double.NaN, runs, scores, (System.nanoTime() - t0) / 1e9, e);
        }
    }

    /**
     * Runs one job of an existing study in this process: what {@code oncobench study job} does in the child JVMs of a
     * study started with worker processes. Returns the job's score (NaN when it failed; the runs say why).
     */
    public double runOneJob(String studyId, int trial, int rung) {
        StudyFolder folder = StudyFolder.open(store, studyId);
        StudyConfig config = new StudyLoader().load(folder.file("study.yaml"));
        SearchSpace space = new SearchSpace(config);
        int[] budgets = AshaScheduler.budgets(config.search().minEpochs(), config.search().maxEpochs(), config.search().eta());
        if (rung < 0 || rung >= budgets.length || trial < 0 || trial >= space.size()) {
            throw new BadInputException("study " + studyId + " has trials 0.." + (space.size() - 1) + " and rungs 0.." + (budgets.length - 1));
        }
        AshaScheduler.Job job = new AshaScheduler.Job(trial, rung, rung == 0 ? 0 : budgets[rung - 1], budgets[rung]);
        ExperimentRunner runner = new ExperimentRunner(store, TrainingProgress.QUIET, m -> LOG.debug("{}", m)).withBaselineCache(new BaselineCache());
        Outcome o = runJob(runner, folder, config, job, space.params(trial));
        if (o.error() instanceof RuntimeException r) {
            throw r;
        }
        if (o.error() instanceof Error e) {
            throw e;
        }
        return o.score();
    }

    /** One job in a child JVM with {@code threads} OpenMP threads; its score is read back from its runs' folders. */
    private Outcome runJobInChild(StudyFolder folder, StudyConfig config, AshaScheduler.Job job, int threads) {
        long t0 = System.nanoTime();
        Path log = folder.file("jobs").resolve("trial-" + job.trial() + "-rung-" + job.rung() + ".log");
        try {
            Files.createDirectories(log.getParent());
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.oncobench.cli.Oncobench", "study", "job", folder.id(),
                    "--trial", String.valueOf(job.trial()), "--rung", String.valueOf(job.rung()), "--runs-dir", store.root().toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
            Process p = pb.start();
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            List<String> runs = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            for (long seed : config.seeds()) {
                RunRecord r = find(folder.id(), job.trial(), seed);
                if (r != null) {
                    runs.add(r.id());
                    scores.add(validation(store.dirOf(r.id())));
                }
            }
            if (code != 0 || scores.size() < config.seeds().size()) {
                List<String> tail = Files.readAllLines(log);
                throw new IllegalStateException("the job's process exited with " + code + ": "
                        + String.join(" | ", tail.subList(Math.max(0, tail.size() - 3), tail.size())) + " (log: " + log + ")");
            }
            double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            return new Outcome(job, mean, runs, scores, (System.nanoTime() - t0) / 1e9, null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(job, Double.NaN, List.of(), List.of(), (System.nanoTime() - t0) / 1e9, e);
        }
    }

    /** The study's run for (trial, seed), from the index. */
    private RunRecord find(String study, int trial, long seed) {
        return store.list().stream().filter(r -> study.equals(r.study()) && r.params() != null
                        && r.params().get("trial") instanceof Number t && t.intValue() == trial
                        && r.params().get("seed") instanceof Number s && s.longValue() == seed)
                .map(RunRecords::effective).findFirst().orElse(null);
    }

    /**
     * The epochs a job really trained, over its runs: each run's last recorded epoch beyond where the job started. A run
     * that stopped early before the job's start trains nothing when promoted, and a rung's budget overstates a run that
     * stopped early within it.
     */
    long trainedEpochs(List<String> runs, int fromEpochs) {
        long sum = 0;
        for (String id : runs) {
            sum += Math.max(0, lastEpoch(store.dirOf(id)) - fromEpochs);
        }
        return sum;
    }

    /** The last epoch history.jsonl records (0 without one). */
    static int lastEpoch(Path runDir) {
        try {
            List<String> lines = Files.readAllLines(runDir.resolve("history.jsonl"));
            return lines.isEmpty() ? 0 : JSON.readTree(lines.get(lines.size() - 1)).path("epoch").asInt();
        } catch (IOException e) {
            return 0;
        }
    }

    static int epochsOf(Path runDir) {
        try {
            return new YAMLMapper().readTree(runDir.resolve("experiment.yaml").toFile()).path("training").path("epochs").asInt();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The kept model's validation metric from metrics.json (NaN when the run has none). */
    static double validation(Path runDir) {
        try {
            JsonNode v = JSON.readTree(runDir.resolve("metrics.json").toFile()).path("training").path("validation");
            return v.elements().hasNext() ? v.elements().next().asDouble(Double.NaN) : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** study.yaml as resume reads it: the resolved keys, the experiment pointing at the study's own copy. */
    private static String resolvedStudy(StudyConfig c, Path experiment, Path original) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("experiment", experiment.toString());
        if (!c.set().isEmpty()) {
            m.put("set", c.set());
        }
        if (!c.grid().isEmpty()) {
            m.put("grid", c.grid());
        }
        if (!c.random().isEmpty()) {
            Map<String, Object> r = new LinkedHashMap<>();
            c.random().forEach((k, d) -> r.put(k, d.choices() != null ? Map.of("choice", d.choices())
                    : Map.of(d.kind(), "int".equals(d.kind()) ? List.of((long) d.low(), (long) d.high()) : List.of(d.low(), d.high()))));
            m.put("random", r);
            m.put("trials", c.trials());
        }
        m.put("seeds", c.seeds());
        m.put("seed", c.seed());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", c.search().kind());
        s.put("metric", c.search().metric());
        if (c.search().asha()) {
            s.put("min_epochs", c.search().minEpochs());
            s.put("eta", c.search().eta());
        }
        s.put("max_epochs", c.search().maxEpochs());
        m.put("search", s);
        m.put("workers", c.workers());
        return "# resolved from " + original.toAbsolutePath() + "; 'oncobench study resume' reads this file\n" + new YamlFiles().write(m);
    }
}
