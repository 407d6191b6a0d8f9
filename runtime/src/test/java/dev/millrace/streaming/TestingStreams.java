package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A streaming context on a manual clock that the test steps one batch at a time: feed input with
 * {@link #queue}, define outputs with {@link #collect}, then {@link #runBatches}.
 */
final class TestingStreams implements AutoCloseable {
  static final long INTERVAL = 1000;

  final ManualClock clock = new ManualClock(0);
  final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  final StreamingContext ssc;
  private final AtomicInteger completed = new AtomicInteger();
  private int batchesRun;

  TestingStreams() {
    this("local[2]");
  }

  TestingStreams(String master) {
    this(master, Map.of());
  }

  /** A context on {@code local[2]} built with the configuration entries {@code conf}. */
  TestingStreams(Map<String, String> conf) {
    this("local[2]", conf);
  }

  private TestingStreams(String master, Map<String, String> conf) {
    ssc =
        StreamingContext.builder()
            .master(master)
            .appName("test")
            .batchInterval(Durations.milliseconds(INTERVAL))
            .clock(clock)
            .console(new PrintStream(printed, true, StandardCharsets.UTF_8))
            .conf(conf)
            .build();
  }

  /** A queue stream fed, one list per batch, from {@code batches}. */
  <T> DStream<T> queue(List<List<T>> batches) {
    Queue<List<T>> q = new LinkedList<>(batches);
    return ssc.queueStream(q, true);
  }

  /** Collects every batch of {@code stream} by batch time. */
  <T> Collected<T> collect(DStream<T> stream) {
    Collected<T> c = new Collected<>();
    stream.foreachBatch(b -> c.batches.put(b.time(), b.collect()));
    return c;
  }

  /**
   * Starts the context. The batch counter is registered last, so every listener a test added has
   * seen a batch before {@link #runBatches} counts it.
   */
  void start() {
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            synchronized (completed) {
              completed.incrementAndGet();
              completed.notifyAll();
            }
          }
        });
    ssc.start();
  }

  /** Starts the context if needed and runs {@code n} more batches to completion. */
  void runBatches(int n) {
    if (ssc.state() == StreamingContext.State.INITIALIZED) {
      start();
    }
    for (int i = 0; i < n; i++) {
      batchesRun++;
      clock.setTime(batchesRun * INTERVAL);
      awaitCompleted(batchesRun);
    }
  }

  private void awaitCompleted(int count) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    synchronized (completed) {
      while (completed.get() < count) {
        if (ssc.state() == StreamingContext.State.STOPPED) {
          fail("the context stopped before batch " + count * INTERVAL + " completed");
        }
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          fail("batch " + count * INTERVAL + " did not complete within 20 s");
        }
        try {
          completed.wait(Math.min(left, 50));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          fail("interrupted");
        }
      }
    }
  }

  String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    ssc.stop(false);
  }

  /** Batches of one output, by batch time. */
  static final class Collected<T> {
    final Map<Long, List<T>> batches = new ConcurrentHashMap<>();

    /** The batches in time order. */
    TreeMap<Long, List<T>> byTime() {
      return new TreeMap<>(batches);
    }

    /** The records of batch {@code k} (1-based batch number). */
    List<T> batch(int k) {
      List<T> b = batches.get(k * INTERVAL);
      return b == null ? null : new ArrayList<>(b);
    }
  }
}
