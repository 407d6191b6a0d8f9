package dev.millrace.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Writes {@code docs/benchmarks.md} and its plots from {@code docs/benchmarks-raw.csv}; every
 * figure in the report is computed here from the raw file, nothing is typed in.
 *
 * <p>Usage: {@code Report <raw.csv> <docs dir>} (the suite calls it after a run).
 */
public final class Report {
  private static final String[] ENGINES = {"spark", "millrace"};
  private static final long RECOVERY_INTERVAL = 200;
  static final String HAND_WRITTEN = "<!-- hand-written below: kept by Report -->";

  /** (repeat, engine, workload, interval, metric) → value, plus the load of each child. */
  private final Map<String, String> values = new LinkedHashMap<>();

  private final List<Double> loads = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final List<Integer> repeats = new ArrayList<>();

  /** The intervals with a rate search, in the order run. */
  private final List<Long> intervals = new ArrayList<>();

  /** Every interval measured at the fixed rate (probes included), longest first. */
  private final List<Long> fixedIntervals = new ArrayList<>();

  private final Map<Integer, List<Double>> loadsByRepeat = new TreeMap<>();
  private final List<String> workloads = new ArrayList<>();
  private String header = "";

  private Report() {}

  public static void main(String[] args) throws IOException {
    write(Path.of(args[0]), Path.of(args[1]));
  }

  /** Reads {@code raw} and writes the report and plots into {@code docs}. */
  public static void write(Path raw, Path docs) throws IOException {
    Report report = new Report();
    report.read(raw);
    report.render(docs);
  }

  private void read(Path raw) throws IOException {
    for (String line : Files.readAllLines(raw, StandardCharsets.UTF_8)) {
      if (line.startsWith("#")) {
        header = line.substring(1).trim();
        continue;
      }
      if (line.startsWith("repeat,")) {
        continue;
      }
      String[] f = line.split(",", 7);
      int repeat = Integer.parseInt(f[0]);
      long interval = Long.parseLong(f[3]);
      if (!repeats.contains(repeat)) {
        repeats.add(repeat);
      }
      String metric = f[5];
      boolean measurement = interval > 0 && !f[2].equals("RECOVERY");
      if (measurement && metric.equals("search_steps") && !intervals.contains(interval)) {
        intervals.add(interval);
      }
      if (measurement && metric.equals("stable") && !fixedIntervals.contains(interval)) {
        fixedIntervals.add(interval);
        fixedIntervals.sort(java.util.Comparator.reverseOrder());
      }
      if (!f[2].equals("-") && !f[2].equals("RECOVERY") && !workloads.contains(f[2])) {
        workloads.add(f[2]);
      }
      if (metric.equals("jvm_uptime_before_engine_ms")
          || metric.equals("restart_to_first_batch_ms")
          || (f[1].equals("baseline") && metric.equals("words_per_s"))) {
        loads.add(Double.parseDouble(f[4]));
        loadsByRepeat
            .computeIfAbsent(f[2].equals("RECOVERY") ? 0 : repeat, k -> new ArrayList<>())
            .add(Double.parseDouble(f[4]));
      }
      if (metric.equals("failed")) {
        failures.add(line);
      }
      values.put(key(repeat, f[1], f[2], interval, metric), f[6]);
    }
  }

  private static String key(int repeat, String engine, String workload, long interval, String m) {
    return repeat + "|" + engine + "|" + workload + "|" + interval + "|" + m;
  }

