package dev.millrace.bench.kafka;

import dev.millrace.bench.BenchEnvironment;
import dev.millrace.bench.Corpus;
import dev.millrace.bench.MeasuredJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bench/run kafka}: Millrace's Kafka stream against Spark 3.5's Kafka DStream on one real
 * KRaft broker (in a JVM of its own, {@link KafkaBroker}), in the same run. Pre-fills one topic
 * with the word-count corpus's lines, then per repeat: for each batch interval, each engine's
 * maximum sustainable rate reading that topic ({@link KafkaMeasurement} {@code ladder}), then at
 * one fixed rate both sustain at the smallest interval, the end-to-end delay of each engine's
 * output records ({@link #delay}). Each engine runs in a child JVM of its own on a class path that
 * holds only that engine and its Kafka client; every figure goes to {@code
 * docs/benchmarks-kafka-raw.csv} with the 1-minute load average before its child started, and
 * {@link KafkaReport} writes {@code docs/benchmarks-kafka.md}.
 *
 * <p>System properties: {@code bench.cp.millrace.kafka}, {@code bench.cp.spark} and {@code
 * bench.cp.broker}, the class paths of the children (bench/run sets them); {@code bench.repeats}
 * (default 1); {@code bench.intervals} (ms, default {@code 1000,100}); {@code
 * bench.kafka.partitions} (default 4); {@code bench.kafka.records} (records pre-filled, default
 * 16000000); {@code bench.kafka.startRate} (records/s of the first ladder step, default 20000);
 * {@code bench.kafka.stepSeconds} (a ladder step's length, at least 8 batches, default 3); {@code
 * bench.kafka.bisections} (default 2); {@code bench.kafka.delay.rate} (records/s of the delay
 * measurement; default half the lower of the two engines' sustained rates at the smallest interval
 * in that repeat, a sixteenth of the start rate when one sustained none); {@code
 * bench.kafka.delay.warmupSeconds} (default 10) and {@code bench.kafka.delay.seconds} (default 20);
 * {@code bench.docs} (default {@code docs}).
 */
public final class KafkaSuite {
  private static final long CHILD_LIMIT_MINUTES = 8;
  private static final Path CHILDREN_LOG = Path.of("bench/target/kafka-children.log");
  private static final String INPUT = "kbench-words";

  /** How long after the warm-up the delay window waits at most for a backlog to clear. */
  private static final long CATCH_UP_LIMIT_MS = 60_000;

  /** How long after the last input the consumer waits at most for the last counts. */
  private static final long DRAIN_MS = 10_000;

  /** Consecutive batches that must start within an interval of their time to count as caught up. */
  private static final int CAUGHT_UP_BATCHES = 10;

  private final String bootstrap;
  private final Map<String, String> classpaths;
  private final PrintWriter raw;
  private final int partitions;

  private KafkaSuite(
      String bootstrap, Map<String, String> classpaths, PrintWriter raw, int partitions) {
    this.bootstrap = bootstrap;
    this.classpaths = classpaths;
    this.raw = raw;
    this.partitions = partitions;
  }

  public static void main(String[] args) throws Exception {
    Path docs = Path.of(System.getProperty("bench.docs", "docs"));
    int repeats = Integer.getInteger("bench.repeats", 1);
    List<Long> intervals = new ArrayList<>();
    for (String s : System.getProperty("bench.intervals", "1000,100").split(",")) {
      intervals.add(Long.parseLong(s.trim()));
    }
    long smallest = Collections.min(intervals);
    int partitions = Integer.getInteger("bench.kafka.partitions", 4);
    long records = Long.getLong("bench.kafka.records", 16_000_000L);
    long startRate = Long.getLong("bench.kafka.startRate", 20_000L);
    int stepSeconds = Integer.getInteger("bench.kafka.stepSeconds", 3);
    int bisections = Integer.getInteger("bench.kafka.bisections", 2);
    Map<String, String> classpaths =
        Map.of(
            "millrace", BenchEnvironment.required("bench.cp.millrace.kafka", "bench/run kafka"),
            "spark", BenchEnvironment.required("bench.cp.spark", "bench/run kafka"));
    Files.createDirectories(docs);
    Path rawFile = docs.resolve("benchmarks-kafka-raw.csv");
    try (BrokerProcess broker =
            BrokerProcess.start(BenchEnvironment.required("bench.cp.broker", "bench/run kafka"));
        PrintWriter raw =
            new PrintWriter(Files.newBufferedWriter(rawFile, StandardCharsets.UTF_8))) {
      raw.println("# " + Instant.now() + " " + BenchEnvironment.machine());
      raw.println("repeat,engine,measurement,interval_ms,load1_before,metric,value");
      KafkaSuite suite = new KafkaSuite(broker.bootstrap(), classpaths, raw, partitions);
      suite.createTopic(INPUT);
      suite.prefill(records);
      for (int repeat = 1; repeat <= repeats; repeat++) {
        // Alternate which engine goes first, so a drift in the box's load hits both alike.
        List<String> engines =
            repeat % 2 == 1 ? List.of("spark", "millrace") : List.of("millrace", "spark");
        Map<String, Long> sustainedAtSmallest = new HashMap<>();
        for (long interval : intervals) {
          int batches = (int) Math.max(8, stepSeconds * 1000L / interval);
          for (String engine : engines) {
            List<String> lines =
                suite.child(
                    repeat,
                    engine,
                    "LADDER",
                    interval,
                    "ladder",
                    engine,
                    suite.bootstrap,
                    INPUT,
                    Integer.toString(partitions),
                    Long.toString(records / partitions),
                    Long.toString(interval),
                    Long.toString(startRate),
                    Integer.toString(batches),
                    Integer.toString(Math.max(2, batches / 4)),
                    Integer.toString(bisections));
            if (interval == smallest) {
              sustainedAtSmallest.put(engine, metric(lines, "max_sustained_records_per_s"));
            }
          }
        }
        long rate =
            Long.getLong("bench.kafka.delay.rate", delayRate(sustainedAtSmallest, startRate));
        for (String engine : engines) {
          suite.delay(repeat, engine, smallest, rate);
        }
      }
    }
    KafkaReport.write(rawFile, docs);
  }

  /**
   * Half the lower of the two sustained rates, in whole thousands; if either engine sustained no
   * rate at all, the lowest rate the ladder tries (a sixteenth of its start), and the report says
   * that no rate was sustained by both.
   */
  private static long delayRate(Map<String, Long> sustained, long startRate) {
    long lower = sustained.values().stream().mapToLong(Long::longValue).min().orElse(0);
    return lower <= 0 ? startRate / 16 : Math.max(1000, lower / 2 / 1000 * 1000);
  }

  private static long metric(List<String> lines, String metric) {
    for (String line : lines) {
      if (line.startsWith(metric + ",")) {
        return Long.parseLong(line.substring(metric.length() + 1));
      }
    }
    return 0;
  }

  private void createTopic(String topic) throws ExecutionException, InterruptedException {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
  }

  /**
   * Writes {@code records} corpus lines to the input topic, spread evenly over its partitions, as
   * plain (not transactional) records; both engines later read exactly these.
   */
  private void prefill(long records) throws Exception {
    long start = System.nanoTime();
    List<String> lines = Corpus.standard().lines();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(20))) {
      for (long i = 0; i < records; i++) {
        producer.send(
            new ProducerRecord<>(
                INPUT, (int) (i % partitions), null, lines.get((int) (i % lines.size()))));
      }
      producer.flush();
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String load = BenchEnvironment.load1();
    raw.println("0,broker,PREFILL,0," + load + ",prefilled_records," + records);
    raw.println("0,broker,PREFILL,0," + load + ",prefill_ms," + ms);
    raw.flush();
    System.out.printf("%s prefilled %d records in %d ms%n", Instant.now(), records, ms);
  }

  /**
   * The end-to-end delay of one engine at {@code rate} records/s: a producer here writes corpus
   * lines to a new input topic, each stamped with its send time (the record's CreateTime) just
   * before it is handed to the producer; the engine counts each batch's words and writes every
   * word's count, with the oldest producer timestamp among the records it counts, to a new output
   * topic; a {@code read_committed} consumer here polls that topic and times each output record
   * from that oldest timestamp to the moment the poll returning it returned. Only output records
   * whose oldest input was produced in the measured window count: it opens after the warm-up once
   * the last {@value #CAUGHT_UP_BATCHES} batches each started within an interval of their batch
   * time (a cold start's backlog is gone; at most {@value #CATCH_UP_LIMIT_MS} ms later, reported as
   * {@code caught_up,false}), and lasts {@code bench.kafka.delay.seconds}.
   */
  private void delay(int repeat, String engine, long intervalMs, long rate) throws Exception {
    String input = "kbench-in-" + repeat + "-" + engine;
    String output = "kbench-out-" + repeat + "-" + engine;
    createTopic(input);
    createTopic(output);
    long warmupMs = TimeUnit.SECONDS.toMillis(Long.getLong("bench.kafka.delay.warmupSeconds", 10));
    long measureMs = TimeUnit.SECONDS.toMillis(Long.getLong("bench.kafka.delay.seconds", 20));
    long base = System.currentTimeMillis();
    String load = BenchEnvironment.load1();
    System.out.printf(
        "%s repeat %d %s DELAY %d ms at %d records/s (load %s)%n",
        Instant.now(), repeat, engine, intervalMs, rate, load);
    Process process =
        start(
            engine,
            "delay",
            engine,
            bootstrap,
            input,
            Integer.toString(partitions),
            output,
            Long.toString(intervalMs),
            Long.toString(base));
    List<String> lines = new CopyOnWriteArrayList<>();
    List<long[]> batches = new CopyOnWriteArrayList<>(); // {arrival, processing, e2e, sched}
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  if (line.startsWith("batch,")) {
                    String[] f = line.split(",");
                    batches.add(
                        new long[] {
                          System.currentTimeMillis(),
                          Long.parseLong(f[1]),
                          Long.parseLong(f[3]),
                          Long.parseLong(f[2])
                        });
                  } else {
                    lines.add(line);
                  }
                }
              } catch (IOException e) {
                lines.add("failed,reading the child: " + e.getMessage());
              }
            },
            "kbench-child-reader");
    reader.start();
    List<String> results = new ArrayList<>();
    long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(2);
    while (!lines.contains("started")
        && process.isAlive()
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    if (!lines.contains("started")) {
      results.add("failed,the child did not start");
    } else {
      // Wait for the first batch, so that start-up is not measured as delay.
      while (batches.isEmpty() && process.isAlive() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      RateProducer producer = new RateProducer(input, rate);
      producer.start();
      long warmupUntil = System.currentTimeMillis() + warmupMs;
      long catchUpLimit = warmupUntil + CATCH_UP_LIMIT_MS;
      long measureFrom = -1;
      long measureUntil = Long.MAX_VALUE;
      long drainUntil = Long.MAX_VALUE;
      List<long[]> delays = new ArrayList<>(); // {oldest input timestamp, delay}
      long counted = 0;
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
        List<TopicPartition> outs = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
          outs.add(new TopicPartition(output, p));
        }
        consumer.assign(outs);
        consumer.seekToBeginning(outs);
        while (System.currentTimeMillis() < drainUntil) {
          var polled = consumer.poll(Duration.ofMillis(50));
          long now = System.currentTimeMillis();
          for (ConsumerRecord<String, String> record : polled) {
            String value = record.value();
            counted += Long.parseLong(value.substring(0, value.indexOf(',')));
            delays.add(new long[] {CountSince.oldest(value), now - CountSince.oldest(value)});
          }
          if (measureFrom < 0
              && now >= warmupUntil
              && (caughtUp(batches, intervalMs) || now >= catchUpLimit)) {
            // The window opens once the start-up backlog is gone (or the limit passed).
            measureFrom = now;
            measureUntil = now + measureMs;
            results.add("caught_up," + caughtUp(batches, intervalMs));
            results.add(
                "measure_from_s_after_first_batch," + (now - warmupUntil + warmupMs) / 1000);
          } else if (measureFrom >= 0 && now >= measureUntil && producer.isAlive()) {
            producer.finish();
            // Drain: up to 10 s after the last input was produced, until everything is counted.
            drainUntil = now + DRAIN_MS;
          }
          if (!producer.isAlive() && counted >= producer.produced() * Corpus.WORDS_PER_LINE) {
            break;
          }
        }
      }
      long from = measureFrom;
      long until = measureUntil;
      long[] measured =
          delays.stream()
              .filter(d -> d[0] >= from && d[0] < until)
              .mapToLong(d -> d[1])
              .sorted()
              .toArray();
      producer.join();
      List<long[]> window = batches.stream().filter(b -> b[0] >= from && b[0] < until).toList();
      long[] processing = window.stream().mapToLong(b -> b[1]).sorted().toArray();
      long[] batchE2e = window.stream().mapToLong(b -> b[2]).sorted().toArray();
      long[] batchScheduling = window.stream().mapToLong(b -> b[3]).sorted().toArray();
      results.add("delay_rate_records_per_s," + rate);
      results.add("produced_records," + producer.produced());
      results.add("produce_lag_max_ms," + producer.maxLagMs());
      results.add("counted_words," + counted);
      results.add("produced_words," + producer.produced() * Corpus.WORDS_PER_LINE);
      results.add("delay_output_records," + measured.length);
      if (measured.length > 0) {
        results.add("delay_p50_ms," + percentile(measured, 50));
        results.add("delay_p99_ms," + percentile(measured, 99));
        results.add("delay_max_ms," + percentile(measured, 100));
      }
      results.add("delay_batches," + processing.length);
      if (processing.length > 0) {
        results.add("delay_processing_p50_ms," + percentile(processing, 50));
        results.add("delay_processing_p99_ms," + percentile(processing, 99));
        results.add("delay_scheduling_p50_ms," + percentile(batchScheduling, 50));
        results.add("delay_scheduling_p99_ms," + percentile(batchScheduling, 99));
        results.add("delay_batch_done_p50_ms," + percentile(batchE2e, 50));
        results.add("delay_batch_done_p99_ms," + percentile(batchE2e, 99));
      }
    }
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    reader.join(10_000);
    for (String line : lines) {
      if (line.startsWith("failed") || line.startsWith("Exception")) {
        results.add(line);
      }
    }
    record(repeat, engine, "DELAY", intervalMs, load, results);
  }

  /**
   * Whether the last {@link #CAUGHT_UP_BATCHES} batches each started within one interval of their
   * batch time (no backlog left from start-up).
   */
  private static boolean caughtUp(List<long[]> batches, long intervalMs) {
    // A copy: the child's reader thread appends while this runs, which ends a sublist's life.
    List<long[]> seen = List.copyOf(batches);
    int n = seen.size();
    if (n < CAUGHT_UP_BATCHES) {
      return false;
    }
    for (long[] batch : seen.subList(n - CAUGHT_UP_BATCHES, n)) {
      if (batch[3] >= intervalMs) {
        return false;
      }
    }
    return true;
  }

  /** One {@link KafkaMeasurement} child run to its end; returns its output lines. */
  private List<String> child(
      int repeat, String engine, String measurement, long interval, String... args)
      throws IOException, InterruptedException {
    String load = BenchEnvironment.load1();
    System.out.printf(
        "%s repeat %d %s %s %d ms (load %s)%n",
        Instant.now(), repeat, engine, measurement, interval, load);
    List<String> lines =
        MeasuredJvm.run(
            command(engine, args),
            CHILDREN_LOG,
            CHILD_LIMIT_MINUTES,
            line -> System.out.println("  " + line));
    record(repeat, engine, measurement, interval, load, lines);
    return lines;
  }

  private void record(
      int repeat,
      String engine,
      String measurement,
      long interval,
      String load,
      List<String> lines) {
    for (String line : lines) {
      raw.println(
          String.join(
              ",",
              Integer.toString(repeat),
              engine,
              measurement,
              Long.toString(interval),
              load,
              line));
      if (measurement.equals("DELAY")) {
        System.out.println("  " + line);
      }
    }
    raw.flush();
  }

  private Process start(String engine, String... args) throws IOException {
    return MeasuredJvm.start(command(engine, args), CHILDREN_LOG);
  }

  private List<String> command(String engine, String... args) {
    return MeasuredJvm.command(
        classpaths.get(engine), List.of(), KafkaMeasurement.class.getName(), List.of(args));
  }

  private Map<String, Object> producerProperties(int lingerMs) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.serializer", StringSerializer.class);
    props.put("value.serializer", StringSerializer.class);
    props.put("linger.ms", lingerMs);
    props.put("batch.size", 256 * 1024);
    props.put("acks", "all");
    return props;
  }

  private Map<String, Object> consumerProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.deserializer", StringDeserializer.class);
    props.put("value.deserializer", StringDeserializer.class);
    props.put("isolation.level", "read_committed");
    // A fetch returns as soon as committed data is there; the short wait only bounds how late an
    // idle poll notices it.
    props.put("fetch.max.wait.ms", 10);
    return props;
  }

  /** The nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /**
   * Writes corpus lines to {@code topic} at {@code rate} records/s in 10 ms ticks until finished,
   * each record stamped with the wall clock at its send.
   */
  private final class RateProducer extends Thread {
    private final String topic;
    private final long rate;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong maxLagMs = new AtomicLong();
    private volatile boolean finished;

    RateProducer(String topic, long rate) {
      super("kbench-producer");
      setDaemon(true);
      this.topic = topic;
      this.rate = rate;
    }

    /** Stops producing; {@link #produced} is final once the thread ended. */
    void finish() {
      finished = true;
    }

    long produced() {
      return produced.get();
    }

    /** How far behind its schedule the producer fell at worst (a loaded box shows here). */
    long maxLagMs() {
      return maxLagMs.get();
    }

    @Override
    public void run() {
      List<String> lines = Corpus.standard().lines();
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(1))) {
        long start = System.currentTimeMillis();
        long sent = 0;
        while (!finished) {
          long now = System.currentTimeMillis();
          long due = (now - start) * rate / 1000;
          maxLagMs.accumulateAndGet((due - sent) * 1000 / rate, Math::max);
          for (; sent < due; sent++) {
            producer.send(
                new ProducerRecord<>(
                    topic,
                    null,
                    System.currentTimeMillis(),
                    null,
                    lines.get((int) (sent % lines.size()))));
          }
          Thread.sleep(10);
        }
        producer.flush();
        produced.set(sent);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
