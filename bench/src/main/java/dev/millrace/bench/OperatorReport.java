package dev.millrace.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes {@code benchmarks-operator.md} from {@link #RAW}, which {@link OperatorLatency} wrote:
 * every figure is computed here from the raw rows, per repeat and over the repeats, with the
 * machine's load beside it. What follows {@link Report#HAND_WRITTEN} in the previous report is
 * kept.
 *
 * <p>Usage: {@code OperatorReport <raw.csv> <docs dir>}.
 */
public final class OperatorReport {
  /** The raw file's name in the docs directory. */
  static final String RAW = "benchmarks-operator-raw.csv";

  /** The raw file's column header. */
  static final String COLUMNS = "repeat,metric,value,load_1m_5m_15m";

  private static final String REPORT = "benchmarks-operator.md";
  private static final double TARGET_P99_MS = 500;

  /** repeat → metric → values in the order measured. */
  private final Map<Integer, Map<String, List<Double>>> values = new TreeMap<>();

  /** repeat → the loads recorded with its rows, in order. */
  private final Map<Integer, List<String>> loads = new TreeMap<>();

  private final Map<String, String> settings = new LinkedHashMap<>();

  private OperatorReport() {}

  public static void main(String[] args) throws IOException {
    write(Path.of(args[0]), Path.of(args[1]));
  }

  /** Reads {@code raw} and writes the report into {@code docs}. */
  static void write(Path raw, Path docs) throws IOException {
    OperatorReport report = new OperatorReport();
    report.read(raw);
    report.render(docs.resolve(REPORT));
  }

  private void read(Path raw) throws IOException {
    for (String line : Files.readAllLines(raw, StandardCharsets.UTF_8)) {
      if (line.startsWith("#")) {
        for (String setting : line.substring(1).trim().split("\\s+")) {
          String[] kv = setting.split("=", 2);
          settings.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        continue;
      }
      if (line.equals(COLUMNS) || line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", 4);
      int repeat = Integer.parseInt(f[0]);
      values
          .computeIfAbsent(repeat, r -> new LinkedHashMap<>())
          .computeIfAbsent(f[1], m -> new ArrayList<>())
          .add(Double.parseDouble(f[2]));
      loads.computeIfAbsent(repeat, r -> new ArrayList<>()).add(f[3]);
    }
  }

  private List<Double> of(int repeat, String metric) {
    return values.getOrDefault(repeat, Map.of()).getOrDefault(metric, List.of());
  }

  /** The nearest-rank percentile of a repeat's values of {@code metric}, in its unit. */
  private double percentile(int repeat, String metric, int p) {
    List<Double> xs = of(repeat, metric);
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    // Measurement.percentile ranks longs; microseconds keep the raw file's precision.
    long[] micros = xs.stream().mapToLong(x -> Math.round(x * 1000)).toArray();
    return Measurement.percentile(micros, p) / 1000.0;
  }

  private String row(
      String figure,
      String target,
      String unit,
      double scale,
      String format,
      Function<Integer, Double> perRepeat) {
    StringBuilder md = new StringBuilder("| " + figure + " | " + target + " |");
    List<Double> all = new ArrayList<>();
    for (int repeat : values.keySet()) {
      double v = perRepeat.apply(repeat);
      md.append(' ')
          .append(Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, format, v / scale) + unit)
          .append(" |");
      if (!Double.isNaN(v)) {
        all.add(v);
      }
    }
    md.append(' ')
        .append(
            Report.spread(
                all.stream().mapToDouble(Double::doubleValue).toArray(), unit, scale, format))
        .append(" |\n");
    return md.toString();
  }

  /** The failure latencies of every repeat taken together, as one more row. */
  private String pooled(String metric) {
    long[] micros =
        values.values().stream()
            .flatMap(m -> m.getOrDefault(metric, List.of()).stream())
            .mapToLong(x -> Math.round(x * 1000))
            .toArray();
    if (micros.length == 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "| driver failure → next driver pod, all %d failures of all repeats together | |%s"
            + " p50 %.0f ms, p99 %.0f ms, max %.0f ms |\n",
        micros.length,
        " |".repeat(values.size()),
        Measurement.percentile(micros, 50) / 1000.0,
        Measurement.percentile(micros, 99) / 1000.0,
        Measurement.percentile(micros, 100) / 1000.0);
  }

  private void render(Path file) throws IOException {
    String failures = "failure_to_next_pod_ms";
    String perApp = "create_to_running_ms";
    String apps = settings.getOrDefault("apps", "?");
    StringBuilder md = new StringBuilder();
    md.append("# Operator latency\n\n")
        .append(
            "Generated by `bench/run operator` (`OperatorLatency`, then `OperatorReport`) from\n")
        .append("[")
        .append(RAW)
        .append("](")
        .append(RAW)
        .append("); run started ")
        .append(settings.getOrDefault("started", "?"))
        .append(", ")
        .append(values.size())
        .append(" repeats, each on a fresh mock API server and a fresh ")
        .append("operator JVM; ")
        .append(settings.getOrDefault("cores", "?"))
        .append(" cores, Java ")
        .append(settings.getOrDefault("java", "?"))
        .append(".\n\n")
        .append("Setup: ")
        .append(apps)
        .append(" StreamingApps with one executor each; ")
        .append(settings.getOrDefault("failures", "?"))
        .append(" driver failures per repeat, ")
        .append("one at a time, round-robin over ")
        .append(settings.getOrDefault("failingApps", "?"))
        .append(" of those apps while all ")
        .append(apps)
        .append(" are live. Restart backoff **")
        .append(settings.getOrDefault("backoff", "?"))
        .append("** (`initial` = `max`, multiplier 1.0), the smallest the spec accepts (durations ")
        .append("must be longer than 0). Median (min–max) is over the repeats' own figures.\n\n");
    md.append("| Figure | Target |");
    for (int repeat : values.keySet()) {
      md.append(" repeat ").append(repeat).append(" |");
    }
    md.append(" median (min–max) |\n|---|---|");
    values.keySet().forEach(r -> md.append("---|"));
    md.append("---|\n");
    md.append(
        row(
            "driver failure → next driver pod, p50",
            "",
            " ms",
            1,
            "%.0f",
            r -> percentile(r, failures, 50)));
    md.append(
        row(
            "driver failure → next driver pod, p99",
            "< 500 ms",
            " ms",
            1,
            "%.0f",
            r -> percentile(r, failures, 99)));
    md.append(
        row(
            "driver failure → next driver pod, max",
            "",
            " ms",
            1,
            "%.0f",
            r -> percentile(r, failures, 100)));
    md.append(pooled(failures));
    md.append(
        row("failures measured", "≥ 50", "", 1, "%.0f", r -> (double) of(r, failures).size()));
    md.append(
        row(
            apps + " apps created at once → all Running",
            "",
            " s",
            1000,
            "%.2f",
            r -> percentile(r, "all_running_ms", 100)));
    md.append(
        row(
            "one app's create → Running, p50",
            "",
            " s",
            1000,
            "%.2f",
            r -> percentile(r, perApp, 50)));
    md.append(
        row(
            "one app's create → Running, p99",
            "",
            " s",
            1000,
            "%.2f",
            r -> percentile(r, perApp, 99)));
    md.append(
        row(
            "operator heap used, idle",
            "",
            " MiB",
            1 << 20,
            "%.1f",
            r -> percentile(r, "heap_idle_bytes", 100)));
    md.append(
        row(
            "operator heap used at " + apps + " apps",
            "",
            " MiB",
            1 << 20,
            "%.1f",
            r -> percentile(r, "heap_at_apps_bytes", 100)));
    md.append(
        row(
            "heap per app ((at " + apps + " − idle) ÷ " + apps + ")",
            "",
            " KiB",
            1024,
            "%.0f",
            r ->
                (percentile(r, "heap_at_apps_bytes", 100) - percentile(r, "heap_idle_bytes", 100))
                    / Double.parseDouble(apps)));
    md.append("\nLoad average (1, 5, 15 min) at the start and the end of each repeat:\n\n");
    for (Map.Entry<Integer, List<String>> e : loads.entrySet()) {
      List<String> l = e.getValue();
      md.append("- repeat ")
          .append(e.getKey())
          .append(": ")
          .append(l.get(0))
          .append(" → ")
          .append(l.get(l.size() - 1))
          .append('\n');
    }
    long met =
        values.keySet().stream().filter(r -> percentile(r, failures, 99) < TARGET_P99_MS).count();
    md.append("\nTarget (driver failure → next attempt's pod under 500 ms at p99): **")
        .append(met == values.size() ? "met" : "missed")
        .append("** in ")
        .append(met)
        .append(" of ")
        .append(values.size())
        .append(" repeats.\n\n");
    md.append(METHOD);
    md.append('\n');
    if (Files.exists(file)) {
      String previous = Files.readString(file, StandardCharsets.UTF_8);
      int at = previous.indexOf(Report.HAND_WRITTEN);
      if (at >= 0) {
        md.append(previous.substring(at));
      }
    }
    Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
  }

  private static final String METHOD =
      """
      ## What is measured

      - **The operator as it ships**: `dev.millrace.operator.OperatorMain` on the operator jar and
        `operator/target/lib` (what docker/operator.Dockerfile runs) in a JVM of its own, default
        heap settings, status poll interval 10 s (`OperatorMain`'s), no leader election.
      - **The API server is the fabric8 mock server in CRUD mode** (as in the operator's tests), in
        the benchmark's JVM, over HTTP on loopback. It has no admission, no etcd, no scheduler and no
        API priority and fairness; a real API server adds its own write and watch latency.
      - **No kubelet and no driver processes.** The benchmark watches the pods and, for each one
        created, writes status Running with an address of its own in 127.0.0.0/8, as a kubelet
        does once the containers started; a driver's status endpoint on that address answers
        that its attempt completed a batch. A real driver pod also needs scheduling, an image
        and a JVM start (≈0.5 s here, PLATFORM-NOTES) before it is Running, none of which is in
        these figures.
      - **Driver failure → next driver pod**: from just before the benchmark sends the failed
        pod's status (phase Failed, container terminated with exit code 1) to the moment its
        watch on pods receives the ADDED event of the next attempt's driver pod. Both instants
        are `System.nanoTime()` in the benchmark's JVM (a pod's `creationTimestamp` has
        whole-second resolution). Each failure waits until the app is Running again on the
        current attempt, so failures do not queue behind each other.
      - **Create → Running**: from just before an app's create request to the benchmark's watch
        seeing the app's status phase Running, as the operator writes it (driver pod Running and
        its status endpoint reporting a completed batch). The apps are created by four threads at
        once; "all Running" is from the first create to the last app seen Running.
      - **Heap**: heap used in the operator's JVM right after a full collection (`System.gc()`
        through its MemoryMXBean, reached over JMX with the attach API), before any app and
        after all apps are Running. The mock server's store is in the benchmark's JVM, not in
        this figure.
      """;
}
