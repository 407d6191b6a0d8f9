package dev.millrace.bench;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One engine, one workload, one batch interval, in a JVM of its own: feeds {@link Plan}'s batches
 * and prints one {@code metric,value} line per figure on standard output.
 *
 * <p>Batches are mapped to what was fed by order: the feeder keeps the queue topped up, so it never
 * runs dry and the n-th completed batch is the n-th batch offered (both engines run one batch at a
 * time, in order). The first, warm-up and fixed-rate batches are built before the engine starts,
 * followed by a full collection, so that building them leaves no garbage for the measured batches;
 * the rate search's batches are cut by the feeder as it goes (a list of references into the
 * corpus's lines each).
 *
 * <p>Usage: {@code Measurement millrace|spark STATELESS|RUNNING|WINDOWED <intervalMs>
 * <checkpointDir> [full|fixed]}; {@code fixed} stops after the fixed-rate batches (the stability
 * probe at short intervals).
 */
public final class Measurement {
  private static final long STALL_LIMIT_MS = 120_000;

  /** Marks a batch the feeder offered outside any measured step. */
  private static final int FILLER = -1;

  private final Object lock = new Object();
  private final List<Long> processing = new ArrayList<>(); // guarded by lock
  private final List<Long> scheduling = new ArrayList<>(); // guarded by lock
  private final List<Long> endToEnd = new ArrayList<>(); // guarded by lock
  private final List<Long> completedAtNanos = new ArrayList<>(); // guarded by lock

  private Measurement() {}

  public static void main(String[] args) throws Exception {
    String engineName = args[0];
    Workload workload = Workload.valueOf(args[1]);
    long intervalMs = Long.parseLong(args[2]);
    String checkpoint = args[3];
    boolean fixedOnly = args.length > 4 && args[4].equals("fixed");
    PrintStream out = System.out;
    try {
      new Measurement().run(engineName, workload, intervalMs, checkpoint, fixedOnly, out);
    } finally {
      out.flush();
      // Neither engine needs an orderly stop here; halting keeps a stuck shutdown from stalling.
      Runtime.getRuntime().halt(0);
    }
  }

