package dev.millrace.runtime.source;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.dataset.Dataset;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A driver's part in checkpointing a socket source, run in its own JVM until the test kills it:
 * every 20 ms a batch is taken and its plan recorded; every fifth batch a generation with the
 * source's snapshot is committed, the batch log before it forgotten and old segments deleted, as
 * the scheduler does. After each batch it prints {@code acknowledged <n>} to standard output, and
 * {@code checkpoint <time>} after each generation.
 *
 * <p>Arguments: checkpoint directory, server port.
 */
public final class TestingCrashingDriver {
  static final String SOURCE_ID = "input-0";

  private TestingCrashingDriver() {}

  public static void main(String[] args) throws InterruptedException {
    CheckpointStore store = new CheckpointStore(args[0], new Configuration(), 3);
    // Small segments so that rolling and deletion happen while lines stream in.
    SocketTextSource source =
        new SocketTextSource(
            TestingLineServer.LOOPBACK,
            Integer.parseInt(args[1]),
            2,
            "killed",
            ReceiverSettings.defaults(),
            store,
            SOURCE_ID,
            16 * 1024);
    source.start(0);
    store.writeGeneration(0, Map.of(SOURCE_ID, source.snapshot()));
    for (long time = 100; ; time += 100) {
      Thread.sleep(20);
      Dataset<String> batch = source.take(time, false);
      store.recordPlan(new BatchPlan(time, List.of(source.encodePlan(batch))));
      if (time % 500 == 0) {
        byte[] snapshot = source.snapshot();
        store.writeGeneration(time, Map.of(SOURCE_ID, snapshot));
        store.forgetBatchesUpTo(time);
        source.checkpointCommitted(time, snapshot);
        System.out.println("checkpoint " + time);
      }
      System.out.println("acknowledged " + source.receivedLines());
      System.out.flush();
    }
  }
}
