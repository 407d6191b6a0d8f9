package dev.millrace.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What watching a running context costs its batch loop (issue 18): Millrace's fixed-rate
 * measurement, once as is and once with the metrics, batch history, history saving and a scraper
 * added ({@link Observers}), alternating which goes first, at each interval and workload; writes
 * {@code docs/benchmarks-observe.md} and prints every child's figures.
 *
 * <p>Properties: {@code bench.repeats} (5), {@code bench.intervals} (10,100), {@code
 * bench.workloads} (STATELESS,RUNNING), {@code bench.fixed.batches} (passed to the children: how
 * many batches are measured), {@code bench.docs}, {@code bench.cp.millrace}.
 */
public final class ObserveCost {
  private static final List<String> METRICS =
      List.of("fixed_mean_ms", "fixed_p50_ms", "fixed_p99_ms", "fixed_cpu_ms_per_million_words");

  private ObserveCost() {}

  public static void main(String[] args) throws Exception {
    int repeats = Integer.getInteger("bench.repeats", 5);
    String classpath = BenchEnvironment.required("bench.cp.millrace", "bench/run observe");
    Path docs = Path.of(System.getProperty("bench.docs", "docs"));
    String fixedBatches = System.getProperty("bench.fixed.batches", "");
    List<String> rows = new ArrayList<>();
    String machineBefore = BenchEnvironment.machine();
    // (interval|workload|observed) -> metric -> values
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    for (String interval : System.getProperty("bench.intervals", "10,100").split(",")) {
      for (String workload :
          System.getProperty("bench.workloads", "STATELESS,RUNNING").split(",")) {
        for (int repeat = 1; repeat <= repeats; repeat++) {
          List<Boolean> order = repeat % 2 == 1 ? List.of(false, true) : List.of(true, false);
          for (boolean observed : order) {
            String load = BenchEnvironment.load1();
            System.out.printf(
                "%s repeat %d %s %s ms observed=%b (load %s)%n",
                Instant.now(), repeat, workload, interval, observed, load);
            List<String> lines =
                child(classpath, workload, interval.trim(), observed, fixedBatches);
            for (String line : lines) {
              System.out.println("  " + line);
              rows.add(
                  String.join(
                      ",",
                      Integer.toString(repeat),
                      workload,
                      interval.trim(),
                      Boolean.toString(observed),
                      load,
                      line));
              String[] parts = line.split(",", 2);
              if (METRICS.contains(parts[0])) {
                values
                    .computeIfAbsent(
                        interval.trim() + "|" + workload + "|" + observed,
                        k -> new LinkedHashMap<>())
                    .computeIfAbsent(parts[0], k -> new ArrayList<>())
                    .add(Double.parseDouble(parts[1]));
              }
            }
          }
        }
      }
    }
    Files.createDirectories(docs);
    try (PrintWriter raw =
        new PrintWriter(
            Files.newBufferedWriter(
                docs.resolve("benchmarks-observe-raw.csv"), StandardCharsets.UTF_8))) {
      raw.println("# " + Instant.now() + " " + machineBefore);
      raw.println("repeat,workload,interval_ms,observed,load1_before,metric,value");
      rows.forEach(raw::println);
    }
    Files.writeString(
        docs.resolve("benchmarks-observe.md"),
        report(values, repeats, machineBefore, BenchEnvironment.machine()),
        StandardCharsets.UTF_8);
  }

  private static List<String> child(
      String classpath, String workload, String interval, boolean observed, String fixedBatches)
      throws IOException, InterruptedException {
    Path checkpoint = Files.createTempDirectory("millrace-bench-observe");
    try {
      List<String> jvmOptions = new ArrayList<>();
      jvmOptions.add("-Dbench.observe=" + observed);
      if (!fixedBatches.isBlank()) {
        jvmOptions.add("-Dbench.fixed.batches=" + fixedBatches);
      }
      List<String> lines =
          MeasuredJvm.run(
              MeasuredJvm.command(
                  classpath,
                  jvmOptions,
                  "dev.millrace.bench.Measurement",
                  List.of("millrace", workload, interval, checkpoint.toString(), "fixed")),
              Path.of("bench/target/children.log"));
      return lines;
    } finally {
      WorkDirectories.delete(checkpoint);
    }
  }

  private static String report(
      Map<String, Map<String, List<Double>>> values,
      int repeats,
      String machineBefore,
      String machineAfter) {
    StringBuilder md = new StringBuilder();
    md.append("# What watching an application costs its batch loop\n\n")
        .append(
            "`bench/run observe`: Millrace's fixed-rate measurement (100,000 words/s into a word"
                + " count, `local[2]`), each run in a JVM of its own, once as is (off) and once"
                + " with the driver's Prometheus metrics and batch history registered, the history"
                + " saved to the checkpoint directory every second (stateful workload), and a"
                + " scraper reading `/metrics` and 100 batches of `/api/v1/batches` every second"
                + " (on). Off and on alternate which goes first. Each figure is the median over ")
        .append(repeats)
        .append(" repeats.\n\n")
        .append("Machine before: ")
        .append(machineBefore)
        .append("; after: ")
        .append(machineAfter)
        .append(".\n\n")
        .append(
            "| interval | workload | mean processing ms off / on | on ÷ off | p50 ms off / on |"
                + " p99 ms off / on | CPU ms per M words off / on | on ÷ off |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    for (String key : values.keySet()) {
      if (!key.endsWith("|false")) {
        continue;
      }
      String[] parts = key.split("\\|");
      Map<String, List<Double>> off = values.get(key);
      Map<String, List<Double>> on = values.get(parts[0] + "|" + parts[1] + "|true");
      if (on == null) {
        continue;
      }
      double meanOff = median(off.get("fixed_mean_ms"));
      double meanOn = median(on.get("fixed_mean_ms"));
      double cpuOff = median(off.get("fixed_cpu_ms_per_million_words"));
      double cpuOn = median(on.get("fixed_cpu_ms_per_million_words"));
      md.append(
          String.format(
              "| %s ms | %s | %.3f / %.3f | %.3f | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f |"
                  + " %.3f |%n",
              parts[0],
              parts[1],
              meanOff,
              meanOn,
              meanOn / meanOff,
              median(off.get("fixed_p50_ms")),
              median(on.get("fixed_p50_ms")),
              median(off.get("fixed_p99_ms")),
              median(on.get("fixed_p99_ms")),
              cpuOff,
              cpuOn,
              cpuOn / cpuOff));
    }
    return md.toString();
  }

  private static double median(List<Double> values) {
    if (values == null || values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