  private void run(
      String engineName,
      Workload workload,
      long intervalMs,
      String checkpoint,
      boolean fixedOnly,
      PrintStream out)
      throws Exception {
    Plan plan = Plan.forInterval(intervalMs);
    Corpus corpus = Corpus.standard();
    List<List<String>> prebuilt = new ArrayList<>();
    prebuilt.add(corpus.nextBatch(Plan.FIRST_WORDS));
    for (int i = 0; i < plan.warmup() + plan.fixed(); i++) {
      prebuilt.add(corpus.nextBatch(plan.words(Plan.FIXED_RATE)));
    }
    out.println("gc_before_engine_ms," + collectGarbage());
    Path checkpointDir = Path.of(checkpoint);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long jvmUptimeAtStart = ManagementFactory.getRuntimeMXBean().getUptime();

    long startNanos = System.nanoTime();
    Engine engine = engineName.equals("spark") ? newSpark() : new MillraceEngine();
    Feeder feeder = new Feeder(engine, plan, corpus, prebuilt);
    feeder.fill();
    engine.start(
        workload,
        intervalMs,
        checkpointDir,
        (ms, sched, e2e) -> {
          synchronized (lock) {
            processing.add(ms);
            scheduling.add(sched);
            endToEnd.add(e2e);
            completedAtNanos.add(System.nanoTime());
            lock.notifyAll();
          }
        });
    feeder.start();

    out.println("jvm_uptime_before_engine_ms," + jvmUptimeAtStart);
    waitFor(1);
    out.println(
        "start_to_first_batch_ms,"
            + TimeUnit.NANOSECONDS.toMillis(completedAtNanos(0) - startNanos));

    int firstFixed = 1 + plan.warmup();
    int endFixed = firstFixed + plan.fixed();
    waitFor(firstFixed);
    long cpuAtFixed = os.getProcessCpuTime();
    waitFor(endFixed);
    long fixedCpu = os.getProcessCpuTime() - cpuAtFixed;
    long[] fixed = slice(processing, firstFixed, endFixed);
    long[] fixedSched = slice(scheduling, firstFixed, endFixed);
    long[] fixedE2e = slice(endToEnd, firstFixed, endFixed);
    out.println("fixed_rate_words_per_s," + Plan.FIXED_RATE);
    out.println("fixed_batches," + fixed.length);
    out.println("fixed_p50_ms," + percentile(fixed, 50));
    out.println("fixed_mean_ms," + Arrays.stream(fixed).average().orElse(Double.NaN));
    out.println("fixed_p99_ms," + percentile(fixed, 99));
    out.println("fixed_max_ms," + percentile(fixed, 100));
    out.println("fixed_e2e_p50_ms," + percentile(fixedE2e, 50));
    out.println("fixed_e2e_p99_ms," + percentile(fixedE2e, 99));
    out.println(
        "fixed_cpu_ms_per_million_words,"
            + (fixedCpu / 1e6) / (plan.fixed() * plan.words(Plan.FIXED_RATE) / 1e6));
    // Stable: the median processing time is below the interval and the scheduling delay does not
    // grow: the median delay of the last third of the measured batches exceeds the first third's
    // by less than one interval (a backlog growing by a fraction of the interval per batch would
    // exceed that over the 30-200 measured batches).
    int third = Math.max(1, fixed.length / 3);
    long schedFirst = percentile(Arrays.copyOfRange(fixedSched, 0, third), 50);
    long schedLast =
        percentile(
            Arrays.copyOfRange(fixedSched, fixedSched.length - third, fixedSched.length), 50);
    boolean stable = percentile(fixed, 50) < intervalMs && schedLast - schedFirst < intervalMs;
    out.println("fixed_sched_first_third_ms," + schedFirst);
    out.println("fixed_sched_last_third_ms," + schedLast);
    out.println("stable," + stable);
    out.flush();
    if (fixedOnly) {
      out.println("queue_dry_batches," + dryBatches(feeder, engine));
      return;
    }

    long cpuAtSearch = os.getProcessCpuTime();
    long fedAtSearch = feeder.wordsFed();
    long lo = 0; // the highest rate sustained
    long hi = -1; // the lowest rate not sustained
    long lowest = Plan.SEARCH_START;
    int steps = 0;
    long rate = Plan.SEARCH_START;
    for (int d = 0; d <= Plan.MAX_DOUBLINGS; d++, rate *= 2) {
      steps++;
      if (step(feeder, plan, steps, rate, out)) {
        lo = rate;
      } else {
        hi = rate;
        break;
      }
    }
    if (hi > 0 && lo == 0) {
      rate = Plan.SEARCH_START / 2;
      for (int h = 0; h < Plan.HALVINGS; h++, rate /= 2) {
        steps++;
        lowest = rate;
        if (step(feeder, plan, steps, rate, out)) {
          lo = rate;
          break;
        }
        hi = rate;
      }
    }
    if (hi > 0 && lo > 0) {
      for (int b = 0; b < Plan.BISECTIONS; b++) {
        long mid = Math.round(Math.sqrt((double) lo * hi));
        steps++;
        if (step(feeder, plan, steps, mid, out)) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
    }
    long cpuNanos = os.getProcessCpuTime() - cpuAtSearch;
    long wordsInSearch = feeder.wordsFed() - fedAtSearch;
    feeder.interrupt();
    out.println("max_sustained_words_per_s," + lo);
    out.println("first_unsustained_words_per_s," + hi);
    out.println("search_lowest_rate," + lowest);
    out.println("ladder_top_reached," + (hi < 0));
    out.println("search_steps," + steps);
    out.println("ladder_words," + wordsInSearch);
    out.println("cpu_ms_per_million_words," + (cpuNanos / 1e6) / (wordsInSearch / 1e6));
    out.println("queue_dry_batches," + dryBatches(feeder, engine));
  }

  /**
   * Batches completed beyond those taken from the queue: positive only if the engine found the
   * queue empty at some batch (an empty batch that would shift the mapping by order). Zero does not
   * prove the opposite while batches are still pending, but every step's batches are awaited in
   * order.
   */
  private long dryBatches(Feeder feeder, Engine engine) {
    long taken = feeder.offered() - engine.queued();
    synchronized (lock) {
      return Math.max(0, processing.size() - taken);
    }
  }

  /**
   * Feeds one search step of {@link Plan#perStep()} batches at {@code rate} and returns whether it
   * was sustained: the median of their processing times (the mean of the middle two for an even
   * count) is below the interval.
   */
  private boolean step(Feeder feeder, Plan plan, int step, long rate, PrintStream out)
      throws InterruptedException {
    int[] indices = feeder.step(step, rate, plan.perStep());
    waitFor(indices[indices.length - 1] + 1);
    long[] times = new long[indices.length];
    synchronized (lock) {
      for (int i = 0; i < indices.length; i++) {
        times[i] = processing.get(indices[i]);
      }
    }
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    out.println("ladder_step," + rate + "," + Math.round(median) + "," + percentile(times, 100));
    out.flush();
    return median < plan.intervalMs();
  }

  /** Runs a full collection and waits until the collectors report it; returns its milliseconds. */
  static long collectGarbage() throws InterruptedException {
    long before = collections();
    long start = System.nanoTime();
    System.gc();
    long deadline = start + TimeUnit.SECONDS.toNanos(10);
    while (collections() == before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static long collections() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionCount());
    }
    return sum;
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

  private long[] slice(List<Long> list, int from, int to) {
    synchronized (lock) {
      return list.subList(from, to).stream().mapToLong(Long::longValue).toArray();
    }
  }

  /** The nearest-rank percentile. */
  static long percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /**
   * Keeps {@link Plan#queuedAhead()} batches queued: first the pre-built ones, then the batches of
   * the search steps the measurement asks for, and filler batches while no step is pending. Records
   * which offered batch belongs to which step.
   */
  private static final class Feeder extends Thread {
    private final Engine engine;
    private final Plan plan;
    private final Corpus corpus;
    private final Deque<List<String>> prebuilt;
    private final Deque<long[]> pending = new ArrayDeque<>(); // {step, rate}; guarded by this
    private final List<Integer> offeredStep = new ArrayList<>(); // guarded by this
    private long wordsFed; // guarded by this
    private long fillerDueSince = -1; // guarded by this

    Feeder(Engine engine, Plan plan, Corpus corpus, List<List<String>> prebuilt) {
      super("bench-feeder");
      setDaemon(true);
      this.engine = engine;
      this.plan = plan;
      this.corpus = corpus;
      this.prebuilt = new ArrayDeque<>(prebuilt);
    }

    /**
     * Queues {@code count} batches at {@code rate} for step {@code step}; returns their indices.
     */
    int[] step(int step, long rate, int count) throws InterruptedException {
      synchronized (this) {
        for (int i = 0; i < count; i++) {
          pending.add(new long[] {step, rate});
        }
        while (true) {
          int[] indices = new int[count];
          int found = 0;
          for (int i = 0; i < offeredStep.size() && found < count; i++) {
            if (offeredStep.get(i) == step) {
              indices[found++] = i;
            }
          }
          if (found == count) {
            return indices;
          }
          wait(50);
        }
      }
    }

    synchronized long wordsFed() {
      return wordsFed;
    }

    synchronized int offered() {
      return offeredStep.size();
    }

    /** Tops the queue up; called before the engine starts, then by this thread. */
    synchronized void fill() {
      while (engine.queued() < plan.queuedAhead()) {
        List<String> batch;
        int step;
        if (!prebuilt.isEmpty()) {
          batch = prebuilt.poll();
          step = FILLER;
        } else if (!pending.isEmpty()) {
          long[] next = pending.poll();
          batch = corpus.nextBatch(plan.words(next[1]));
          step = (int) next[0];
          fillerDueSince = -1;
        } else {
          // While a batch is still queued, wait up to half an interval for the next step to be
          // decided before falling back on a filler, so the step's own batch can go next; never
          // leave the queue empty (an engine catching up after a stall takes batches back to
          // back, and one taken from an empty queue would shift the mapping by order).
          if (engine.queued() == 0) {
            fillerDueSince = -1;
            batch = corpus.nextBatch(plan.words(Plan.FILLER_RATE));
            engine.offer(batch);
            offeredStep.add(FILLER);
            wordsFed += (long) batch.size() * Corpus.WORDS_PER_LINE;
            notifyAll();
            continue;
          }
          long now = System.nanoTime();
          if (fillerDueSince < 0) {
            fillerDueSince = now;
          }
          if (now - fillerDueSince < TimeUnit.MILLISECONDS.toNanos(plan.intervalMs()) / 2) {
            return;
          }
          fillerDueSince = -1;
          batch = corpus.nextBatch(plan.words(Plan.FILLER_RATE));
          step = FILLER;
        }
        engine.offer(batch);
        offeredStep.add(step);
        wordsFed += (long) batch.size() * Corpus.WORDS_PER_LINE;
        notifyAll();
      }
    }

    @Override
    public void run() {
      try {
        while (true) {
          fill();
          Thread.sleep(5);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
