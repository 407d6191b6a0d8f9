package dev.millrace.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every measurement, each in a child JVM of its own (so JIT, GC and class loading never leak
 * between engines), appends each figure to {@code docs/benchmarks-raw.csv} with the machine's load
 * at that moment, then writes the report.
 *
 * <p>System properties: {@code bench.cp.millrace} and {@code bench.cp.spark}, the classpaths of the
 * two kinds of child (bench/run sets them); {@code bench.repeats} (default 3), {@code
 * bench.intervals} (milliseconds, default {@code 1000,200,100}), {@code bench.probe.intervals}
 * (milliseconds, default {@code 50,20,10}: the stability probes below the smallest of the
 * intervals, tried in order per engine and workload until one is not stable), {@code
 * bench.workloads} (default all), {@code bench.docs} (default {@code docs}); {@code
 * bench.recovery.only=true} appends only the recovery measurement to an existing raw file.
 */
public final class Suite {
  private static final Path CHILDREN_LOG = Path.of("bench/target/children.log");

  /** Batches a driver completes before it is killed: past Millrace's first checkpoint (10). */
  private static final int RECOVERY_BATCHES_BEFORE_KILL = 15;

  private static final long RECOVERY_INTERVAL_MS = 200;

  /**
   * The JVM flags Spark 3.5 needs on Java 17, given to both engines' children alike (the Kafka
   * suite's children too).
   */
  public static final List<String> ADD_OPENS =
      List.of(
          "java.base/java.lang",
          "java.base/java.lang.invoke",
          "java.base/java.lang.reflect",
          "java.base/java.io",
          "java.base/java.net",
          "java.base/java.nio",
          "java.base/java.util",
          "java.base/java.util.concurrent",
          "java.base/java.util.concurrent.atomic",
          "java.base/sun.nio.ch",
          "java.base/sun.nio.cs",
          "java.base/sun.security.action",
          "java.base/sun.util.calendar");

  private final String millraceClasspath;
  private final String sparkClasspath;
  private final PrintWriter raw;

  private Suite(String millraceClasspath, String sparkClasspath, PrintWriter raw) {
    this.millraceClasspath = millraceClasspath;
    this.sparkClasspath = sparkClasspath;
    this.raw = raw;
  }

  public static void main(String[] args) throws Exception {
    Path docs = Path.of(System.getProperty("bench.docs", "docs"));
    int repeats = Integer.getInteger("bench.repeats", 3);
    if (Boolean.getBoolean("bench.recovery.only")) {
      recoveryOnly(docs, repeats);
      return;
    }
    List<Long> intervals = new ArrayList<>();
    for (String s : System.getProperty("bench.intervals", "1000,200,100").split(",")) {
      intervals.add(Long.parseLong(s.trim()));
    }
    List<Long> probes = new ArrayList<>();
    for (String s : System.getProperty("bench.probe.intervals", "50,20,10").split(",")) {
      if (!s.isBlank()) {
        probes.add(Long.parseLong(s.trim()));
      }
    }
    long smallest = intervals.stream().mapToLong(Long::longValue).min().orElseThrow();
    List<Workload> workloads = new ArrayList<>();
    for (String s :
        System.getProperty("bench.workloads", "STATELESS,RUNNING,WINDOWED").split(",")) {
      workloads.add(Workload.valueOf(s.trim()));
    }
    Files.createDirectories(docs);
    Path rawFile = docs.resolve("benchmarks-raw.csv");
    try (PrintWriter raw =
        new PrintWriter(Files.newBufferedWriter(rawFile, StandardCharsets.UTF_8))) {
      raw.println("# " + Instant.now() + " " + BenchEnvironment.machine());
      raw.println("repeat,engine,workload,interval_ms,load1_before,metric,value");
      Suite suite =
          new Suite(
              BenchEnvironment.required("bench.cp.millrace", "bench/run"),
              BenchEnvironment.required("bench.cp.spark", "bench/run"),
              raw);
      java.util.Map<String, Boolean> stableAtSmallest = new java.util.HashMap<>();
      for (int repeat = 1; repeat <= repeats; repeat++) {
        suite.child(repeat, "baseline", "-", 0, "dev.millrace.bench.Baseline");
        for (long interval : intervals) {
          for (Workload workload : workloads) {
            // Alternate which engine goes first, so a drift in the box's load hits both alike.
            List<String> engines =
                repeat % 2 == 1 ? List.of("spark", "millrace") : List.of("millrace", "spark");
            for (String engine : engines) {
              List<String> lines = suite.measure(repeat, engine, workload, interval, "full");
              if (interval == smallest) {
                stableAtSmallest.put(engine + "|" + workload, lines.contains("stable,true"));
              }
            }
          }
        }
        // The smallest stable interval: below the smallest of the intervals, probe shorter ones at
        // the fixed rate until one is not stable (nor are shorter ones then tried).
        for (Workload workload : workloads) {
          List<String> engines =
              repeat % 2 == 1 ? List.of("spark", "millrace") : List.of("millrace", "spark");
          for (String engine : engines) {
            if (!stableAtSmallest.getOrDefault(engine + "|" + workload, false)) {
              continue;
            }
            for (long probe : probes) {
              if (!suite
                  .measure(repeat, engine, workload, probe, "fixed")
                  .contains("stable,true")) {
                break;
              }
            }
          }
        }
        stableAtSmallest.clear();
      }
      for (int repeat = 1; repeat <= repeats; repeat++) {
        for (String engine : List.of("spark", "millrace")) {
          suite.recovery(repeat, engine, RECOVERY_INTERVAL_MS);
        }
      }
    }
    Report.write(rawFile, docs);
  }

