package dev.millrace.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One engine, one workload, one batch interval, in a JVM of its own: feeds {@link Plan}'s batches
 * and prints one {@code metric,value} line per figure on standard output.
 *
 * <p>Batches are mapped to plan entries by order: the queue is filled before the engine starts and
 * kept topped up, so it never runs dry and the n-th completed batch is the n-th entry (both engines
 * run one batch at a time, in order).
 *
 * <p>Usage: {@code Measurement millrace|spark STATELESS|RUNNING|WINDOWED <intervalMs>
 * <checkpointDir>}
 */
public final class Measurement {
  private static final int QUEUED_AHEAD = 4;
  private static final long STALL_LIMIT_MS = 120_000;

  private final Object lock = new Object();
  private final List<Long> processing = new ArrayList<>(); // guarded by lock
  private final List<Long> completedAtNanos = new ArrayList<>(); // guarded by lock

  private Measurement() {}

  public static void main(String[] args) throws Exception {
    String engineName = args[0];
    Workload workload = Workload.valueOf(args[1]);
    long intervalMs = Long.parseLong(args[2]);
    String checkpoint = args[3];
    PrintStream out = System.out;
    try {
      new Measurement().run(engineName, workload, intervalMs, checkpoint, out);
    } finally {
      out.flush();
      // Neither engine needs an orderly stop here; halting keeps a stuck shutdown from stalling.
      Runtime.getRuntime().halt(0);
    }
  }

  private void run(
      String engineName, Workload workload, long intervalMs, String checkpoint, PrintStream out)
      throws Exception {
    Plan plan = Plan.forInterval(intervalMs);
    Corpus corpus = Corpus.standard();
    List<List<String>> inputs = new ArrayList<>();
    for (Plan.Entry entry : plan.batches()) {
      inputs.add(corpus.nextBatch(entry.words()));
    }
    Path checkpointDir = Path.of(checkpoint);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long jvmUptimeAtStart = ManagementFactory.getRuntimeMXBean().getUptime();

    long startNanos = System.nanoTime();
    Engine engine = engineName.equals("spark") ? newSpark() : new MillraceEngine();
    int fed = 0;
    while (fed < QUEUED_AHEAD) {
      engine.offer(inputs.get(fed++));
    }
    engine.start(
        workload,
        intervalMs,
        checkpointDir,
        ms -> {
          synchronized (lock) {
            processing.add(ms);
            completedAtNanos.add(System.nanoTime());
            lock.notifyAll();
          }
        });
    Feeder feeder = new Feeder(engine, inputs, fed);
    feeder.start();

    out.println("jvm_uptime_before_engine_ms," + jvmUptimeAtStart);
    waitFor(1);
    out.println(
        "start_to_first_batch_ms,"
            + TimeUnit.NANOSECONDS.toMillis(completedAtNanos(0) - startNanos));

    List<Plan.Entry> entries = plan.batches();
    int firstFixed = indexOf(entries, Plan.Phase.FIXED);
    int firstLadder = indexOf(entries, Plan.Phase.LADDER);
    waitFor(firstLadder);
    long[] fixed = slice(firstFixed, firstLadder);
    out.println("fixed_rate_words_per_s," + Plan.FIXED_RATE);
    out.println("fixed_p50_ms," + percentile(fixed, 50));
    out.println("fixed_p99_ms," + percentile(fixed, 99));
    out.println("fixed_max_ms," + percentile(fixed, 100));

    long cpuAtLadder = os.getProcessCpuTime();
    long wordsInLadder = 0;
    long sustained = 0;
    int stepStart = firstLadder;
    boolean ladderTopReached = true;
    while (stepStart < entries.size()) {
      int step = entries.get(stepStart).step();
      int stepEnd = stepStart;
      while (stepEnd < entries.size() && entries.get(stepEnd).step() == step) {
        wordsInLadder += entries.get(stepEnd).words();
        stepEnd++;
      }
      waitFor(stepEnd);
      long[] times = slice(stepStart, stepEnd);
      long p50 = percentile(times, 50);
      long rate = entries.get(stepStart).rate();
      out.println("ladder_step," + rate + "," + p50 + "," + percentile(times, 100));
      if (p50 >= intervalMs) {
        ladderTopReached = false;
        break;
      }
      sustained = rate;
      stepStart = stepEnd;
    }
    long cpuNanos = os.getProcessCpuTime() - cpuAtLadder;
    feeder.interrupt();
    out.println("max_sustained_words_per_s," + sustained);
    out.println("ladder_top_reached," + ladderTopReached);
    out.println("ladder_words," + wordsInLadder);
    out.println("cpu_ms_per_million_words," + (cpuNanos / 1e6) / (wordsInLadder / 1e6));
  }

  private static Engine newSpark() {
    // Reflection keeps Spark's classes out of a Millrace child's class loading entirely.
    try {
      return (Engine)
          Class.forName("dev.millrace.bench.SparkEngine").getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start Spark: is Spark on the classpath?", e);
    }
  }

  private void waitFor(int completed) throws InterruptedException {
    synchronized (lock) {
      long lastSize = processing.size();
      long deadline = System.currentTimeMillis() + STALL_LIMIT_MS;
      while (processing.size() < completed) {
        lock.wait(1000);
        if (processing.size() != lastSize) {
          lastSize = processing.size();
          deadline = System.currentTimeMillis() + STALL_LIMIT_MS;
        } else if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              "no batch completed for " + STALL_LIMIT_MS + " ms at " + lastSize);
        }
      }
    }
  }

  private long completedAtNanos(int index) {
    synchronized (lock) {
      return completedAtNanos.get(index);
    }
  }

  private long[] slice(int from, int to) {
    synchronized (lock) {
      return processing.subList(from, to).stream().mapToLong(Long::longValue).toArray();
    }
  }

  private static int indexOf(List<Plan.Entry> entries, Plan.Phase phase) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).phase() == phase) {
        return i;
      }
    }
    throw new IllegalArgumentException("no " + phase + " batch in the plan");
  }

  /** The nearest-rank percentile. */
  static long percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /** Keeps {@link #QUEUED_AHEAD} batches queued until the plan is fed. */
  private static final class Feeder extends Thread {
    private final Engine engine;
    private final List<List<String>> inputs;
    private int next;

    Feeder(Engine engine, List<List<String>> inputs, int next) {
      super("bench-feeder");
      setDaemon(true);
      this.engine = engine;
      this.inputs = inputs;
      this.next = next;
    }

    @Override
    public void run() {
      try {
        while (next < inputs.size()) {
          while (next < inputs.size() && engine.queued() < QUEUED_AHEAD) {
            engine.offer(inputs.get(next++));
          }
          Thread.sleep(5);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
