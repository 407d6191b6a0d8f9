package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.ManualClock;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingException;
import dev.millrace.streaming.StreamingListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One run of an application on a manual clock with 1 s batches, as a driver would run it: the test
 * defines the graph, the run starts it, steps the clock to a batch time and waits for that batch,
 * or for the failure that stops the context (a failing output plays the driver's crash).
 */
final class TestingRun implements AutoCloseable {
  final ManualClock clock;
  final StreamingContext ssc;
  final List<Long> completed = new CopyOnWriteArrayList<>();

  /**
   * {@code app}, checkpointing to {@code checkpoint} (null for none), its clock at {@code now}, its
   * graph defined by {@code define}; started, or stopped again if the start fails.
   */
  TestingRun(String app, String checkpoint, long now, Consumer<StreamingContext> define) {
    clock = new ManualClock(now);
    ssc =
        StreamingContext.builder()
            .master("local[2]")
            .appName(app)
            .batchInterval(Durations.seconds(1))
            .clock(clock)
            .build();
    if (checkpoint != null) {
      ssc.checkpoint(checkpoint);
    }
    define.accept(ssc);
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            completed.add(batch.batchTime());
          }
        });
    try {
      ssc.start();
    } catch (RuntimeException e) {
      ssc.stop(false); // a start that fails (a recovery refused) leaves no context running
      throw e;
    }
  }

  /** Sets the clock to {@code time} and waits until batch {@code time} has completed. */
  void runUntil(long time) throws InterruptedException {
    clock.setTime(time);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!completed.contains(time)) {
      if (ssc.state() == StreamingContext.State.STOPPED) {
        fail("the context stopped before batch " + time + " completed");
      }
      if (System.nanoTime() > deadline) {
        fail("batch " + time + " did not complete within 30 s; completed: " + completed);
      }
      Thread.sleep(5);
    }
  }

  /** Sets the clock to {@code time} and returns the failure that stops the context. */
  StreamingException failureAt(long time) throws InterruptedException {
    clock.setTime(time);
    try {
      assertTrue(ssc.awaitTerminationOrTimeout(30_000), "the context did not fail at " + time);
    } catch (StreamingException expected) {
      return expected;
    }
    return fail("the context stopped without a failure at batch " + time);
  }

  @Override
  public void close() {
    ssc.stop(false);
  }
}
