package dev.millrace.bench.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka report from a tiny hand-made raw file: rates, ratios, delays and the targets. */
class KafkaReportTest {
  @Test
  void ratiosDelaysAndTargetsComeFromTheRawFile(@TempDir Path dir) throws Exception {
    List<String> raw = new ArrayList<>();
    raw.add("# test");
    raw.add("repeat,engine,measurement,interval_ms,load1_before,metric,value");
    raw.add("0,broker,PREFILL,0,0.5,prefilled_records,1000");
    raw.add("1,spark,LADDER,100,1.5,ladder_step,20000,40,60,0");
    raw.add("1,spark,LADDER,100,1.5,ladder_step,40000,120,200,300");
    raw.add("1,spark,LADDER,100,1.5,max_sustained_records_per_s,20000");
    raw.add("1,spark,LADDER,100,1.5,ladder_top_reached,false");
    raw.add("1,millrace,LADDER,100,2.5,max_sustained_records_per_s,80000");
    raw.add("1,millrace,LADDER,100,2.5,ladder_top_reached,true");
    raw.add("1,spark,DELAY,100,1.0,delay_rate_records_per_s,30000");
    raw.add("1,spark,DELAY,100,1.0,caught_up,false");
    raw.add("1,spark,DELAY,100,1.0,measure_from_s_after_first_batch,70");
    raw.add("1,spark,DELAY,100,1.0,delay_p50_ms,900");
    raw.add("1,spark,DELAY,100,1.0,delay_p99_ms,2000");
    raw.add("1,millrace,DELAY,100,1.1,delay_rate_records_per_s,30000");
    raw.add("1,millrace,DELAY,100,1.1,delay_p50_ms,120");
    raw.add("1,millrace,DELAY,100,1.1,delay_p99_ms,190");
    raw.add("1,millrace,DELAY,100,1.1,failed,exit 1");
    Path file = dir.resolve("benchmarks-kafka-raw.csv");
    Files.write(file, raw, StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("benchmarks-kafka.md"),
        "old tables\n" + KafkaReport.HAND_WRITTEN + "\nthe analysis\n",
        StandardCharsets.UTF_8);

    KafkaReport.write(file, dir);

    String md = Files.readString(dir.resolve("benchmarks-kafka.md"), StandardCharsets.UTF_8);
    assertTrue(
        md.contains("| 100 ms | 1 | 20,000 | 80,000 (≥, ladder top) | 4.00× | 1.5 / 2.5 | met |"),
        md);
    assertTrue(
        md.contains("| 100 ms | 1 | spark | 30,000 | 900 ms | 2000 ms | – | 70 s, backlog not"),
        md);
    assertTrue(md.contains("| 1.0 | not met |"), md);
    assertTrue(md.contains("| 1.1 | met |"), md);
    assertTrue(md.contains("spark sustained 20000 records/s at 100 ms, below"), md);
    assertTrue(md.contains("20,000 → 40 / 60 / 0; 40,000 → 120 / 200 / 300 ✗"), md);
    assertTrue(md.contains("1,millrace,DELAY,100,1.1,failed,exit 1"), md);
    assertTrue(md.endsWith(KafkaReport.HAND_WRITTEN + "\nthe analysis\n"), md);
    assertTrue(!md.contains("old tables"), md);
  }
}
