package dev.millrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report from a tiny hand-made raw file: searched intervals, probes, stability, ratios. */
class ReportTest {
  @Test
  void smallestStableIntervalAndRatiosComeFromTheRawFile(@TempDir Path dir) throws Exception {
    List<String> raw = new ArrayList<>();
    raw.add("# test");
    raw.add("repeat,engine,workload,interval_ms,load1_before,metric,value");
    raw.add("1,baseline,-,0,0.5,words_per_s,10000000");
    raw.add("1,baseline,-,0,0.5,cpu_ms_per_million_words,60");
    for (String engine : List.of("spark", "millrace")) {
      boolean spark = engine.equals("spark");
      String full = "1," + engine + ",STATELESS,100,1.5,";
      raw.add(full + "jvm_uptime_before_engine_ms,200");
      raw.add(full + "start_to_first_batch_ms," + (spark ? 2000 : 100));
      raw.add(full + "fixed_p50_ms," + (spark ? 40 : 2));
      raw.add(full + "fixed_p99_ms," + (spark ? 80 : 4));
      raw.add(full + "fixed_e2e_p50_ms," + (spark ? 50 : 2));
      raw.add(full + "fixed_e2e_p99_ms," + (spark ? 90 : 5));
      raw.add(full + "fixed_cpu_ms_per_million_words," + (spark ? 10000 : 300));
      raw.add(full + "fixed_sched_first_third_ms,0");
      raw.add(full + "fixed_sched_last_third_ms,0");
      raw.add(full + "stable,true");
      raw.add(full + "max_sustained_words_per_s," + (spark ? 5_000_000 : 20_000_000));
      raw.add(full + "search_lowest_rate,100000");
      raw.add(full + "ladder_top_reached,false");
      raw.add(full + "search_steps,12");
      raw.add(full + "cpu_ms_per_million_words," + (spark ? 200 : 50));
      String probe = "1," + engine + ",STATELESS,50,1.5,";
      raw.add(probe + "jvm_uptime_before_engine_ms,200");
      raw.add(probe + "fixed_p50_ms," + (spark ? 60 : 1));
      raw.add(probe + "fixed_p99_ms," + (spark ? 90 : 3));
      raw.add(probe + "fixed_sched_first_third_ms,0");
      raw.add(probe + "fixed_sched_last_third_ms," + (spark ? 900 : 0));
      raw.add(probe + "stable," + !spark);
    }
    Path file = dir.resolve("benchmarks-raw.csv");
    Files.write(file, raw, StandardCharsets.UTF_8);

    Report.write(file, dir);

    String md = Files.readString(dir.resolve("benchmarks.md"), StandardCharsets.UTF_8);
    assertTrue(md.contains("| stateless word count | 100 ms | 5.00 M (5.00–5.00) | 20.00 M"), md);
    assertTrue(md.contains("| 4.00× (4.00–4.00) |"), md);
    assertTrue(
        md.contains("| stateless word count | 100 ms (100–100) | 50 ms (50–50) | 2.00×"), md);
    assertTrue(md.contains("| stateless word count | 50 ms | 0/1 (p50 60 ms, growth 900 ms)"), md);
    // The probe interval has no rate search: it must not appear in the throughput table.
    assertEquals(-1, md.indexOf("| stateless word count | 50 ms | n/a"), md);
    assertTrue(Files.exists(dir.resolve("bench-throughput.png")));
  }

  @Test
  void planKeepsTheQueueAheadAndMeasuresTwoSecondsAtShortIntervals() {
    assertEquals(2, Plan.forInterval(1000).queuedAhead());
    assertEquals(2, Plan.forInterval(100).queuedAhead());
    assertEquals(20, Plan.forInterval(10).queuedAhead());
    assertEquals(200, Plan.forInterval(10).fixed());
    assertEquals(30, Plan.forInterval(200).fixed());
    assertEquals(10_000, Plan.forInterval(100).words(Plan.FIXED_RATE));
  }
}
