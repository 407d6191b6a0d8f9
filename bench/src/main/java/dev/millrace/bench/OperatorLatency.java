package dev.millrace.bench;

import dev.millrace.crds.BackoffSpec;
import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.operator.TestingApps;
import dev.millrace.operator.TestingCluster;
import dev.millrace.operator.resource.AppNames;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Operator latency without Spark or real drivers: the operator's own jar in a JVM of its own,
 * against the fabric8 mock API server (CRUD mode) with a {@link SimulatedKubelet}. Per repeat, on a
 * fresh server and operator: the operator's heap idle; {@code apps} StreamingApps created at once
 * until every one is Running, and the heap then; then {@code failures} driver failures, one at a
 * time, round-robin over the first {@code failingApps} apps, each timed from the failed pod status
 * being sent to the next attempt's driver pod being seen created. Writes {@code
 * <docs>/benchmarks-operator-raw.csv} and writes {@code <docs>/benchmarks-operator.md}.
 *
 * <p>System properties: {@code bench.cp.operator} (the operator's runtime classpath; bench/run sets
 * it), {@code bench.repeats} (3), {@code bench.operator.apps} (100), {@code
 * bench.operator.failures} (200: at 100 or fewer, the nearest-rank p99 is the maximum), {@code
 * bench.operator.failingApps} (5), {@code bench.docs} ({@code docs}), {@code bench.operator.logs}
 * ({@code bench/target}).
 */
public final class OperatorLatency {
  /** The smallest restart backoff the spec accepts: durations must be longer than 0. */
  static final String BACKOFF = "1ms";

  /**
   * Held, so that the level sticks: the mock server logs every request at INFO, which would cost
   * the benchmark's JVM, where the server runs, more than the requests themselves.
   */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ALL_RUNNING_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration NEXT_POD_TIMEOUT = Duration.ofSeconds(30);

  private final String operatorClasspath;
  private final int apps;
  private final int failures;
  private final int failingApps;
  private final Path logs;
  private final PrintWriter raw;

  private OperatorLatency(
      String operatorClasspath,
      int apps,
      int failures,
      int failingApps,
      Path logs,
      PrintWriter raw) {
    this.operatorClasspath = operatorClasspath;
    this.apps = apps;
    this.failures = failures;
    this.failingApps = failingApps;
    this.logs = logs;
    this.raw = raw;
  }

