package dev.millrace.runtime.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.launch.ExecutorReport;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.transport.ListeningSockets;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code millrace run} for real: a {@link LocalRun} supervises driver processes of {@link
 * TestingSupervisedApp} on this machine, which the tests kill with SIGKILL, crash, hang and feed
 * bad specs.
 */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalRunTest {
  private static final Pattern LINE = Pattern.compile("\\((.+),(\\d+)\\)");
  private static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};

  // Kept with the drivers' logs when a test fails.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  // The result of the run killedAfterItsInputWasRead started.
  private CompletableFuture<Integer> ended;

  @Test
  void sigkilledDriverIsRestartedFromTheCheckpointAndItsOutputIsExact() throws Exception {
    Path spec = writeSpec("count", "restartPolicy: {backoff: {initial: 500ms}}");
    LocalRun run = prepare(spec);
    CompletableFuture<Integer> result = runInBackground(run);

    Map<String, Integer> expected = new TreeMap<>();
    // A file stream counts files that arrive after it starts, so the input waits for a batch.
    await("the first driver's first batch", () -> batchesOf(run) >= 1, 60_000);
    writeInputFiles(0, 6, expected);
    await("three completed batches", () -> batchesOf(run) >= 3, 60_000);
    long firstPid = driverPid(run);
    // driver.memory 256Mi: the heap is half of it, the rest left for the JVM (JvmHeap).
    // From /proc: ProcessHandle.Info leaves out the arguments of a command line this long.
    List<String> arguments =
        List.of(Files.readString(Path.of("/proc/" + firstPid + "/cmdline")).split("\0"));
    assertTrue(arguments.contains("-Xmx128m"), "the driver's heap");
    ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
    await(
        "driver attempt 2 completing batches",
        () -> run.view().attempt() == 2 && batchesOf(run) >= 1,
        60_000);
    writeInputFiles(6, 12, expected);
    await("every word counted", () -> expected.equals(sumOfSavedCounts()), 60_000);
    run.requestStop();

    assertEquals(ExitCode.OK.code(), result.get(60, TimeUnit.SECONDS), printed());
    assertEquals(Phase.Succeeded, run.view().phase());
    assertEquals(1, run.view().restartsTotal(), printed());
    assertEquals(expected, sumOfSavedCounts(), "per-batch counts after the stop");
    assertEquals(expected, newestTotals(), "running totals restored from the checkpoint");
    assertTrue(printed().contains("code 137 (Killed)"), printed());
    for (int attempt = 1; attempt <= 2; attempt++) {
      assertTrue(
          Pattern.compile(
                  "driver attempt "
                      + attempt
                      + " status: http://127\\.0\\.0\\.1:\\d+/api/v1/status")
              .matcher(printed())
              .find(),
          "the status URL of attempt " + attempt + " is printed: " + printed());
      assertTrue(
          Pattern.compile("driver attempt " + attempt + " web UI: http://127\\.0\\.0\\.1:\\d+/\n")
              .matcher(printed())
              .find(),
          "the web UI's URL of attempt " + attempt + " is printed: " + printed());
    }
    StreamingAppStatus status = statusFile(run);
    assertEquals(Phase.Succeeded, status.getPhase());
    assertEquals(1, status.getRestarts().getTotal());
    assertEquals(2, status.getDriver().getAttempt());
    assertNotNull(status.getBatches().getLastCompletedTime(), "the last batch progress is kept");
  }

  @Test
  void anInputOutLongerThanMaxInputOutageMakesTheAppNotReadyUntilItIsBack() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path spec =
        writeSpec("socket", "127.0.0.1:" + port, "", "healthCheck: {maxInputOutage: 1s}", "600ms");
    LocalRun run = prepare(spec);
    CompletableFuture<Integer> result = runInBackground(run);

    await(
        "Ready False with reason InputOutage",
        () -> readyReason(run).equals("InputOutage"),
        60_000);
    StreamingAppStatus out = statusFile(run);
    Condition notReady = condition(out, "Ready");
    assertEquals("False", notReady.getStatus());
    assertTrue(
        notReady.getMessage().contains("(127.0.0.1:" + port + ") has been disconnected since"),
        notReady.getMessage());
    assertTrue(notReady.getMessage().contains("Connection refused"), notReady.getMessage());
    assertEquals(Phase.Running, out.getPhase(), "the driver runs on, its batches empty");
    assertEquals(Boolean.FALSE, out.getInputs().get(0).getConnected());
    assertEquals(Boolean.FALSE, out.getInputs().get(0).getHealthy());
    await("the console saying why", () -> printed().contains("not Ready: input"), 10_000);

    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      server.setSoTimeout(30_000);
      try (Socket connection = server.accept()) {
        connection.getOutputStream().write("alpha beta\nbeta\n".getBytes(StandardCharsets.UTF_8));
        connection.getOutputStream().flush();
        await("Ready again", () -> readyReason(run).equals("Running"), 30_000);
        await(
            "the lines counted",
            () -> Map.of("alpha", 1, "beta", 2).equals(sumOfSavedCounts()),
            30_000);
        StreamingAppStatus back = statusFile(run);
        assertEquals(Boolean.TRUE, back.getInputs().get(0).getConnected());
        assertEquals(null, back.getInputs().get(0).getOutageSince());
        assertTrue(printed().contains("Ready again: every input delivers"), printed());
        await(
            "a progress line showing the input",
            () -> printed().contains("input 127.0.0.1:" + port + " connected, 2 lines"),
            30_000);
        run.requestStop();
        assertEquals(ExitCode.OK.code(), result.get(60, TimeUnit.SECONDS), printed());
      }
    }
  }

  @Test
  void batchesThatCannotKeepUpMakeTheAppDegradedFallingBehindWithTheFigures() throws Exception {
    Path spec = writeSpec("slow", "healthCheck: {fallingBehindBatches: 3}");
    LocalRun run = prepare(spec);
    CompletableFuture<Integer> result = runInBackground(run);

    await(
        "Degraded with reason FallingBehind",
        () -> statusReason(run, "Degraded").equals("FallingBehind"),
        60_000);
    Condition degraded = condition(statusFile(run), "Degraded");
    assertEquals("True", degraded.getStatus());
    assertTrue(
        degraded.getMessage().contains("grown over")
            && degraded.getMessage().contains("per 200 ms batch"),
        degraded.getMessage());
    assertCondition(statusFile(run), "Ready", "True");
    await("the console saying so", () -> printed().contains("falling behind: "), 10_000);
    run.requestStop();
    assertEquals(ExitCode.OK.code(), result.get(60, TimeUnit.SECONDS), printed());
  }

  @Test
  void crashLoopBeyondMaxRestartsEndsFailedWithTheReason() throws Exception {
    Path spec =
        writeSpec(
            "crash",
            "restartPolicy: {maxRestarts: 2, window: 10m, backoff: {initial: 100ms, max: 200ms}}");
    LocalRun run = prepare(spec);

    int code = runInBackground(run).get(90, TimeUnit.SECONDS);

    assertEquals(ExitCode.APPLICATION_FAILURE.code(), code, printed());
    assertEquals(Phase.Failed, run.view().phase());
    assertEquals(3, run.view().attempt(), "the first start and two restarts");
    assertTrue(run.view().message().contains("maxRestarts=2"), run.view().message());
    StreamingAppStatus status = statusFile(run);
    assertEquals(Phase.Failed, status.getPhase());
    Condition degraded =
        status.getConditions().stream()
            .filter(c -> c.getType().equals("Degraded"))
            .findFirst()
            .orElseThrow();
    assertEquals("True", degraded.getStatus());
    assertEquals("RestartLimit", degraded.getReason());
    assertEquals(1, status.getDriver().getLastExit().getCode());
    try (Stream<Path> logs = Files.list(runLogs(run))) {
      assertEquals(3, logs.count(), "one driver log per attempt");
    }
    assertTrue(
        Files.readString(runLogs(run).resolve("driver-1.log")).contains("crashes on purpose"),
        "the driver log says why it failed");
    assertTrue(
        Pattern.compile(
                "driver attempt 1 exited with code 1 \\(Error\\): .*ERROR .*crashes on purpose.*"
                    + " \\(full log: "
                    + Pattern.quote(runLogs(run).resolve("driver-1.log").toString())
                    + "\\)")
            .matcher(printed())
            .find(),
        "the console says why the driver failed and where its log is: " + printed());
  }

  @Test
  void aDriverWhoseLastBatchBreaksWhileStoppingIsReportedFailedNotSucceeded() throws Exception {
    LocalRun run = prepare(writeSpec("break-on-stop", "gracefulStopTimeout: 30s"));
    CompletableFuture<Integer> result = runInBackground(run);
    await("the first batch", () -> batchesOf(run) >= 1, 60_000);

    run.requestStop();

    assertEquals(ExitCode.APPLICATION_FAILURE.code(), result.get(60, TimeUnit.SECONDS), printed());
    assertEquals(Phase.Failed, run.view().phase(), printed());
    assertEquals(1, run.view().lastExit().orElseThrow().code(), printed());
    assertTrue(printed().contains("exited with code 1 (Error) while stopping"), printed());
    assertFalse(printed().contains("Succeeded"), printed());
    assertEquals(0, run.view().restartsTotal(), "a stop is never followed by a restart");
    assertEquals(Phase.Failed, statusFile(run).getPhase());
  }

  @Test
  void hungDriverIsRestartedByTheHealthCheck() throws Exception {
    Path spec =
        writeSpec(
            "hang-once",
            "healthCheck: {maxBatchDelay: 2s, startTimeout: 60s}\n"
                + "  gracefulStopTimeout: 2s\n"
                + "  restartPolicy: {backoff: {initial: 100ms}}");
    LocalRun run = prepare(spec);
    CompletableFuture<Integer> result = runInBackground(run);
    Map<String, Integer> expected = new TreeMap<>();
    await("the first driver's first batch", () -> batchesOf(run) >= 1, 60_000);

    writeInputFiles(0, 3, expected);
    await(
        "a second attempt completing batches",
        () -> run.view().attempt() == 2 && batchesOf(run) >= 1,
        60_000);
    await("every word counted", () -> expected.equals(sumOfSavedCounts()), 60_000);
    run.requestStop();

    assertEquals(ExitCode.OK.code(), result.get(60, TimeUnit.SECONDS), printed());
    assertTrue(Files.exists(work.resolve("output").resolve(TestingSupervisedApp.HUNG_MARKER)));
    assertTrue(printed().contains("healthCheck.maxBatchDelay"), printed());
    assertEquals(expected, newestTotals());
  }

  @Test
  void executorsRunMapTasksAndOwnTheStateAKilledOneIsReplacedWithExactOutputAndAllStopWithTheApp()
      throws Exception {
    LocalRun run = prepare(writeSpecWithTwoExecutors());
    CompletableFuture<Integer> result = runInBackground(run);
    Map<String, Integer> expected = new TreeMap<>();
    awaitMapTasksOnTwoExecutors(run, expected);
    await(
        "the running totals' partitions owned by the executors",
        () -> statePartitions(run, "exec-1") + statePartitions(run, "exec-2") > 0,
        60_000);
    await(
        "a progress line showing the state partitions",
        () -> printed().contains("executors 2/2 (state partitions "),
        60_000);
    // The driver listens on loopback only, and its executors found it there; they listen on
    // nothing.
    List<InetSocketAddress> listening = ListeningSockets.of(driverPid(run));
    assertEquals(2, listening.size(), listening.toString());
    assertTrue(
        listening.stream().allMatch(a -> a.getAddress().isLoopbackAddress()), listening.toString());
    for (ExecutorReport executor : run.lastReport().orElseThrow().executors()) {
      assertEquals(List.of(), ListeningSockets.of(executor.pid()), executor.id() + " listens");
    }
    // driver.cores 1, so the running totals have 1 partition: the driver says the second
    // executor owns none and what to set.
    assertTrue(
        Files.readString(runLogs(run).resolve("driver-1.log"))
            .contains("1 executor owns no state and only runs map tasks"),
        "the driver's warning");
    // The one that owns state, so that its partitions must be rebuilt elsewhere.
    String owner = statePartitions(run, "exec-1") > 0 ? "exec-1" : "exec-2";
    ExecutorReport first = executor(run, owner);

    ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();

    await(
        owner + " replaced",
        () -> executorsReady(run) == 2 && executor(run, owner).pid() != first.pid(),
        60_000);
    writeInputFiles(4, 8, expected);
    await("every word counted", () -> expected.equals(sumOfSavedCounts()), 60_000);
    await("the running totals caught up", () -> expected.equals(newestTotals()), 60_000);
    assertTrue(
        executorLogs(run).contains("from the checkpoint"),
        "the killed executor's state partitions were not rebuilt from the checkpoint");
    List<Long> pids =
        run.lastReport().orElseThrow().executors().stream().map(ExecutorReport::pid).toList();
    run.requestStop();
    assertEquals(ExitCode.OK.code(), result.get(60, TimeUnit.SECONDS), printed());
    for (long pid : pids) {
      ProcessHandle.of(pid)
          .ifPresent(p -> fail("executor " + pid + " outlived the application: " + p.info()));
    }
    assertTrue(
        printed().contains("executor " + owner + " exited with code 137 (Killed)"), printed());
    assertEquals(0, run.view().restartsTotal(), "an executor's death does not restart the driver");
  }

  @Test
  void runningExecutorsReRegisterWithARestartedDriverAndTheOutputStaysExact() throws Exception {
    LocalRun run = prepare(writeSpecWithTwoExecutors());
    CompletableFuture<Integer> result = runInBackground(run);
    Map<String, Integer> expected = new TreeMap<>();
    awaitMapTasksOnTwoExecutors(run, expected);
    List<Long> executorPids =
        run.lastReport().orElseThrow().executors().stream()
            .map(ExecutorReport::pid)
            .sorted()
            .toList();

    ProcessHandle.of(driverPid(run)).orElseThrow().destroyForcibly();

    await(
        "the same executors registered with driver attempt 2 and running its map tasks",
        () ->
            run.view().attempt() == 2
                && executorsReady(run) == 2
                && tasksOnExecutors(run) > 0
                && run.lastReport().orElseThrow().attempt() == 2,
        60_000);
    assertEquals(
        executorPids,
        run.lastReport().orElseThrow().executors().stream()
            .map(ExecutorReport::pid)
            .sorted()
            .toList(),
        "the executors outlived the driver and were not replaced");
    writeInputFiles(4, 8, expected);
    await("every word counted", () -> expected.equals(sumOfSavedCounts()), 60_000);
    run.requestStop();
    assertEquals(ExitCode.OK.code(), result.get(60, TimeUnit.SECONDS), printed());
    assertEquals(expected, sumOfSavedCounts(), "per-batch counts after the stop");
    assertEquals(expected, newestTotals(), "running totals restored from the checkpoint");
    assertEquals(1, run.view().restartsTotal(), printed());
  }

  /** A word count with two executors that heartbeat every 200 ms and are lost after 1 s. */
  private Path writeSpecWithTwoExecutors() throws IOException {
    return writeSpec(
        "count",
        "millrace.executor.heartbeat-interval: 200ms, millrace.executor.heartbeat-timeout: 1s",
        "executor: {instances: 2, memory: 256Mi}\n  restartPolicy: {backoff: {initial: 200ms}}");
  }

  /**
   * Waits for both executors and a first batch, writes four input files (their words into {@code
   * expected}) and waits until executors ran map tasks.
   */
  private void awaitMapTasksOnTwoExecutors(LocalRun run, Map<String, Integer> expected)
      throws IOException, InterruptedException {
    // Executors register before the file stream starts, which ignores the files already there.
    await(
        "two executors registered and a first batch",
        () -> executorsReady(run) == 2 && batchesOf(run) >= 1,
        60_000);
    writeInputFiles(0, 4, expected);
    await("map tasks on executors", () -> tasksOnExecutors(run) > 0, 60_000);
  }

  private static long tasksOnExecutors(LocalRun run) {
    return run.lastReport().orElseThrow().executors().stream()
        .mapToLong(ExecutorReport::tasksCompleted)
        .sum();
  }

  private static int statePartitions(LocalRun run, String id) {
    return run.lastReport().orElseThrow().executors().stream()
        .filter(e -> e.id().equals(id))
        .mapToInt(ExecutorReport::statePartitions)
        .sum();
  }

  /** Everything the executors of {@code run} logged. */
  private static String executorLogs(LocalRun run) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> logs = Files.list(runLogs(run))) {
      for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("exec-")).toList()) {
        all.append(Files.readString(log));
      }
    }
    return all.toString();
  }

  private static int executorsReady(LocalRun run) {
    return run.lastReport().map(DriverStatusReport::executorsReady).orElse(0);
  }

  private static ExecutorReport executor(LocalRun run, String id) {
    return run.lastReport().orElseThrow().executors().stream()
        .filter(e -> e.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + id + " in " + run.lastReport()));
  }

  @Test
  void eachRunLogsIntoItsOwnDirectoryEveryProcessRollsItsLogAndOnlyTheNewestRunsAreKept()
      throws Exception {
    Path spec = writeSpec("count", "");
    Files.writeString(
        spec,
        Files.readString(spec)
            .replace(
                "driver: {memory: 256Mi}",
                "driver: {memory: 256Mi, env: [{name: MILLRACE_LOG_FILE_SIZE, value: 1Ki},"
                    + " {name: MILLRACE_LOG_FILES, value: \"2\"}]}"));
    List<Path> logDirectories = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      LocalRun run =
          LocalRun.prepare(
              spec,
              LocalRunOptions.defaults()
                  .withRunDirectory(work.resolve("run"))
                  .withKeptRuns(2)
                  .withJvmOptions(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"))
                  .withOut(new PrintStream(printed, true, StandardCharsets.UTF_8)));
      CompletableFuture<Integer> result = runInBackground(run);
      await("run " + i + "'s first batch", () -> batchesOf(run) >= 1, 60_000);
      run.requestStop();
      assertEquals(ExitCode.OK.code(), result.get(60, TimeUnit.SECONDS), printed());
      logDirectories.add(runLogs(run));
      assertEquals(
          List.of("driver-1.log"),
          fileNames(runLogs(run)).stream().filter(n -> n.endsWith(".log")).toList(),
          "this run's driver logs only");
    }

    try (Stream<Path> runs = Files.list(work.resolve("run/logs"))) {
      assertEquals(logDirectories.subList(1, 3), runs.sorted().toList(), "the newest two runs");
    }
    List<String> newest = fileNames(logDirectories.get(2));
    List<String> rolled =
        newest.stream().filter(n -> n.matches("driver-1\\.log\\.\\d{5}")).toList();
    assertTrue(
        !rolled.isEmpty() && rolled.size() <= 2,
        "rolled at 1 KiB, two rolled files kept: " + newest);
    for (String name : newest) {
      Path log = logDirectories.get(2).resolve(name);
      assertTrue(
          Files.size(log) <= 1024 || Files.readAllLines(log).size() == 1,
          name + " grew past 1 KiB: " + Files.size(log));
    }
  }

  @Test
  void aCleanStopRemovesThePidAddressAndLockFilesAndKeepsTheRest() throws Exception {
    LocalRun run = prepare(writeSpec("count", ""));
    CompletableFuture<Integer> result = runInBackground(run);
    await("the first batch", () -> batchesOf(run) >= 1, 60_000);
    assertTrue(
        fileNames(run.runDirectory())
            .containsAll(List.of("driver.pid", "supervisor.pid", "driver-1.address", "run.lock")),
        "" + fileNames(run.runDirectory()));

    run.requestStop();

    assertEquals(ExitCode.OK.code(), result.get(60, TimeUnit.SECONDS), printed());
    assertEquals(
        List.of("logs", "spec.yaml", "status.yaml"),
        fileNames(run.runDirectory()),
        "what is left of a run that ended");
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      return all.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aSuspendedSpecStartsNothing() throws Exception {
    LocalRun run = prepare(writeSpec("count", "suspend: true"));

    assertEquals(ExitCode.OK.code(), run.run());

    assertTrue(printed().contains("suspend: false"), printed());
    assertFalse(Files.exists(run.runDirectory().resolve("logs")), "no driver was started");
  }

  @Test
  void badSpecIsRefusedWithOneClearErrorAndNoProcessStarted() throws Exception {
    Path spec =
        writeSpec("count", "restartPolicy: {maxRestarts: -1}\n  executor: {instances: three}");

    String message = refusal(spec);

    assertTrue(message.contains("spec.executor.instances"), message);
  }

  /**
   * Runs {@code millrace run} on {@code spec} with {@code options}, which must refuse it with exit
   * 78 and without starting or writing anything; returns what it printed to stderr.
   */
  private String refusal(Path spec, String... options) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path runDirectory = work.resolve("run");
    List<String> args =
        new java.util.ArrayList<>(
            List.of("run", spec.toString(), "--run-dir", runDirectory.toString()));
    args.addAll(List.of(options));

    int code =
        dev.millrace.runtime.cli.TestingCli.run(
            args,
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(ExitCode.BAD_CONFIGURATION.code(), code, message);
    assertFalse(Files.exists(runDirectory), "nothing was started or written");
    return message;
  }

  @Test
  void aLocalJarThatIsNotThereIsRefusedNamingItBeforeAnyProcessStarts() throws Exception {
    Path spec = writeSpec("count", "");
    Files.writeString(
        spec,
        Files.readString(spec)
            .replace(
                "    mainClass:",
                "    jars: [build/my-app.jar, hdfs://nn:8020/apps/lib.jar]\n    mainClass:"));

    String message = refusal(spec);

    assertTrue(
        message.contains(
            "spec.application.jars[0]: build/my-app.jar is not a file on this machine (looked for "
                + work.resolve("build/my-app.jar")),
        message);
    assertFalse(message.contains("lib.jar"), "a jar to fetch is the driver's to check: " + message);
  }

  @Test
  void invalidLogLimitsOrRunsToKeepAreRefusedBeforeAnyProcessStarts() throws Exception {
    Path spec = writeSpec("count", "");

    String message = refusal(spec, "--keep-runs", "0");

    assertTrue(message.contains("--keep-runs takes how many runs' logs"), message);
    Files.writeString(
        spec,
        Files.readString(spec)
            .replace(
                "driver: {memory: 256Mi}",
                "driver: {memory: 256Mi, env: [{name: MILLRACE_LOG_FILE_SIZE, value: lots}]}"));
    message = refusal(spec);
    assertTrue(
        message.contains(
            "spec.driver.env: MILLRACE_LOG_FILE_SIZE=lots is not a log file size; write e.g."),
        message);
  }

  @Test
  void aDriverAndAnExecutorWhoseSupervisorIsKilledStopByThemselvesAndANewRunTakesOver()
      throws Exception {
    Path spec =
        writeSpec("count", "gracefulStopTimeout: 10s\n  executor: {instances: 1, memory: 256Mi}");
    Path runDirectory = work.resolve("run");
    Process supervisor = startMillraceRun(spec, runDirectory);
    try {
      await(
          "a driver address", () -> Files.exists(runDirectory.resolve("driver-1.address")), 60_000);
      long driverPid = Long.parseLong(Files.readString(runDirectory.resolve("driver.pid")).trim());
      await("an executor process", () -> executorOf(supervisor, driverPid) != null, 60_000);
      ProcessHandle executor = executorOf(supervisor, driverPid);
      AlreadySupervisedException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              AlreadySupervisedException.class, () -> prepare(spec).run());
      assertTrue(refused.getMessage().contains("another 'millrace run'"), refused.getMessage());

      supervisor.destroyForcibly();
      supervisor.waitFor(30, TimeUnit.SECONDS);
      assertTrue(
          fileNames(runDirectory).containsAll(List.of("driver.pid", "supervisor.pid", "run.lock")),
          "a supervisor killed leaves its files: " + fileNames(runDirectory));
      long killedAt = System.nanoTime();
      executor.onExit().get(30, TimeUnit.SECONDS);
      long executorGoneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      assertTrue(
          executorGoneMs < 5_000, "the executor outlived its supervisor by " + executorGoneMs);
      assertTrue(
          Files.readString(onlyRunLogs(runDirectory).resolve("exec-1.log"))
              .contains("stopping so that no executor runs unsupervised"));
      ProcessHandle driver = ProcessHandle.of(driverPid).orElse(null);
      if (driver != null) {
        driver.onExit().get(30, TimeUnit.SECONDS);
      }
      assertTrue(
          Files.readString(onlyRunLogs(runDirectory).resolve("driver-1.log"))
              .contains("stopping gracefully so that no driver runs unsupervised"));

      LocalRun next = prepare(spec);
      CompletableFuture<Integer> result = runInBackground(next);
      await("the new run's first batch", () -> batchesOf(next) >= 1, 60_000);
      next.requestStop();
      assertEquals(ExitCode.OK.code(), result.get(60, TimeUnit.SECONDS), printed());
      assertFalse(
          fileNames(runDirectory).contains("run.lock"),
          "the run that took over removed the files: " + fileNames(runDirectory));
    } finally {
      supervisor.destroyForcibly();
    }
  }

  @Test
  void sigtermStopsTheSupervisorAndItsDriverGracefully() throws Exception {
    Path spec = writeSpec("count", "gracefulStopTimeout: 10s");
    Path runDirectory = work.resolve("run");
    Process supervisor = startMillraceRun(spec, runDirectory);
    try {
      await(
          "a completed batch",
          () -> !outputDirectories(TestingSupervisedApp.COUNTS).isEmpty(),
          60_000);
      long driverPid = Long.parseLong(Files.readString(runDirectory.resolve("driver.pid")).trim());
      ProcessHandle driver = ProcessHandle.of(driverPid).orElseThrow();

      supervisor.destroy();

      assertTrue(supervisor.waitFor(30, TimeUnit.SECONDS), "millrace run did not stop");
      String log = Files.readString(work.resolve("supervisor.log"));
      assertEquals(ExitCode.OK.code(), supervisor.exitValue(), log);
      assertFalse(driver.isAlive(), "the driver outlived its supervisor");
      assertTrue(log.contains("exited with code 0 (Completed)"), log);
      assertTrue(
          Files.readString(onlyRunLogs(runDirectory).resolve("driver-1.log"))
              .contains("wrote its final checkpoint"));
    } finally {
      supervisor.destroyForcibly();
    }
  }

  @Test
  void ctrlCInATerminalReachesOnlyMillraceRunWhichStopsTheDriverOnceAndReportsTheTruth()
      throws Exception {
    assumeTrue(LocalProcess.SETSID.isPresent(), "setsid (util-linux) is not installed");
    Path spec =
        writeSpec("count", "gracefulStopTimeout: 20s\n  executor: {instances: 1, memory: 256Mi}");
    Path runDirectory = work.resolve("run");
    // As a terminal starts a command: the leader of a process group of its own, the group that
    // Ctrl-C's SIGINT goes to.
    Process supervisor = startMillraceRun(spec, runDirectory, LocalProcess.SETSID.get().toString());
    try {
      await(
          "a completed batch",
          () -> !outputDirectories(TestingSupervisedApp.COUNTS).isEmpty(),
          60_000);
      long driverPid = Long.parseLong(Files.readString(runDirectory.resolve("driver.pid")).trim());
      await("an executor process", () -> executorOf(supervisor, driverPid) != null, 60_000);
      long executorPid = executorOf(supervisor, driverPid).pid();
      long group = processGroup(supervisor.pid());
      assertEquals(supervisor.pid(), group, "millrace run leads its own process group");
      assertNotEquals(group, processGroup(driverPid), "the driver is in the terminal's group");
      assertNotEquals(group, processGroup(executorPid), "the executor is in the terminal's group");

      Process ctrlC = new ProcessBuilder("kill", "-INT", "--", "-" + group).inheritIO().start();
      assertEquals(0, ctrlC.waitFor(), "kill -INT -" + group);

      assertTrue(supervisor.waitFor(60, TimeUnit.SECONDS), "millrace run did not stop");
      String log = Files.readString(work.resolve("supervisor.log"));
      assertEquals(ExitCode.OK.code(), supervisor.exitValue(), log);
      assertTrue(log.contains("driver attempt 1 exited with code 0 (Completed)"), log);
      assertTrue(log.contains("supervised Succeeded: stopped on request"), log);
      assertFalse(log.contains("exec-1 exited with code 130"), "SIGINT reached the executor");
      String driverLog = Files.readString(onlyRunLogs(runDirectory).resolve("driver-1.log"));
      assertEquals(
          List.of("stop requested by SIGTERM"),
          Pattern.compile("stop requested by SIG[A-Z]+")
              .matcher(driverLog)
              .results()
              .map(MatchResult::group)
              .toList(),
          "the driver got exactly one graceful stop, SIGTERM from millrace run:\n" + driverLog);
      assertFalse(driverLog.contains("SIGINT"), driverLog);
      assertTrue(driverLog.contains("wrote its final checkpoint"), driverLog);
    } finally {
      supervisor.destroyForcibly();
    }
  }

  /** The process group of process {@code pid}, from {@code /proc/<pid>/stat}. */
  private static long processGroup(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    // pid (comm) state ppid pgrp session …; comm may hold spaces and parentheses.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[2]);
  }

  @Test
  void aRecoveryNeedingADeletedInputFileEndsFailedAtOnceWithExit66NamingTheFile() throws Exception {
    LocalRun run = killedAfterItsInputWasRead(() -> deleteInputFiles());

    int code = runUntilEnd();

    assertEquals(ExitCode.INPUT_MISSING.code(), code, printed());
    assertEquals(Phase.Failed, run.view().phase());
    assertEquals(2, run.view().attempt(), "not restarted after the exit 66: " + printed());
    assertTrue(printed().contains("exited with code 66 (MissingInput)"), printed());
    assertTrue(printed().contains("The recovery needs input that was deleted"), printed());
    String log = Files.readString(runLogs(run).resolve("driver-2.log"));
    assertTrue(log.contains("input file " + work.resolve("input")), log);
    assertTrue(log.contains("until a checkpoint covers its batch"), log);
  }

  @Test
  void aDamagedBatchPlanTheRecoveryNeedsEndsFailedAtOnceWithExit74NotAsAnIncompatibleBuild()
      throws Exception {
    Path[] damaged = new Path[1];
    LocalRun run = killedAfterItsInputWasRead(() -> damaged[0] = damageAPlan());

    int code = runUntilEnd();

    assertEquals(ExitCode.CHECKPOINT_DAMAGED.code(), code, printed());
    assertEquals(Phase.Failed, run.view().phase());
    assertEquals(2, run.view().attempt(), "not restarted after the exit 74: " + printed());
    assertTrue(printed().contains("exited with code 74 (DamagedCheckpoint)"), printed());
    assertFalse(printed().contains("stateless"), printed());
    String log = Files.readString(runLogs(run).resolve("driver-2.log"));
    assertTrue(log.contains("exit code 74"), log);
    assertTrue(log.contains(damaged[0].getFileName().toString()), log);
    assertTrue(log.contains("delete it to skip that batch"), log);
  }

  /** What is done to the input or the checkpoint before the driver is killed. */
  private interface WhileRunning {
    void run() throws IOException;
  }

  /**
   * Runs the {@code count} app with one checkpoint a minute, so that every batch since the start is
   * replayed by a recovery, until the files it was given are counted; then runs {@code meanwhile}
   * and kills the driver with SIGKILL. The restart comes 2 s later.
   */
  private LocalRun killedAfterItsInputWasRead(WhileRunning meanwhile) throws Exception {
    Path spec =
        writeSpec(
            "count",
            "",
            "restartPolicy: {maxRestarts: 5, window: 10m, backoff: {initial: 2s}}",
            "60s");
    LocalRun run = prepare(spec);
    ended = runInBackground(run);
    Map<String, Integer> expected = new TreeMap<>();
    await("the first driver's first batch", () -> batchesOf(run) >= 1, 60_000);
    writeInputFiles(0, 3, expected);
    await("every word counted", () -> expected.equals(sumOfSavedCounts()), 60_000);
    meanwhile.run();
    ProcessHandle.of(driverPid(run)).orElseThrow().destroyForcibly();
    return run;
  }

  private int runUntilEnd() throws Exception {
    return ended.get(90, TimeUnit.SECONDS);
  }

  private void deleteInputFiles() throws IOException {
    try (Stream<Path> files = Files.list(work.resolve("input"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
  }

  /** Flips the last byte of the second-oldest batch plan, one the recovery replays. */
  private Path damageAPlan() throws IOException {
    Path plan;
    try (Stream<Path> plans = Files.list(work.resolve("checkpoint/batches"))) {
      plan =
          plans
              .filter(p -> p.getFileName().toString().endsWith(".plan"))
              .sorted()
              .skip(1)
              .findFirst()
              .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(plan);
    bytes[bytes.length - 1] ^= 1;
    Files.write(plan, bytes);
    return plan;
  }

  /**
   * The process other than its driver {@code driverPid} that {@code supervisor} started, its one
   * executor; null before it has started it.
   */
  private static ProcessHandle executorOf(Process supervisor, long driverPid) {
    return supervisor.descendants().filter(p -> p.pid() != driverPid).findFirst().orElse(null);
  }

  /**
   * {@code millrace run} as a process of its own, printing to {@code supervisor.log}, its command
   * after {@code prefix} (e.g. {@code setsid}).
   */
  private Process startMillraceRun(Path spec, Path runDirectory, String... prefix)
      throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(prefix));
    command.addAll(
        dev.millrace.streaming.TestingJvm.command(
            System.getProperty("java.class.path"), dev.millrace.runtime.cli.Millrace.class));
    command.addAll(List.of("run", spec.toString(), "--run-dir", runDirectory.toString()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("supervisor.log").toFile())
        .start();
  }

  /** The directory of the logs of {@code run}, {@code logs/<start>} in its run directory. */
  private static Path runLogs(LocalRun run) {
    return run.logDirectory().orElseThrow(() -> new AssertionError("the run has not started"));
  }

  /** The log directory of the one run {@code runDirectory} has seen. */
  private static Path onlyRunLogs(Path runDirectory) throws IOException {
    try (Stream<Path> runs = Files.list(runDirectory.resolve("logs"))) {
      List<Path> all = runs.toList();
      assertEquals(1, all.size(), "the logs of one run: " + all);
      return all.get(0);
    }
  }

  /** The status {@code millrace run} wrote to {@code status.yaml} in the run directory. */
  private static StreamingAppStatus statusFile(LocalRun run) throws IOException {
    return new KubernetesSerialization()
        .unmarshal(Files.readString(run.runDirectory().resolve("status.yaml")), StreamingApp.class)
        .getStatus();
  }

  private LocalRun prepare(Path spec) {
    return LocalRun.prepare(
        spec,
        LocalRunOptions.defaults()
            .withRunDirectory(work.resolve("run"))
            .withProgressInterval(Duration.ofMillis(500))
            .withJvmOptions(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"))
            .withOut(new PrintStream(printed, true, StandardCharsets.UTF_8)));
  }

  private static CompletableFuture<Integer> runInBackground(LocalRun run) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(run.run());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "local-run");
    t.setDaemon(true);
    t.start();
    return result;
  }

  private Path writeSpec(String mode, String extra) throws IOException {
    return writeSpec(mode, "", extra);
  }

  /** A spec of {@code mode} with {@code conf} entries and {@code extra} spec fields. */
  private Path writeSpec(String mode, String conf, String extra) throws IOException {
    return writeSpec(mode, conf, extra, "600ms");
  }

  /** As above, checkpointing every {@code checkpointInterval}. */
  private Path writeSpec(String mode, String conf, String extra, String checkpointInterval)
      throws IOException {
    return writeSpec(
        mode,
        Files.createDirectories(work.resolve("input")).toString(),
        conf,
        extra,
        checkpointInterval);
  }

  /** As above, reading {@code input}: a directory, or {@code host:port} for mode socket. */
  private Path writeSpec(
      String mode, String input, String conf, String extra, String checkpointInterval)
      throws IOException {
    Path output = Files.createDirectories(work.resolve("output"));
    String yaml =
        """
        apiVersion: millrace.dev/v1alpha1
        kind: StreamingApp
        metadata:
          name: supervised
        spec:
          application:
            mainClass: %s
            args: [%s, %s, %s]
            conf: {%s}
          batchInterval: 200ms
          checkpoint:
            dir: checkpoint
            interval: %s
          driver: {memory: 256Mi}
          %s
        """
            .formatted(
                TestingSupervisedApp.class.getName(),
                mode,
                input,
                output,
                conf,
                checkpointInterval,
                extra);
    Path spec = work.resolve("app.yaml");
    Files.writeString(spec, yaml);
    return spec;
  }

  /** Writes files {@code from} until {@code to}, adding their words to {@code expected}. */
  private void writeInputFiles(int from, int to, Map<String, Integer> expected)
      throws IOException, InterruptedException {
    for (int f = from; f < to; f++) {
      StringBuilder text = new StringBuilder();
      for (int line = 0; line < 20; line++) {
        String word = WORDS[(f * 7 + line * 3) % WORDS.length];
        text.append(word).append(' ').append(WORDS[(f + line) % WORDS.length]).append('\n');
        expected.merge(word, 1, Integer::sum);
        expected.merge(WORDS[(f + line) % WORDS.length], 1, Integer::sum);
      }
      Path hidden = work.resolve("input").resolve(".f" + f + ".tmp");
      Files.writeString(hidden, text);
      Files.move(
          hidden, work.resolve("input").resolve("f" + f + ".txt"), StandardCopyOption.ATOMIC_MOVE);
      Thread.sleep(150);
    }
  }

  private Map<String, Integer> sumOfSavedCounts() {
    Map<String, Integer> sum = new TreeMap<>();
    for (Path dir : outputDirectories(TestingSupervisedApp.COUNTS)) {
      readCounts(dir).forEach((w, n) -> sum.merge(w, n, Integer::sum));
    }
    return sum;
  }

  private Map<String, Integer> newestTotals() {
    List<Path> dirs = outputDirectories(TestingSupervisedApp.TOTALS);
    return dirs.isEmpty() ? Map.of() : readCounts(dirs.get(dirs.size() - 1));
  }

  /** Complete output directories of {@code name}, oldest batch first. */
  private List<Path> outputDirectories(String name) {
    Pattern dirName = Pattern.compile(Pattern.quote(name) + "-(\\d+)\\.txt");
    try (Stream<Path> all = Files.list(work.resolve("output"))) {
      return all.filter(p -> dirName.matcher(p.getFileName().toString()).matches())
          .filter(p -> Files.exists(p.resolve("_SUCCESS")))
          .sorted(
              (a, b) -> {
                Matcher ma = dirName.matcher(a.getFileName().toString());
                Matcher mb = dirName.matcher(b.getFileName().toString());
                ma.matches();
                mb.matches();
                return Long.compare(Long.parseLong(ma.group(1)), Long.parseLong(mb.group(1)));
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Integer> readCounts(Path dir) {
    Map<String, Integer> counts = new TreeMap<>();
    try (Stream<Path> parts = Files.list(dir)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(part)) {
          Matcher m = LINE.matcher(line);
          if (!m.matches()) {
            fail("unexpected line '" + line + "' in " + part);
          }
          counts.merge(m.group(1), Integer.parseInt(m.group(2)), Integer::sum);
        }
      }
    } catch (IOException e) {
      // A directory replaced by a re-run batch while listing: read it on the next poll.
      return Map.of();
    }
    return counts;
  }

  private static long batchesOf(LocalRun run) {
    return run.lastReport()
        .filter(r -> r.attempt() == run.view().attempt())
        .map(r -> r.batchesCompleted())
        .orElse(0L);
  }

  private static long driverPid(LocalRun run) throws IOException {
    return Long.parseLong(Files.readString(run.runDirectory().resolve("driver.pid")).trim());
  }

  private void await(String what, BooleanSupplier condition, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMillis(timeoutMillis).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("no " + what + " within " + timeoutMillis + " ms; printed so far:\n" + printed());
      }
      Thread.sleep(50);
    }
  }

  private static String readyReason(LocalRun run) {
    return statusReason(run, "Ready");
  }

  /** The reason of condition {@code type} in the status last written, "" before one. */
  private static String statusReason(LocalRun run, String type) {
    return run.status()
        .flatMap(s -> s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst())
        .map(Condition::getReason)
        .orElse("");
  }

  private static Condition condition(StreamingAppStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private static void assertCondition(StreamingAppStatus status, String type, String expected) {
    assertEquals(
        expected, condition(status, type).getStatus(), type + " " + condition(status, type));
  }

  private String printed() {
    String all = printed.toString(StandardCharsets.UTF_8);
    return all.length() > 6000 ? "…" + all.substring(all.length() - 6000) : all;
  }
}
