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
import java.util.concurrent.TimeUnit;

/**
 * Runs every measurement, each in a child JVM of its own (so JIT, GC and class loading never leak
 * between engines), appends each figure to {@code docs/benchmarks-raw.csv} with the machine's load
 * at that moment, then writes the report.
 *
 * <p>System properties: {@code bench.cp.millrace} and {@code bench.cp.spark}, the classpaths of the
 * two kinds of child (bench/run sets them); {@code bench.repeats} (default 3), {@code
 * bench.intervals} (milliseconds, default {@code 1000,200}), {@code bench.workloads} (default all),
 * {@code bench.docs} (default {@code docs}).
 */
public final class Suite {
  private static final long CHILD_LIMIT_MINUTES = 6;

  /** The JVM flags Spark 3.5 needs on Java 17, given to both engines' children alike. */
  private static final List<String> ADD_OPENS =
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
    List<Long> intervals = new ArrayList<>();
    for (String s : System.getProperty("bench.intervals", "1000,200").split(",")) {
      intervals.add(Long.parseLong(s.trim()));
    }
    List<Workload> workloads = new ArrayList<>();
    for (String s :
        System.getProperty("bench.workloads", "STATELESS,RUNNING,WINDOWED").split(",")) {
      workloads.add(Workload.valueOf(s.trim()));
    }
    Files.createDirectories(docs);
    Path rawFile = docs.resolve("benchmarks-raw.csv");
    try (PrintWriter raw =
        new PrintWriter(Files.newBufferedWriter(rawFile, StandardCharsets.UTF_8))) {
      raw.println("# " + Instant.now() + " " + machine());
      raw.println("repeat,engine,workload,interval_ms,load1_before,metric,value");
      Suite suite = new Suite(required("bench.cp.millrace"), required("bench.cp.spark"), raw);
      for (int repeat = 1; repeat <= repeats; repeat++) {
        suite.child(repeat, "baseline", "-", 0, "dev.millrace.bench.Baseline");
        for (long interval : intervals) {
          for (Workload workload : workloads) {
            // Alternate which engine goes first, so a drift in the box's load hits both alike.
            List<String> engines =
                repeat % 2 == 1 ? List.of("spark", "millrace") : List.of("millrace", "spark");
            for (String engine : engines) {
              suite.child(
                  repeat,
                  engine,
                  workload.name(),
                  interval,
                  "dev.millrace.bench.Measurement",
                  engine,
                  workload.name(),
                  Long.toString(interval));
            }
          }
        }
      }
    }
    Report.write(rawFile, docs);
  }

  private void child(
      int repeat, String engine, String workload, long interval, String main, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms2g");
    command.add("-Xmx2g");
    for (String open : ADD_OPENS) {
      command.add("--add-opens=" + open + "=ALL-UNNAMED");
    }
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    command.add(engine.equals("spark") ? sparkClasspath : millraceClasspath);
    command.add(main);
    command.addAll(List.of(args));
    String load = load1();
    System.out.printf(
        "%s repeat %d %s %s %d ms (load %s)%n",
        Instant.now(), repeat, engine, workload, interval, load);
    Process process =
        new ProcessBuilder(command)
            .redirectError(
                ProcessBuilder.Redirect.appendTo(Path.of("bench/target/children.log").toFile()))
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        lines.add(line);
      }
    }
    if (!process.waitFor(CHILD_LIMIT_MINUTES, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      lines.add("failed,timeout");
    } else if (process.exitValue() != 0) {
      lines.add("failed,exit " + process.exitValue());
    }
    for (String line : lines) {
      String row =
          String.join(
              ",", Integer.toString(repeat), engine, workload, Long.toString(interval), load, line);
      raw.println(row);
      System.out.println("  " + line);
    }
    raw.flush();
  }

  private static String load1() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  private static String machine() throws IOException {
    return Runtime.getRuntime().availableProcessors()
        + " cores, java "
        + System.getProperty("java.version")
        + ", loadavg "
        + Files.readString(Path.of("/proc/loadavg")).trim();
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalArgumentException(
          "system property " + property + " is not set; run the benchmarks with bench/run");
    }
    return value;
  }
}