  /** Only the recovery measurement, appended to an existing raw file, then the report. */
  private static void recoveryOnly(Path docs, int repeats) throws Exception {
    Path rawFile = docs.resolve("benchmarks-raw.csv");
    try (PrintWriter raw =
        new PrintWriter(
            Files.newBufferedWriter(
                rawFile, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND))) {
      Suite suite =
          new Suite(
              BenchEnvironment.required("bench.cp.millrace", "bench/run"),
              BenchEnvironment.required("bench.cp.spark", "bench/run"),
              raw);
      for (int repeat = 1; repeat <= repeats; repeat++) {
        for (String engine : List.of("spark", "millrace")) {
          suite.recovery(repeat, engine, RECOVERY_INTERVAL_MS);
        }
      }
    }
    Report.write(rawFile, docs);
  }

  /** One Measurement child; returns its output lines. */
  private List<String> measure(
      int repeat, String engine, Workload workload, long interval, String mode)
      throws IOException, InterruptedException {
    // The stateful workloads' checkpoints (batch log included) reach hundreds of MB.
    Path checkpoint = Files.createTempDirectory("millrace-bench-ckpt");
    try {
      return child(
          repeat,
          engine,
          workload.name(),
          interval,
          "dev.millrace.bench.Measurement",
          engine,
          workload.name(),
          Long.toString(interval),
          checkpoint.toString(),
          mode);
    } finally {
      WorkDirectories.delete(checkpoint);
    }
  }

  private List<String> child(
      int repeat, String engine, String workload, long interval, String main, String... args)
      throws IOException, InterruptedException {
    List<String> command = command(engine, main);
    command.addAll(List.of(args));
    String load = BenchEnvironment.load1();
    System.out.printf(
        "%s repeat %d %s %s %d ms (load %s)%n",
        Instant.now(), repeat, engine, workload, interval, load);
    List<String> lines = MeasuredJvm.run(command, CHILDREN_LOG);
    for (String line : lines) {
      String row =
          String.join(
              ",", Integer.toString(repeat), engine, workload, Long.toString(interval), load, line);
      raw.println(row);
      System.out.println("  " + line);
    }
    raw.flush();
    return lines;
  }

  private List<String> command(String engine, String main) {
    return MeasuredJvm.command(
        engine.equals("spark") ? sparkClasspath : millraceClasspath, List.of(), main, List.of());
  }

  /**
   * SIGKILLs a driver that has checkpointed, restarts it on the same checkpoint directory, and
   * records the time from launching the new JVM to its first completed batch.
   */
  private void recovery(int repeat, String engine, long intervalMs)
      throws IOException, InterruptedException {
    Path checkpoint = Files.createTempDirectory("millrace-bench-recovery-ckpt");
    Path input = Files.createTempDirectory("millrace-bench-recovery-in");
    String load = BenchEnvironment.load1();
    System.out.printf(
        "%s repeat %d %s recovery %d ms (load %s)%n",
        Instant.now(), repeat, engine, intervalMs, load);
    List<String> command = command(engine, "dev.millrace.bench.Recovery");
    command.addAll(
        List.of(engine, checkpoint.toString(), input.toString(), Long.toString(intervalMs)));
    long firstLaunch = System.currentTimeMillis();
    Process first = MeasuredJvm.start(command, CHILDREN_LOG);
    long firstBatch = readUntil(first, RECOVERY_BATCHES_BEFORE_KILL);
    first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no last checkpoint
    first.waitFor();
    long relaunch = System.currentTimeMillis();
    Process second = MeasuredJvm.start(command, CHILDREN_LOG);
    long recovered = readUntil(second, 1);
    second.destroyForcibly();
    second.waitFor();
    WorkDirectories.delete(checkpoint);
    WorkDirectories.delete(input);
    String prefix =
        String.join(
            ",", Integer.toString(repeat), engine, "RECOVERY", Long.toString(intervalMs), load);
    List<String> lines = new ArrayList<>();
    lines.add("launch_to_first_batch_ms," + (firstBatch < 0 ? "failed" : firstBatch - firstLaunch));
    lines.add("restart_to_first_batch_ms," + (recovered < 0 ? "failed" : recovered - relaunch));
    for (String line : lines) {
      raw.println(prefix + "," + line);
      System.out.println("  " + line);
    }
    raw.flush();
  }

  /**
   * Reads the child's output until it reports {@code batches} completed batches; returns when its
   * first batch completed (epoch ms), or -1 if it ended before.
   */
  private static long readUntil(Process process, int batches) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long first = -1;
    for (String line; (line = out.readLine()) != null; ) {
      String[] f = line.split(",");
      if (f[0].equals("first_batch_epoch_ms")) {
        first = Long.parseLong(f[1]);
      } else if (f[0].equals("batches") && Integer.parseInt(f[1]) >= batches) {
        return first;
      }
    }
    return -1;
  }
}
