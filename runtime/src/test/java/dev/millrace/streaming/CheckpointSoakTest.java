package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.Contexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long checkpointed run: memory and the checkpoint directory stay bounded. */
class CheckpointSoakTest {
  @TempDir Path dir;

  @Test
  void checkpointDirectoryAndRetainedBatchesStayFlatOverAThousandBatches() throws IOException {
    Path checkpoint = dir.resolve("checkpoint");
    ConcurrentLinkedQueue<List<String>> queue = new ConcurrentLinkedQueue<>();
    List<String> samples = new ArrayList<>();
    try (TestingRun run =
        new TestingRun(
            checkpoint.toString(),
            0,
            b ->
                b.conf(
                    Map.of(
                        "millrace.checkpoint.interval",
                        "5s",
                        "millrace.checkpoint.retain",
                        "3")))) {
      DStream<String> words = run.ssc.queueStream(queue, true);
      PairDStream<String, Integer> pairs = words.mapToPair(w -> Pair.of(w, 1));
      pairs
          .updateStateByKey(
              (List<Integer> v, Optional<Integer> s) -> Optional.of(s.orElse(0) + v.size()))
          .foreachBatch(Batch::collect);
      pairs
          .reduceByKeyAndWindow(
              Integer::sum, (a, b) -> a - b, Durations.seconds(5), Durations.seconds(1))
          .foreachBatch(Batch::collect);
      words.window(Durations.seconds(3), Durations.seconds(3)).count().foreachBatch(Batch::collect);

      for (int b = 1; b <= 1000; b++) {
        queue.add(List.of("a" + (b % 50), "b"));
        run.runUntil(b * 1000L);
        if (b % 100 == 0) {
          samples.add(
              Contexts.engine(run.ssc).graph().retainedBatches()
                  + " datasets, "
                  + count(checkpoint.resolve("generations"))
                  + " generations, "
                  + count(checkpoint.resolve("batches"))
                  + " log files");
        }
      }
    }
    // After each generation the log keeps the batches after the oldest of the 3 kept: at most 15
    // batches, a plan and a done mark each.
    for (String sample : samples) {
      assertEquals(samples.get(0), sample, "every 100 batches: " + samples);
    }
    assertTrue(samples.get(0).contains(" 3 generations"), samples.get(0));
  }

  private static long count(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.count();
    }
  }
}