  /** The metric over the repeats, skipping repeats that did not produce it. */
  /**
   * A table of both engines' {@code p50} and {@code p99} metrics at the fixed rate, with Spark ÷
   * Millrace ratios, one row per workload and fixed interval that has figures.
   */
  private void latencyTable(StringBuilder md, String p50, String p99) {
    md.append(
        "| workload | interval | Spark p50 | Millrace p50 | p50 Spark ÷ Millrace | Spark p99 |"
            + " Millrace p99 | p99 Spark ÷ Millrace |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (String w : workloads) {
      for (long i : fixedIntervals) {
        if (series("spark", w, i, p50).length + series("millrace", w, i, p50).length == 0) {
          continue;
        }
        md.append("| ").append(title(w)).append(" | ").append(i).append(" ms |");
        for (String q : List.of(p50, p99)) {
          md.append(' ').append(spread(series("spark", w, i, q), " ms", 1, "%.0f")).append(" | ");
          md.append(spread(series("millrace", w, i, q), " ms", 1, "%.0f")).append(" | ");
          md.append(ratio(ratios(w, i, q, true))).append(" |");
        }
        md.append('\n');
      }
    }
  }

  private double[] series(String engine, String workload, long interval, String metric) {
    List<Double> out = new ArrayList<>();
    for (int r : repeats) {
      String v = values.get(key(r, engine, workload, interval, metric));
      if (v != null) {
        out.add(Double.parseDouble(v));
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Millrace ÷ Spark per repeat, for repeats where both produced the metric. */
  private double[] ratios(
      String workload, long interval, String metric, boolean sparkOverMillrace) {
    List<Double> out = new ArrayList<>();
    for (int r : repeats) {
      String s = values.get(key(r, "spark", workload, interval, metric));
      String m = values.get(key(r, "millrace", workload, interval, metric));
      if (s != null && m != null) {
        double sv = Double.parseDouble(s);
        double mv = Double.parseDouble(m);
        // A search whose lowest step failed sustains "less than the lowest step": the ratio is
        // then a lower bound taken against that step, flagged by the caller.
        if (!sparkOverMillrace && sv == 0 && metric.equals("max_sustained_words_per_s")) {
          String lowest = values.get(key(r, "spark", workload, interval, "search_lowest_rate"));
          sv = lowest == null ? Plan.SEARCH_START : Double.parseDouble(lowest);
        }
        double ratio = sparkOverMillrace ? sv / mv : mv / sv;
        if (Double.isFinite(ratio)) {
          out.add(ratio);
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double median(double[] xs) {
    if (xs.length == 0) {
      return Double.NaN;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static String spread(double[] xs, String unit, double scale, String format) {
    if (xs.length == 0) {
      return "n/a";
    }
    double min = Arrays.stream(xs).min().getAsDouble() / scale;
    double max = Arrays.stream(xs).max().getAsDouble() / scale;
    String med = String.format(Locale.ROOT, format, median(xs) / scale);
    return med
        + unit
        + " ("
        + String.format(Locale.ROOT, format, min)
        + "–"
        + String.format(Locale.ROOT, format, max)
        + ")";
  }

  private static String ratio(double[] xs) {
    return spread(xs, "×", 1, "%.2f");
  }

  private String title(String workload) {
    return Workload.valueOf(workload).title();
  }

  private String topNote(String engine, String workload, long interval) {
    for (int r : repeats) {
      if ("true".equals(values.get(key(r, engine, workload, interval, "ladder_top_reached")))) {
        return " ≥";
      }
    }
    return "";
  }

  private boolean belowLadder(String engine, String workload, long interval) {
    for (double v : series(engine, workload, interval, "max_sustained_words_per_s")) {
      if (v == 0) {
        return true;
      }
    }
    return false;
  }

  /** One row per workload and interval: Spark, Millrace, Spark ÷ Millrace per repeat. */
  private void lowerIsBetterRows(StringBuilder md, String metric, String unit) {
    for (String w : workloads) {
      for (long i : intervals) {
        if (series("spark", w, i, metric).length + series("millrace", w, i, metric).length == 0) {
          continue;
        }
        md.append("| ").append(title(w)).append(" | ").append(i).append(" ms | ");
        md.append(spread(series("spark", w, i, metric), unit, 1, "%.0f")).append(" | ");
        md.append(spread(series("millrace", w, i, metric), unit, 1, "%.0f")).append(" | ");
        md.append(ratio(ratios(w, i, metric, true))).append(" |\n");
      }
    }
  }

  /** Per repeat, the smallest interval with a stable verdict; NaN where none was stable. */
  private double[] smallestStable(String engine, String workload) {
    List<Double> out = new ArrayList<>();
    for (int r : repeats) {
      double best = Double.NaN;
      boolean any = false;
      for (long i : fixedIntervals) {
        String v = values.get(key(r, engine, workload, i, "stable"));
        if (v != null) {
          any = true;
          if (v.equals("true") && !(best <= i)) {
            best = i;
          }
        }
      }
      if (any) {
        out.add(best);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double[] finite(double[] xs) {
    return Arrays.stream(xs).filter(Double::isFinite).toArray();
  }

  private static String unstableNote(double[] xs) {
    long none = Arrays.stream(xs).filter(x -> !Double.isFinite(x)).count();
    return none == 0 ? "" : "; " + none + " run(s) stable at no interval tried";
  }

  private String verdict(String engine, String workload, long interval) {
    int runs = 0;
    int stable = 0;
    List<Double> p50 = new ArrayList<>();
    List<Double> growth = new ArrayList<>();
    for (int r : repeats) {
      String v = values.get(key(r, engine, workload, interval, "stable"));
      if (v == null) {
        continue;
      }
      runs++;
      stable += v.equals("true") ? 1 : 0;
      p50.add(Double.parseDouble(values.get(key(r, engine, workload, interval, "fixed_p50_ms"))));
      growth.add(
          Double.parseDouble(
                  values.get(key(r, engine, workload, interval, "fixed_sched_last_third_ms")))
              - Double.parseDouble(
                  values.get(key(r, engine, workload, interval, "fixed_sched_first_third_ms"))));
    }
    if (runs == 0) {
      return "not probed";
    }
    return String.format(
        Locale.ROOT,
        "%d/%d (p50 %.0f ms, growth %.0f ms)",
        stable,
        runs,
        median(p50.stream().mapToDouble(Double::doubleValue).toArray()),
        median(growth.stream().mapToDouble(Double::doubleValue).toArray()));
  }

  private String loadsPerRepeat() {
    List<String> parts = new ArrayList<>();
    loadsByRepeat.forEach(
        (r, ls) ->
            parts.add(
                String.format(
                    Locale.ROOT,
                    "%s %.2f–%.2f",
                    r == 0 ? "recovery" : "repeat " + r,
                    ls.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    ls.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN))));
    return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
  }

  private void render(Path docs) throws IOException {
    StringBuilder md = new StringBuilder();
    double minLoad = loads.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double maxLoad = loads.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    md.append("# Benchmarks: Millrace against Spark Streaming\n\n");
    md.append(
            "Generated by `bench/run` (`dev.millrace.bench.Report`) from `docs/benchmarks-raw.csv`;")
        .append(" every figure below is computed from that file.\n\n");
    md.append("- Run: ").append(header).append("\n");
    md.append(
        String.format(
            Locale.ROOT,
            "- Machine: shared, 2 cores; 1-minute load average (`/proc/loadavg`) before each child"
                + " JVM ranged %.2f–%.2f%s.%n",
            minLoad,
            maxLoad,
            loadsPerRepeat()));
    md.append("- Repeats: ")
        .append(repeats.size())
        .append(
            "; each figure is the median over repeats with (min–max) after it; each ratio is taken per"
                + " repeat (both engines measured back to back) and then summarised the same way.\n");
    if (!failures.isEmpty()) {
      md.append("- Failed children: ").append(failures.size()).append(" (see the raw file):\n");
      for (String f : failures) {
        md.append("  - `").append(f).append("`\n");
      }
    }
    md.append("\n").append(METHOD).append("\n");

    md.append("## Maximum sustainable throughput\n\n");
    md.append(
        "Words per second of the highest search step whose median processing time stayed below the"
            + " batch interval: doubling from 100 k/s, then three geometric bisections between the"
            + " last sustained and the first unsustained rate, so each figure is within 9 % below the"
            + " rate where the engine stopped keeping up (≥ marks a run that passed the top step,"
            + " 204.8 M/s; 0 means even the lowest step tried, 12.5 k/s, failed, and a ratio marked >"
            + " is then taken against it, a lower bound)."
            + " Ratio: Millrace ÷ Spark, higher is better for Millrace; target ≥ 3×.\n\n");
    md.append("| workload | interval | Spark words/s | Millrace words/s | Millrace ÷ Spark |\n");
    md.append("|---|---|---|---|---|\n");
    for (String w : workloads) {
      for (long i : intervals) {
        md.append("| ")
            .append(title(w))
            .append(" | ")
            .append(i)
            .append(" ms | ")
            .append(topNote("spark", w, i))
            .append(spread(series("spark", w, i, "max_sustained_words_per_s"), " M", 1e6, "%.2f"))
            .append(" | ")
            .append(topNote("millrace", w, i))
            .append(
                spread(series("millrace", w, i, "max_sustained_words_per_s"), " M", 1e6, "%.2f"))
            .append(" | ")
            .append(belowLadder("spark", w, i) ? "> " : "")
            .append(ratio(ratios(w, i, "max_sustained_words_per_s", false)))
            .append(" |\n");
      }
    }
    double[] base = series("baseline", "-", 0, "words_per_s");
    double[] baseCpu = series("baseline", "-", 0, "cpu_ms_per_million_words");
    md.append(
            "\nPhysical-limit reference, one thread, `String.split` + `HashMap.merge` over the same")
        .append(" corpus: ")
        .append(spread(base, " M words/s", 1e6, "%.2f"))
        .append(", ")
        .append(spread(baseCpu, " ms CPU per million words", 1, "%.0f"))
        .append(".\n\n![throughput](bench-throughput.png)\n\n");

    md.append("## Processing time at a fixed rate\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "At %,d words/s, chosen low so that both engines would sustain it (runs where one did"
                + " not are listed under the table). After warm-up batches; nearest-rank p50/p99 per run, summarised over repeats;"
                + " with %s batches per run the p99 is close to the run's maximum. Rows at"
                + " intervals below the searched ones come from the stability probes (below), which"
                + " run only while the engine was stable at the next longer interval."
                + " Ratio: Spark ÷ Millrace, higher is better for Millrace.%n%n",
            Plan.FIXED_RATE,
            "8 (1 s batches), 30 (200 ms, 100 ms) or 2 s worth (40 at 50 ms, 100 at 20 ms, 200 at"
                + " 10 ms)"));
    latencyTable(md, "fixed_p50_ms", "fixed_p99_ms");
    List<String> over = new ArrayList<>();
    for (String w : workloads) {
      for (long i : fixedIntervals) {
        for (String e : ENGINES) {
          for (double p50 : series(e, w, i, "fixed_p50_ms")) {
            if (p50 >= i) {
              over.add(String.format(Locale.ROOT, "%s %s %d ms (p50 %.0f ms)", e, w, i, p50));
            }
          }
        }
      }
    }
    md.append("\nRuns whose median at the fixed rate reached the interval (not sustained): ")
        .append(over.isEmpty() ? "none" : String.join("; ", over))
        .append(".\n");
    md.append("\n![latency](bench-latency.png)\n\n");

    md.append("### End-to-end delay at the fixed rate\n\n");
    md.append(
        "Batch time → batch completed (the engine's scheduling delay plus its processing time), the"
            + " same batches as above; a record waits on average another half interval in the queue"
            + " before its batch time, alike for both engines and not included. A backlog left"
            + " from the engine's first batches (JIT, class loading) that the warm-up did not drain"
            + " shows here and not in the processing time. Ratio: Spark ÷ Millrace.\n\n");
    latencyTable(md, "fixed_e2e_p50_ms", "fixed_e2e_p99_ms");

    md.append("\n## Smallest stable batch interval\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "At the fixed rate (%,d words/s), a run is **stable** when the median processing time of"
                + " its measured batches is below the interval **and** the scheduling delay does"
                + " not grow: the median scheduling delay of the last third of the measured batches"
                + " exceeds that of the first third by less than one interval. The searched"
                + " intervals give a verdict from their fixed-rate batches; below the smallest of"
                + " them, probes of 50, 20 and 10 ms (a child JVM each, fixed-rate batches only) run"
                + " in that order, only if the engine was stable at the smallest searched interval,"
                + " until one is not stable. Smallest stable interval per repeat,"
                + " summarised over repeats; ratio Spark ÷ Millrace, higher is better for"
                + " Millrace; target ≤ 50 ms.%n%n",
            Plan.FIXED_RATE));
    md.append("| workload | Spark | Millrace | Spark ÷ Millrace |\n|---|---|---|---|\n");
    for (String w : workloads) {
      double[] s = smallestStable("spark", w);
      double[] m = smallestStable("millrace", w);
      List<Double> rs = new ArrayList<>();
      for (int k = 0; k < Math.min(s.length, m.length); k++) {
        rs.add(s[k] / m[k]);
      }
      md.append("| ")
          .append(title(w))
          .append(" | ")
          .append(spread(finite(s), " ms", 1, "%.0f"))
          .append(unstableNote(s))
          .append(" | ")
          .append(spread(finite(m), " ms", 1, "%.0f"))
          .append(unstableNote(m))
          .append(" | ")
          .append(ratio(finite(rs.stream().mapToDouble(Double::doubleValue).toArray())))
          .append(" |\n");
    }
    md.append(
        "\nVerdicts per interval: stable runs / runs, then the medians over runs of the p50"
            + " processing time and of the growth of the scheduling delay (last third − first"
            + " third).\n\n");
    md.append("| workload | interval | Spark | Millrace |\n|---|---|---|---|\n");
    for (String w : workloads) {
      for (long i : fixedIntervals) {
        md.append("| ").append(title(w)).append(" | ").append(i).append(" ms | ");
        md.append(verdict("spark", w, i)).append(" | ");
        md.append(verdict("millrace", w, i)).append(" |\n");
      }
    }
    md.append("\n");

    md.append("## CPU per million words\n\n");
    md.append(
        "Process CPU time (all threads, `OperatingSystemMXBean.getProcessCpuTime`) over the rate"
            + " search divided by the words fed in it (filler batches included), per engine JVM."
            + " Each engine's search ends where that engine stops keeping up, so this mixes"
            + " per-record and per-batch cost. Ratio: Spark ÷ Millrace, higher is better for"
            + " Millrace.\n\n");
    md.append("| workload | interval | Spark ms | Millrace ms | Spark ÷ Millrace |\n");
    md.append("|---|---|---|---|---|\n");
    lowerIsBetterRows(md, "cpu_ms_per_million_words", "");
    md.append(
        String.format(
            Locale.ROOT,
            "%nThe same over the fixed-rate batches only (%,d words/s, a rate both engines run;"
                + " at this rate the per-batch cost dominates):%n%n",
            Plan.FIXED_RATE));
    md.append("| workload | interval | Spark ms | Millrace ms | Spark ÷ Millrace |\n");
    md.append("|---|---|---|---|---|\n");
    lowerIsBetterRows(md, "fixed_cpu_ms_per_million_words", "");

    md.append("\n## Engine start → first batch completed\n\n");
    md.append(
        "From constructing the engine's context (SparkContext included for Spark) in a fresh JVM"
            + " to the first batch's completion. Both engines put batch times on multiples of the"
            + " interval on the clock, so the first batch is due somewhere between 0 and one"
            + " interval after start, and that wait is part of the figure. Ratio: Spark ÷"
            + " Millrace.\n\n");
    md.append("| workload | interval | Spark | Millrace | Spark ÷ Millrace |\n");
    md.append("|---|---|---|---|---|\n");
    lowerIsBetterRows(md, "start_to_first_batch_ms", " ms");
    double[] sparkRecovery =
        series("spark", "RECOVERY", RECOVERY_INTERVAL, "restart_to_first_batch_ms");
    double[] millraceRecovery =
        series("millrace", "RECOVERY", RECOVERY_INTERVAL, "restart_to_first_batch_ms");
    if (sparkRecovery.length + millraceRecovery.length > 0) {
      md.append("\n## Recovery: SIGKILL → restart → first batch\n\n");
      md.append(
          "A running count (updateStateByKey) over an empty text-file directory, 200 ms batches,"
              + " checkpointing to local disk, started with each engine's getOrCreate; killed with"
              + " SIGKILL after 15 batches and started again on the same checkpoint directory."
              + " Time from launching the new JVM to its first completed batch (JVM start"
              + " included). Ratio: Spark ÷ Millrace; target < 2 s.\n\n");
      md.append("| | Spark | Millrace | Spark ÷ Millrace |\n|---|---|---|---|\n");
      md.append("| restart → first batch | ")
          .append(spread(sparkRecovery, " ms", 1, "%.0f"))
          .append(" | ")
          .append(spread(millraceRecovery, " ms", 1, "%.0f"))
          .append(" | ")
          .append(ratio(ratios("RECOVERY", RECOVERY_INTERVAL, "restart_to_first_batch_ms", true)))
          .append(" |\n");
      md.append("| first launch → first batch (cold JVM) | ")
          .append(
              spread(
                  series("spark", "RECOVERY", RECOVERY_INTERVAL, "launch_to_first_batch_ms"),
                  " ms",
                  1,
                  "%.0f"))
          .append(" | ")
          .append(
              spread(
                  series("millrace", "RECOVERY", RECOVERY_INTERVAL, "launch_to_first_batch_ms"),
                  " ms",
                  1,
                  "%.0f"))
          .append(" | ")
          .append(ratio(ratios("RECOVERY", RECOVERY_INTERVAL, "launch_to_first_batch_ms", true)))
          .append(" |\n");
    }
    md.append("\n");
    Path file = docs.resolve("benchmarks.md");
    // The reading of a run is written by hand below the marker; regenerating keeps it, and its
    // figures must then be checked against the new tables.
    if (Files.exists(file)) {
      String previous = Files.readString(file, StandardCharsets.UTF_8);
      int at = previous.indexOf(HAND_WRITTEN);
      if (at >= 0) {
        md.append(previous.substring(at));
      }
    }
    Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    plots(docs);
  }

  private void plots(Path docs) throws IOException {
    List<String> categories = new ArrayList<>();
    Map<String, List<Double>> throughput = new TreeMap<>();
    Map<String, List<Double>> latency = new LinkedHashMap<>();
    for (String w : workloads) {
      for (long i : intervals) {
        categories.add(w.toLowerCase(Locale.ROOT) + " " + i + " ms");
        for (String e : ENGINES) {
          throughput
              .computeIfAbsent(e, k -> new ArrayList<>())
              .add(median(series(e, w, i, "max_sustained_words_per_s")) / 1e6);
          latency
              .computeIfAbsent(e + " p50", k -> new ArrayList<>())
              .add(median(series(e, w, i, "fixed_p50_ms")));
          latency
              .computeIfAbsent(e + " p99", k -> new ArrayList<>())
              .add(median(series(e, w, i, "fixed_p99_ms")));
        }
        throughput
            .computeIfAbsent("HashMap, 1 thread", k -> new ArrayList<>())
            .add(median(series("baseline", "-", 0, "words_per_s")) / 1e6);
      }
    }
    CategoryChart t =
        new CategoryChartBuilder()
            .width(1000)
            .height(500)
            .title("Max sustainable throughput (median of repeats)")
            .yAxisTitle("M words/s")
            .build();
    throughput.forEach((name, ys) -> t.addSeries(name, categories, ys));
    BitmapEncoder.saveBitmap(
        t, docs.resolve("bench-throughput.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    CategoryChart l =
        new CategoryChartBuilder()
            .width(1000)
            .height(500)
            .title(
                String.format(
                    Locale.ROOT,
                    "Processing time at %,d words/s (median of repeats)",
                    Plan.FIXED_RATE))
            .yAxisTitle("ms")
            .build();
    latency.forEach((name, ys) -> l.addSeries(name, categories, ys));
    BitmapEncoder.saveBitmap(
        l, docs.resolve("bench-latency.png").toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static final String METHOD =
      """
      ## Method

      - **Input.** `Corpus`: 200 000 lines of 10 words drawn from a 10 000-word Zipf (s = 1)
        vocabulary with a fixed seed; batches are cut from it in order, so both engines see the
        same lines. Both engines read them from a **queue stream** of pre-built batches (Spark:
        `StreamingContext.queueStream` of `parallelize(lines, 2)` RDDs, one per batch; Millrace:
        `queueStream(queue, true)`), which keeps file-system and socket IO out of the comparison.
        It is not free for either: Spark serialises each partition's lines into its tasks, and
        Millrace, when it checkpoints, writes each queue batch's lines into its batch log so the
        batch can be replayed (Spark's queue stream cannot be recovered at all).
      - **Engines.** Millrace `local[2]` (2 task threads); Spark 3.5 `local[2]`, UI off, Spark's own
        dependency versions (3.5.6). Each measurement is a fresh child JVM (`-Xmx2g`, same flags for both)
        running one engine and one workload, so JIT, GC and class loading do not leak between them.
      - **Workloads.** (1) stateless: `flatMap(split) → mapToPair(w, 1) → reduceByKey(+) →
        count`; (2) running count: the same reduced per batch, then `updateStateByKey(sum)`,
        checkpointing state every 10 batches to local disk (Spark: `sparkContext.setCheckpointDir`
        and `checkpoint(10 × interval)`, because metadata checkpointing refuses a queue stream);
        (3) windowed: `reduceByKeyAndWindow(+, −, 10 batches, 1 batch)`, zero counts dropped
        (Spark: filter function), checkpointed every 10 batches.
      - **Per child JVM.** The corpus, a 1 000-word first batch and the warm-up and fixed-rate
        batches are built first, then a full collection (`System.gc()`, awaited through the
        collectors' counts) clears the garbage of building them before the engine is created, for
        both engines alike. Then: the first batch (start → first batch), warm-up batches at the
        fixed rate (4 at 1 s, 15 at 200/100 ms, 1 s worth at shorter intervals), measured batches
        at the fixed rate (8 at 1 s, 30 at 200/100 ms, 2 s worth at shorter intervals), then the
        rate search: 2 (1 s) or 5 (shorter) batches per step, doubling from 100 k words/s while a
        step's median processing time stays below the interval, then three geometric bisections
        between the last sustained and the first unsustained rate. Between steps, unmeasured
        filler batches of 10 k words/s keep the queue from running dry until the next step is
        decided (and let a backlog drain); the search's batches are cut by the feeder as it goes.
        Processing times, scheduling delays and batch times are the engines' own `BatchInfo`s
        from a `StreamingListener`. The queue is kept at least 2 batches (1 s, 200 ms, 100 ms) or
        200 ms worth ahead, so batches map to what was fed by order; each child reports
        `queue_dry_batches` (batches completed beyond those taken from the queue), 0 in a valid
        run.
      - **Physical limit.** `Baseline`: one thread, `String.split` + `HashMap.merge`, 5 warm-up and
        10 measured passes over the corpus, in its own JVM.
      """;
}
