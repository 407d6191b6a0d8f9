package dev.millrace.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.examples.FileWordCountOutput;
import dev.millrace.runtime.logs.LogLimits;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code millrace submit --master yarn} end to end on a real (in-process) HDFS and YARN: the word
 * count example with its input, output and checkpoint on HDFS, its driver and executor in YARN
 * containers. One application goes through the ordered tests (submitted, its driver killed, its
 * executor killed, its ApplicationMaster killed, stopped, resubmitted), so that the class starts
 * the clusters once.
 */
@Tag("process")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class YarnApplicationTest {
  @RegisterExtension static final TestingYarnCluster cluster = new TestingYarnCluster();

  private static final String[] WORDS = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"
  };
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  private static final Map<String, Integer> expected = new TreeMap<>();
  private static Path spec;
  private static Path javaHome;
  // On HDFS: hdfs://localhost:port/word-count/input and …/output.
  private static String input;
  private static String output;
  private static ApplicationId application;
  private static int filesWritten;
  private static YarnClient yarnClient;

  @Test
  @Order(1)
  void aSpecThatIsNotValidForYarnIsRefusedBeforeAnythingIsStaged() throws IOException {
    Path work = cluster.scratch("bad");
    Path spec = work.resolve("bad.yaml");
    Files.writeString(
        spec,
        """
        apiVersion: millrace.dev/v1alpha1
        kind: StreamingApp
        metadata:
          name: bad-app
        spec:
          application:
            mainClass: dev.millrace.examples.FileWordCount
            jars: [/opt/app/app.jar]
          batchInterval: 1s
          checkpoint:
            dir: /tmp/ckpt
        """);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        YarnCli.run(
            List.of("submit", "--master", "yarn", spec.toString()),
            cluster.conf(),
            TestingYarnCluster.containerClassPath(),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(78, code);
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("spec.application.jars[0]"), message);
    assertTrue(message.contains("nothing was staged"), message);
    FileSystem fs = cluster.fileSystem();
    assertFalse(
        fs.exists(new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".millrace-staging")),
        "a staging directory was created for a refused spec");
  }

  @Test
  @Order(2)
  void aSubmittedWordCountReadsAndWritesHdfsCountsEveryWordExactlyAndShowsItsStatus()
      throws Exception {
    Path work = cluster.scratch("word-count");
    input = cluster.hdfsUri() + "/word-count/input";
    output = cluster.hdfsUri() + "/word-count/output";
    cluster.fileSystem().mkdirs(new org.apache.hadoop.fs.Path(input));
    spec = work.resolve("word-count.yaml");
    Files.writeString(
        spec,
        """
        apiVersion: millrace.dev/v1alpha1
        kind: StreamingApp
        metadata:
          name: word-count
        spec:
          application:
            mainClass: dev.millrace.examples.FileWordCount
            args: [%s, %s]
          batchInterval: 1s
          checkpoint:
            dir: %s/checkpoints/word-count
            interval: 5s
          driver:
            cores: 1
            memory: 512Mi
            env:
            - {name: MILLRACE_LOG_FILE_SIZE, value: 1Ki}
            - {name: MILLRACE_LOG_FILES, value: "50"}
          executor:
            instances: 1
            cores: 1
            memory: 512Mi
          restartPolicy:
            type: Always
            maxRestarts: 5
            window: 10m
            backoff: {initial: 1s, max: 5s, multiplier: 2.0}
          gracefulStopTimeout: 30s
        """
            .formatted(input, output, cluster.hdfsUri()));
    // A Java home whose bin/java notes each start in a file and then runs this JVM's Java, as
    // --java-home would name a Java 17 on every NodeManager host.
    javaHome = cluster.scratch("java-home");
    Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
    Files.writeString(
        java,
        "#!/bin/sh\necho \"$$ $*\" >> %s\nexec %s \"$@\"\n"
            .formatted(
                javaHome.resolve("started"),
                Path.of(System.getProperty("java.home"), "bin", "java")));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (YarnSubmitter client =
        new YarnSubmitter(
            cluster.conf(),
            TestingYarnCluster.containerClassPath(),
            new PrintStream(out, true, StandardCharsets.UTF_8))) {
      application =
          client.submit(new SubmitOptions(spec, null, javaHome.toString(), "640Mi", false));
    }
    assertTrue(out.toString(StandardCharsets.UTF_8).contains(application.toString()));

    // The file stream ignores files that were there before it started.
    await("the first batch's output", () -> firstOutput());
    writeInputFiles(4);
    awaitExactOutput();

    ByteArrayOutputStream status = new ByteArrayOutputStream();
    assertEquals(
        0,
        YarnCli.run(
            List.of("status", application.toString()),
            cluster.conf(),
            List.of(),
            new PrintStream(status, true, StandardCharsets.UTF_8),
            System.err));
    String shown = status.toString(StandardCharsets.UTF_8);
    assertTrue(shown.contains("RUNNING") && shown.contains("driver attempt 1"), shown);
    // The status every backend projects, with the driver's file input.
    assertTrue(shown.contains("Ready       True  Running"), shown);
    assertTrue(shown.contains("Degraded    False Healthy"), shown);
    assertTrue(shown.contains("input textFileStream#0 (hdfs://"), shown);
    // Every container logs into a rolling file in its log directory.
    assertFalse(
        cluster
            .containerLogLines("stderr.log", "driver attempt 1 published its addresses")
            .isEmpty());
    assertFalse(cluster.containerLogLines("stderr.log", "registered; tracking URL").isEmpty());
    // The driver's log rolls at its spec's 1 KiB into names YARN's rolled-logs pattern uploads;
    // 50 rolled files are kept, enough for every line the later tests look for (keeping the newest
    // N is ProcessLoggingTest's); the other containers' logs roll at the default 64 MiB.
    List<String> rolled =
        cluster.containerLogNames().stream().filter(n -> n.startsWith("stderr.log.")).toList();
    assertFalse(rolled.isEmpty(), "the driver's log rolled: " + cluster.containerLogNames());
    assertTrue(rolled.size() <= 50, "at most 50 rolled files kept: " + rolled);
    for (String name : rolled) {
      assertTrue(
          name.matches(LogLimits.ROLLED_PATTERN) && name.matches("stderr\\.log\\.\\d{5}"), name);
    }
    // One slf4j provider on the containers' class path, and Hadoop's native-library WARN silenced.
    assertEquals(List.of(), cluster.containerLogLines("stderr", "SLF4J"));
    assertEquals(List.of(), cluster.containerLogLines("stderr.log", "native-hadoop"));
    // Through the ResourceManager's web proxy, the ApplicationMaster relays the driver's metrics.
    String tracking = report().getTrackingUrl();
    assertTrue(tracking.contains("/proxy/" + application + "/"), tracking);
    // A MiniYARNCluster builds the proxy URL from the web app's configured port (0) before it
    // binds; a real ResourceManager's is fixed. Ask the bound one, at the same proxy path.
    String proxied =
        "http://"
            + cluster.conf().get("yarn.resourcemanager.webapp.address")
            + URI.create(tracking).getPath();
    HttpResponse<String> metrics;
    try {
      metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(proxied + "driver/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("the proxied tracking URL " + proxied + " cannot be reached", e);
    }
    assertEquals(200, metrics.statusCode(), metrics.body());
    assertTrue(
        metrics.body().contains("millrace_batches_completed_total{app=\"word-count\""),
        metrics.body());
    // The executor serves its metrics on a free port of its host; Prometheus finds it through the
    // driver's HTTP service discovery, which the ApplicationMaster relays too.
    String target = await("exec-1 among the scrape targets", () -> scrapeTarget(proxied, "exec-1"));
    HttpResponse<String> executorMetrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + target + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, executorMetrics.statusCode(), executorMetrics.body());
    assertTrue(executorMetrics.body().contains("role=\"executor\""), executorMetrics.body());
  }

  /** The metrics address the driver gives Prometheus for {@code executor}, through the proxy. */
  private static Optional<String> scrapeTarget(String proxied, String executor) {
    try {
      String targets =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(proxied + "driver/api/v1/scrape-targets"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m =
          Pattern.compile(
                  "\\{\"targets\":\\[\"([^\"]+)\"\\],\"labels\":\\{\"__meta_millrace_executor\":\""
                      + executor
                      + "\"\\}\\}")
              .matcher(targets);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Test
  @Order(3)
  void theApplicationMasterDriverAndExecutorRunTheJavaOfTheJavaHomeFlagAndTheAmItsMemory()
      throws Exception {
    List<String> started = Files.readAllLines(javaHome.resolve("started"));
    // The wrapper execs Java, so its pid is the container's JVM.
    for (String main : List.of("ApplicationMaster", "DriverContainer", "executor")) {
      long pid = await(main + " running", () -> process(main, null)).pid();
      assertTrue(
          started.stream().anyMatch(line -> line.startsWith(pid + " ") && line.contains(main)),
          main + " (pid " + pid + ") was not started by " + javaHome + "/bin/java: " + started);
    }
    // --am-memory 640Mi: a 640 MiB container whose heap leaves 320 MiB for the rest of the JVM.
    assertTrue(
        started.stream().anyMatch(l -> l.contains("ApplicationMaster") && l.contains(" -Xmx320m ")),
        started.toString());
    ContainerId am =
        yarn()
            .getApplicationAttemptReport(report().getCurrentApplicationAttemptId())
            .getAMContainerId();
    assertEquals(640, yarn().getContainerReport(am).getAllocatedResource().getMemorySize());
  }

  @Test
  @Order(4)
  void aKilledDriverIsRestartedAndRecoversFromItsHdfsCheckpoint() throws Exception {
    ProcessHandle driver = await("driver attempt 1 running", () -> process("DriverContainer", "1"));
    driver.destroyForcibly();

    await("driver attempt 2 running", () -> process("DriverContainer", "2"));
    // Through the tracking URL; the executor found the new driver in its published address.
    await(
        "driver attempt 2 with exec-1 registered, reported through the tracking URL",
        () ->
            driverStatus()
                .filter(s -> s.attempt() == 2)
                .filter(s -> s.executors().stream().anyMatch(e -> e.id().equals("exec-1"))));
    writeInputFiles(4);
    awaitExactOutput();
    // The application id names the supervisor: attempt 2 took the checkpoint's lease at once.
    assertFalse(
        cluster
            .containerLogLines(
                "stderr.log", "attempt 2 of supervisor " + application + " replaces attempt 1")
            .isEmpty(),
        "driver attempt 2 did not take the checkpoint's lease over from attempt 1");
  }

  @Test
  @Order(5)
  void aKilledExecutorIsReplacedAndNoWordIsLostOrCountedTwice() throws Exception {
    ProcessHandle executor = await("executor exec-1 running", () -> process("executor", "exec-1"));
    executor.destroyForcibly();

    await(
        "a new executor exec-1",
        () -> process("executor", "exec-1").filter(p -> p.pid() != executor.pid()));
    await(
        "the new exec-1 registered with the driver",
        () ->
            driverStatus()
                .filter(
                    s ->
                        s.executors().stream()
                            .anyMatch(e -> e.id().equals("exec-1") && e.pid() != executor.pid())));
    writeInputFiles(4);
    awaitExactOutput();
  }

  @Test
  @Order(6)
  void aRestartedApplicationMasterAdoptsTheRunningDriverAndExecutorAndTheAppNeverStops()
      throws Exception {
    ProcessHandle driver = await("driver attempt 2 running", () -> process("DriverContainer", "2"));
    ProcessHandle executor = await("executor exec-1 running", () -> process("executor", "exec-1"));
    long batchesBefore = driverStatus().orElseThrow().batchesCompleted();
    ProcessHandle am =
        await("the ApplicationMaster running", () -> process("ApplicationMaster", null));
    am.destroyForcibly();

    await(
        "a second ApplicationMaster attempt",
        () ->
            Optional.of(report())
                .filter(r -> r.getCurrentApplicationAttemptId().getAttemptId() == 2)
                .filter(r -> r.getYarnApplicationState() == YarnApplicationState.RUNNING));
    String supervisor =
        await(
            "the second attempt supervising driver attempt 2",
            () -> supervisorLine().filter(line -> line.contains("driver attempt 2")));
    assertTrue(supervisor.startsWith("Running"), supervisor);
    await(
        "driver attempt 2 with the same exec-1, through the second attempt's tracking URL",
        () ->
            driverStatus()
                .filter(s -> s.attempt() == 2)
                .filter(
                    s ->
                        s.executors().stream()
                            .anyMatch(e -> e.id().equals("exec-1") && e.pid() == executor.pid())));
    writeInputFiles(4);
    awaitExactOutput();

    assertEquals(
        1,
        cluster
            .containerLogLines("stderr.log", "driver attempt 2, 2 of 2 containers adopted")
            .size());
    // Adopted, not restarted: the same processes ran throughout and no other one was started.
    assertTrue(driver.isAlive(), "driver attempt 2 was restarted");
    assertTrue(executor.isAlive(), "exec-1 was restarted");
    assertEquals(driver.pid(), process("DriverContainer", null).orElseThrow().pid());
    assertEquals(executor.pid(), process("executor", null).orElseThrow().pid());
    assertTrue(driverStatus().orElseThrow().batchesCompleted() > batchesBefore);
  }

  @Test
  @Order(7)
  void aStopWithoutTheApplicationsTokenIsRefusedAndTheApplicationRunsOn() throws Exception {
    StagingDirectory staging =
        StagingDirectory.forApplication(cluster.fileSystem(), application.toString());
    FileStatus token =
        cluster
            .fileSystem()
            .getFileStatus(new org.apache.hadoop.fs.Path(staging.uri(StagingDirectory.STOP_TOKEN)));
    assertEquals("rw-------", token.getPermission().toString(), "the staged stop token");
    String secret = staging.readStopToken().value();
    // Handed over in the container's credentials: not on its command line, not in its environment.
    long am =
        await("the ApplicationMaster running", () -> process("ApplicationMaster", null)).pid();
    assertFalse(Files.readString(Path.of("/proc/" + am + "/cmdline")).contains(secret));
    assertFalse(Files.readString(Path.of("/proc/" + am + "/environ")).contains(secret));
    long batchesBefore = driverStatus().orElseThrow().batchesCompleted();

    HttpResponse<String> anonymous = postStop(null);
    HttpResponse<String> guessed = postStop(StopToken.generate().value());

    assertEquals(401, anonymous.statusCode(), anonymous.body());
    assertTrue(anonymous.body().contains("millrace stop <application id>"), anonymous.body());
    assertEquals(403, guessed.statusCode(), guessed.body());
    await(
        "batches after the refused stops",
        () -> driverStatus().filter(s -> s.batchesCompleted() > batchesBefore + 2));
    assertEquals(YarnApplicationState.RUNNING, report().getYarnApplicationState());
    assertTrue(supervisorLine().orElseThrow().startsWith("Running"));
  }

  @Test
  @Order(8)
  void stopEndsTheDriverGracefullyAndTheApplicationSucceededAndDeletesItsStagingDirectory()
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        YarnCli.run(
            List.of("stop", application.toString(), "--wait"),
            cluster.conf(),
            List.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);

    assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
    String shown = out.toString(StandardCharsets.UTF_8);
    assertTrue(shown.contains(FinalApplicationStatus.SUCCEEDED.name()), shown);
    // Exit 0: the driver stopped on SIGTERM and checkpointed, not killed after the grace period.
    assertTrue(shown.contains("exited with code 0"), shown);
    assertFalse(
        StagingDirectory.forApplication(cluster.fileSystem(), application.toString()).exists());
    assertEquals(expected, FileWordCountOutput.savedCounts(output));
  }

  @Test
  @Order(9)
  void resubmittingTheSameSpecContinuesFromTheFinalCheckpoint() throws Exception {
    Map<String, Integer> before = FileWordCountOutput.newestTotals(output);
    assertEquals(expected, before);
    try (YarnSubmitter client =
        new YarnSubmitter(
            cluster.conf(),
            TestingYarnCluster.containerClassPath(),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      application = client.submit(SubmitOptions.of(spec));
    }
    await(
        "the resubmitted driver completing batches",
        () -> driverStatus().filter(s -> s.batchesCompleted() > 0));
    writeInputFiles(4);
    // The totals go on from those of the stopped application: its state came from the final
    // checkpoint. A fresh start would count only the new files.
    awaitExactOutput();
    // Ended at once: the resubmitted driver may still be computing the batches of the time it was
    // stopped (empty ones, as Spark Streaming does), which a graceful stop would wait for.
    yarn().killApplication(application);
  }

  @Test
  @Order(10)
  void theNextSubmitRemovesTheStagingDirectoryAKilledApplicationLeftBehind() throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (report().getYarnApplicationState() != YarnApplicationState.KILLED) {
      assertTrue(System.nanoTime() < deadline, "the resubmitted application was not killed");
      Thread.sleep(200);
    }
    // Killed from outside, its ApplicationMaster could not delete it.
    assertTrue(
        StagingDirectory.forApplication(cluster.fileSystem(), application.toString()).exists());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (YarnSubmitter client =
        new YarnSubmitter(
            cluster.conf(), List.of(), new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertEquals(List.of(application.toString()), client.removeEndedStagingDirectories());
    }
    assertFalse(
        StagingDirectory.forApplication(cluster.fileSystem(), application.toString()).exists());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("which has ended"));
  }

  /** {@code POST /stop} to the ApplicationMaster, with {@code token} as a bearer if not null. */
  private static HttpResponse<String> postStop(String token) throws Exception {
    String url = yarn().getApplicationReport(application).getOriginalTrackingUrl();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + "stop"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** What the ApplicationMaster's Supervisor says, from {@code /supervisor}. */
  private static Optional<String> supervisorLine() {
    try {
      String url = yarn().getApplicationReport(application).getOriginalTrackingUrl();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "supervisor"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body().strip()) : Optional.empty();
    } catch (IOException | YarnException | IllegalArgumentException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static ApplicationReport report() {
    try {
      return yarn().getApplicationReport(application);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (YarnException e) {
      throw new IllegalStateException(e);
    }
  }

  private static YarnClient yarn() {
    if (yarnClient == null) {
      yarnClient = YarnClient.createYarnClient();
      yarnClient.init(cluster.conf());
      yarnClient.start();
    }
    return yarnClient;
  }

  @AfterAll
  static void stopClient() {
    if (yarnClient != null) {
      yarnClient.stop();
    }
  }

  /**
   * Writes {@code n} more files into the input directory, adding their words to {@code expected}.
   */
  private static void writeInputFiles(int n) throws IOException, InterruptedException {
    FileSystem fs = cluster.fileSystem();
    for (int i = 0; i < n; i++) {
      int f = filesWritten++;
      StringBuilder text = new StringBuilder();
      for (int line = 0; line < 20; line++) {
        String word = WORDS[(f * 7 + line * 3) % WORDS.length];
        String other = WORDS[(f + line) % WORDS.length];
        text.append(word).append(' ').append(other).append('\n');
        expected.merge(word, 1, Integer::sum);
        expected.merge(other, 1, Integer::sum);
      }
      // Written under a hidden name, then renamed into the watched directory in one step.
      org.apache.hadoop.fs.Path hidden = new org.apache.hadoop.fs.Path(input, ".f" + f + ".tmp");
      try (var out = fs.create(hidden, false)) {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      }
      if (!fs.rename(hidden, new org.apache.hadoop.fs.Path(input, "f" + f + ".txt"))) {
        throw new IOException("cannot rename " + hidden + " into " + input);
      }
      Thread.sleep(200);
    }
  }

  /** Waits until both outputs hold exactly the words written: none lost, none counted twice. */
  private static void awaitExactOutput() throws Exception {
    await(
        "output with every word counted once: " + expected,
        () ->
            Optional.of(true)
                .filter(
                    ok ->
                        expected.equals(FileWordCountOutput.newestTotals(output))
                            && expected.equals(FileWordCountOutput.savedCounts(output))));
    assertEquals(expected, FileWordCountOutput.savedCounts(output));
    assertEquals(expected, FileWordCountOutput.newestTotals(output));
  }

  /** The driver's status, read where the application's tracking URL leads. */
  private static Optional<DriverStatusReport> driverStatus() {
    try {
      String url = yarn().getApplicationReport(application).getOriginalTrackingUrl();
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(Duration.ofSeconds(2))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? Optional.of(DriverStatusReport.fromJson(response.body()))
          : Optional.empty();
    } catch (IOException | YarnException | IllegalArgumentException e) {
      // IllegalArgumentException: no tracking URL before the ApplicationMaster registers.
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<String> firstOutput() {
    try {
      FileSystem fs = cluster.fileSystem();
      for (FileStatus dir : fs.listStatus(new org.apache.hadoop.fs.Path(output))) {
        if (fs.exists(new org.apache.hadoop.fs.Path(dir.getPath(), "_SUCCESS"))) {
          return Optional.of(dir.getPath().toString());
        }
      }
      return Optional.empty();
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The live process started by this JVM's NodeManager whose arguments include {@code main} and
   * {@code value}, the one that follows {@code --attempt} or {@code --id} (null: any): a
   * container's JVM.
   */
  private static Optional<ProcessHandle> process(String main, String value) {
    // Descendants only: the NodeManager in this JVM starts the containers, and other processes of
    // the machine (another test run's executors) must never be touched.
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(
            p -> {
              List<String> args = List.of(p.info().arguments().orElse(new String[0]));
              int at = Math.max(args.indexOf("--attempt"), args.indexOf("--id"));
              return args.stream().anyMatch(a -> a.endsWith(main))
                  && (value == null
                      || at >= 0 && at + 1 < args.size() && args.get(at + 1).equals(value));
            })
        .findFirst();
  }

  private static <T> T await(String what, Supplier<Optional<T>> condition) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (application != null) {
        ApplicationReport report = yarn().getApplicationReport(application);
        if (report.getYarnApplicationState() == YarnApplicationState.FINISHED
            || report.getYarnApplicationState() == YarnApplicationState.FAILED
            || report.getYarnApplicationState() == YarnApplicationState.KILLED) {
          throw new AssertionError(
              "the application ended "
                  + report.getFinalApplicationStatus()
                  + " while waiting for "
                  + what
                  + ": "
                  + report.getDiagnostics());
        }
      }
      Optional<T> value = condition.get();
      if (value.isPresent()) {
        return value.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
  }
}