  public static void main(String[] args) throws Exception {
    String classpath = System.getProperty("bench.cp.operator");
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalArgumentException(
          "set -Dbench.cp.operator to the operator's runtime classpath (bench/run operator does)");
    }
    measure(
        classpath,
        Integer.getInteger("bench.repeats", 3),
        Integer.getInteger("bench.operator.apps", 100),
        Integer.getInteger("bench.operator.failures", 200),
        Integer.getInteger("bench.operator.failingApps", 5),
        Path.of(System.getProperty("bench.docs", "docs")),
        Path.of(System.getProperty("bench.operator.logs", "bench/target")));
  }

  /**
   * Runs {@code repeats} repeats of the operator on {@code classpath} and writes {@link
   * OperatorReport#RAW} and the report into {@code docs}, the operator's logs into {@code logs}.
   */
  static void measure(
      String classpath, int repeats, int apps, int failures, int failingApps, Path docs, Path logs)
      throws Exception {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    int failing = Math.min(apps, failingApps);
    Files.createDirectories(docs);
    Files.createDirectories(logs);
    Path rawFile = docs.resolve(OperatorReport.RAW);
    try (PrintWriter raw =
        new PrintWriter(Files.newBufferedWriter(rawFile, StandardCharsets.UTF_8))) {
      raw.printf(
          Locale.ROOT,
          "# started=%s apps=%d failures=%d failingApps=%d backoff=%s cores=%d java=%s%n",
          Instant.now(),
          apps,
          failures,
          failing,
          BACKOFF,
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"));
      raw.println(OperatorReport.COLUMNS);
      OperatorLatency bench = new OperatorLatency(classpath, apps, failures, failing, logs, raw);
      for (int repeat = 1; repeat <= repeats; repeat++) {
        bench.run(repeat);
      }
    }
    OperatorReport.write(rawFile, docs);
  }

  private void run(int repeat) throws Exception {
    System.out.printf("operator benchmark, repeat %d: load %s%n", repeat, load());
    try (TestingCluster cluster = new TestingCluster();
        SimulatedKubelet kubelet = new SimulatedKubelet(cluster, TestingApps.NAMESPACE);
        AppPhases phases = new AppPhases(cluster);
        OperatorProcess operator =
            OperatorProcess.start(
                operatorClasspath,
                cluster.client().getConfiguration().getMasterUrl(),
                logs.resolve("operator-" + repeat + ".log"))) {
      operator.awaitReady(READY_TIMEOUT);
      record(repeat, "heap_idle_bytes", operator.heapUsedAfterGc());

      List<StreamingApp> created = new ArrayList<>();
      for (int i = 1; i <= apps; i++) {
        created.add(app("bench-" + i));
      }
      Map<String, Long> createdAt = new ConcurrentHashMap<>();
      ExecutorService creators = Executors.newFixedThreadPool(4);
      long burst = System.nanoTime();
      try {
        List<Future<?>> done = new ArrayList<>();
        for (StreamingApp app : created) {
          done.add(
              creators.submit(
                  () -> {
                    createdAt.put(app.getMetadata().getName(), System.nanoTime());
                    cluster.client().resource(app).create();
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        creators.shutdownNow();
      }
      await(
          apps + " apps Running",
          ALL_RUNNING_TIMEOUT,
          () -> created.stream().allMatch(a -> phases.runningSince(a) != null));
      long last = 0;
      for (StreamingApp app : created) {
        long running = phases.runningSince(app);
        last = Math.max(last, running);
        record(
            repeat,
            "create_to_running_ms",
            millis(running - createdAt.get(app.getMetadata().getName())));
      }
      record(repeat, "all_running_ms", millis(last - burst));
      record(repeat, "heap_at_apps_bytes", operator.heapUsedAfterGc());

      int[] attempts = new int[failingApps];
      Arrays.fill(attempts, 1);
      for (int i = 0; i < failures; i++) {
        int which = i % failingApps;
        StreamingApp app = created.get(which);
        String driver = AppNames.driverPod(app, attempts[which]);
        String next = AppNames.driverPod(app, attempts[which] + 1);
        int attempt = attempts[which];
        await(
            driver + " running and its app Running",
            NEXT_POD_TIMEOUT,
            () -> kubelet.running(driver) && phases.runningAttempt(app) == attempt);
        long failedAt = kubelet.fail(driver);
        await(next + " created", NEXT_POD_TIMEOUT, () -> kubelet.createdAtNanos(next) != null);
        record(repeat, "failure_to_next_pod_ms", millis(kubelet.createdAtNanos(next) - failedAt));
        attempts[which]++;
      }
    }
    raw.flush();
  }

  /** An app whose driver restarts after {@link #BACKOFF}, up to {@code failures} times. */
  private StreamingApp app(String name) {
    StreamingApp app = TestingApps.app(name, 1);
    BackoffSpec backoff = new BackoffSpec();
    backoff.setInitial(BACKOFF);
    backoff.setMax(BACKOFF);
    backoff.setMultiplier(1.0);
    app.getSpec().getRestartPolicy().setBackoff(backoff);
    app.getSpec().getRestartPolicy().setMaxRestarts(failures + 1);
    return app;
  }

  private void record(int repeat, String metric, double value) throws IOException {
    raw.printf(Locale.ROOT, "%d,%s,%.3f,%s%n", repeat, metric, value, load());
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** The 1-, 5- and 15-minute load averages, space-separated. */
  static String load() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    return f[0] + " " + f[1] + " " + f[2];
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(1);
    }
  }

  /**
   * Watches the StreamingApps: when each was first seen Running, and its newest Running attempt.
   */
  private static final class AppPhases implements AutoCloseable {
    private final Map<String, Long> runningSince = new ConcurrentHashMap<>();
    private final Map<String, Integer> runningAttempt = new ConcurrentHashMap<>();
    private final Watch watch;

    AppPhases(TestingCluster cluster) {
      watch =
          cluster
              .client()
              .resources(StreamingApp.class)
              .inNamespace(TestingApps.NAMESPACE)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, StreamingApp app) {
                      if (app.getStatus() == null || app.getStatus().getPhase() != Phase.Running) {
                        return;
                      }
                      String name = app.getMetadata().getName();
                      runningSince.putIfAbsent(name, System.nanoTime());
                      if (app.getStatus().getDriver() != null) {
                        runningAttempt.put(name, app.getStatus().getDriver().getAttempt());
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
    }

    Long runningSince(StreamingApp app) {
      return runningSince.get(app.getMetadata().getName());
    }

    int runningAttempt(StreamingApp app) {
      return runningAttempt.getOrDefault(app.getMetadata().getName(), 0);
    }

    @Override
    public void close() {
      watch.close();
    }
  }
}
