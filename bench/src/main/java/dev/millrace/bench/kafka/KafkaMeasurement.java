package dev.millrace.bench.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One engine in a JVM of its own, on a class path holding only that engine and its Kafka client;
 * prints one {@code metric,value} line per figure on standard output.
 *
 * <p>{@code ladder <engine> <bootstrap> <topic> <partitions> <recordsPerPartition> <intervalMs>
 * <startRate> <batchesPerStep> <warmupBatches> <bisections>}: the maximum sustainable rate. Each
 * step starts a new stream on the engine's warm context reading the pre-filled topic from its
 * earliest offset with a per-partition rate cap, runs {@code batchesPerStep} batches and stops it;
 * the step is sustained when the median processing time of its batches after the first {@code
 * warmupBatches} is below the interval. A first step at the start rate, of at least 10 s, only
 * warms the JVM. The rate (records/s over all partitions) doubles from {@code startRate} until a
 * step is not sustained (or halves, at most four times, until one is), then the gap is bisected
 * geometrically; a step that would read past the topic's {@code recordsPerPartition} is not run
 * (the ladder's top).
 *
 * <p>{@code delay <engine> <bootstrap> <topic> <partitions> <outputTopic> <intervalMs> <base>}: the
 * word count written to {@code outputTopic}; prints {@code started}, then {@code batch,<processing
 * ms>,<scheduling ms>,<batch time to completed ms>} per batch, until standard input closes.
 */
public final class KafkaMeasurement {
  private static final long STALL_LIMIT_MS = 120_000;

  /** The least length of the first, unjudged step. */
  private static final long WARMUP_MS = 10_000;

  /** Halvings below the start rate when not even the first step is sustained. */
  private static final int HALVINGS = 4;

  private KafkaMeasurement() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    try {
      KafkaEngine engine = engine(args[1]);
      if (args[0].equals("ladder")) {
        ladder(engine, args, out);
      } else {
        delay(engine, args, out);
      }
    } finally {
      out.flush();
      // Neither engine needs an orderly stop here; halting keeps a stuck shutdown from stalling.
      Runtime.getRuntime().halt(0);
    }
  }

  private static void ladder(KafkaEngine engine, String[] args, PrintStream out)
      throws InterruptedException {
    String bootstrap = args[2];
    String topic = args[3];
    int partitions = Integer.parseInt(args[4]);
    long recordsPerPartition = Long.parseLong(args[5]);
    long intervalMs = Long.parseLong(args[6]);
    long startRate = Long.parseLong(args[7]);
    int batches = Integer.parseInt(args[8]);
    int warmup = Integer.parseInt(args[9]);
    int bisections = Integer.parseInt(args[10]);
    // The most a step may read per partition: its rate times its duration.
    long topRate = recordsPerPartition * 1000 / (intervalMs * batches) * partitions;
    // A first step at the start rate, of at least 10 s, warms the JVM (JIT, connections, pools)
    // and is not judged: a cold first step costs several times a warm one (Spark's most).
    int warmupStep = (int) Math.max(batches, WARMUP_MS / intervalMs);
    out.println(
        "warmup_sustained,"
            + step(
                "warmup_step",
                engine,
                bootstrap,
                topic,
                partitions,
                intervalMs,
                startRate,
                warmupStep,
                warmupStep / 2,
                out));
    long lo = 0;
    long hi = -1;
    int steps = 0;
    for (long rate = startRate; rate <= topRate; rate *= 2) {
      steps++;
      if (step(
          "ladder_step",
          engine,
          bootstrap,
          topic,
          partitions,
          intervalMs,
          rate,
          batches,
          warmup,
          out)) {
        lo = rate;
      } else {
        hi = rate;
        break;
      }
    }
    long lowest = startRate;
    if (hi > 0 && lo == 0) {
      // Not even the first step: halve down to a sixteenth of it.
      for (int h = 0; h < HALVINGS; h++) {
        long rate = startRate >> (h + 1);
        lowest = rate;
        steps++;
        if (step(
            "ladder_step",
            engine,
            bootstrap,
            topic,
            partitions,
            intervalMs,
            rate,
            batches,
            warmup,
            out)) {
          lo = rate;
          break;
        }
        hi = rate;
      }
    }
    if (hi > 0 && lo > 0) {
      for (int b = 0; b < bisections; b++) {
        long mid = Math.round(Math.sqrt((double) lo * hi));
        steps++;
        if (step(
            "ladder_step",
            engine,
            bootstrap,
            topic,
            partitions,
            intervalMs,
            mid,
            batches,
            warmup,
            out)) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
    }
    out.println("max_sustained_records_per_s," + lo);
    out.println("first_unsustained_records_per_s," + hi);
    out.println("ladder_top_reached," + (hi < 0));
    out.println("ladder_top_records_per_s," + topRate);
    out.println("search_lowest_rate," + lowest);
    out.println("search_steps," + steps);
  }

  /**
   * One rate step; prints {@code <label>,<records/s>,<median ms>,<max ms>,<median scheduling ms>}
   * and returns whether it was sustained.
   */
  private static boolean step(
      String label,
      KafkaEngine engine,
      String bootstrap,
      String topic,
      int partitions,
      long intervalMs,
      long rate,
      int batches,
      int warmup,
      PrintStream out)
      throws InterruptedException {
    List<long[]> completed = new ArrayList<>();
    engine.startCounting(
        bootstrap,
        topic,
        intervalMs,
        Math.max(1, rate / partitions),
        (ms, sched, e2e) -> {
          synchronized (completed) {
            completed.add(new long[] {ms, sched});
            completed.notifyAll();
          }
        });
    long[] processing;
    long[] scheduling;
    synchronized (completed) {
      long deadline = System.currentTimeMillis() + STALL_LIMIT_MS;
      int seen = 0;
      while (completed.size() < batches) {
        completed.wait(1000);
        if (completed.size() != seen) {
          seen = completed.size();
          deadline = System.currentTimeMillis() + STALL_LIMIT_MS;
        } else if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              "no batch completed for " + STALL_LIMIT_MS + " ms at " + seen + " batches");
        }
      }
      List<long[]> steady = completed.subList(warmup, batches);
      processing = steady.stream().mapToLong(b -> b[0]).toArray();
      scheduling = steady.stream().mapToLong(b -> b[1]).toArray();
    }
    engine.stop();
    double median = median(processing);
    out.println(
        label
            + ","
            + rate
            + ","
            + Math.round(median)
            + ","
            + Arrays.stream(processing).max().orElse(0)
            + ","
            + Math.round(median(scheduling)));
    out.flush();
    return median < intervalMs;
  }

  private static void delay(KafkaEngine engine, String[] args, PrintStream out) throws IOException {
    String bootstrap = args[2];
    String topic = args[3];
    String outputTopic = args[5];
    long intervalMs = Long.parseLong(args[6]);
    long base = Long.parseLong(args[7]);
    engine.startCountingTo(
        bootstrap,
        topic,
        outputTopic,
        intervalMs,
        base,
        (ms, sched, e2e) -> {
          synchronized (out) {
            out.println("batch," + ms + "," + sched + "," + e2e);
            out.flush();
          }
        });
    synchronized (out) {
      out.println("started");
      out.flush();
    }
    while (System.in.read() >= 0) {
      // The suite closes standard input when it has measured.
    }
  }

  /** The median; the mean of the middle two for an even count. */
  static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  private static KafkaEngine engine(String name) {
    // Reflection keeps the other engine's classes out of this JVM's class loading entirely.
    String type =
        switch (name) {
          case "millrace" -> "dev.millrace.bench.kafka.MillraceKafkaEngine";
          case "spark" -> "dev.millrace.bench.kafka.SparkKafkaEngine";
          default -> throw new IllegalArgumentException("engine " + name + ": millrace or spark");
        };
    try {
      return (KafkaEngine) Class.forName(type).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start " + name + ": is it on the class path?", e);
    }
  }
}
