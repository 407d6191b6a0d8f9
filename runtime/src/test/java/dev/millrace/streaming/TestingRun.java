package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One run of a checkpointed application on a manual clock, as a driver process would run it: the
 * test defines the graph, starts at a chosen time, steps the clock to a batch time and waits for
 * that batch. A failing output plays the driver's crash: the batch is planned but never done.
 */
final class TestingRun implements AutoCloseable {
  static final long INTERVAL = 1000;

  final ManualClock clock;
  final StreamingContext ssc;
  final List<Long> completed = new CopyOnWriteArrayList<>();

  /**
   * A context named {@code app} checkpointing to {@code checkpointDir}, its clock at {@code now}.
   */
  TestingRun(String checkpointDir, long now, Consumer<StreamingContext.Builder> settings) {
    clock = new ManualClock(now);
    StreamingContext.Builder builder =
        StreamingContext.builder()
            .master("local[2]")
            .appName("recovery")
            .batchInterval(Durations.milliseconds(INTERVAL))
            .clock(clock);
    settings.accept(builder);
    ssc = StreamingContext.getOrCreate(checkpointDir, builder::build);
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            completed.add(batch.batchTime());
          }
        });
  }

  /** Sets the clock to {@code time} and waits until batch {@code time} has completed. */
  void runUntil(long time) {
    if (ssc.state() == StreamingContext.State.INITIALIZED) {
      ssc.start();
    }
    clock.setTime(time);
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!completed.contains(time)) {
      if (ssc.state() == StreamingContext.State.STOPPED) {
        fail("the context stopped before batch " + time + " completed");
      }
      if (System.nanoTime() > deadline) {
        fail("batch " + time + " did not complete within 20 s; completed: " + completed);
      }
      sleep();
    }
  }

  /**
   * Sets the clock to {@code time} and waits until the context has stopped because a batch failed.
   */
  void crashAt(long time) throws InterruptedException {
    clock.setTime(time);
    try {
      if (!ssc.awaitTerminationOrTimeout(20_000)) {
        fail("the context did not fail at batch " + time);
      }
      fail("the context stopped without a failure at batch " + time);
    } catch (StreamingException expected) {
      // the planned crash
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  @Override
  public void close() {
    ssc.stop(false);
  }
}
