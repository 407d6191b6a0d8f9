package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a listener hears of the checkpoint generations a context writes. */
class CheckpointEventsTest {
  @TempDir Path dir;

  @Test
  void eachGenerationWrittenIsToldWithItsSizeAndTheStateItHoldsBeforeItIsTheNewest() {
    List<String> events = new CopyOnWriteArrayList<>();
    List<CheckpointInfo> written = new CopyOnWriteArrayList<>();
    Queue<List<String>> queue = new ConcurrentLinkedQueue<>();
    queue.add(List.of("a", "b", "a"));
    queue.add(List.of("c", "a"));
    try (TestingRun run =
        new TestingRun(
            dir.resolve("checkpoint").toString(),
            0,
            b -> b.conf(Map.of("millrace.checkpoint.interval", "1s")))) {
      run.ssc
          .queueStream(queue, true)
          .mapToPair(word -> Pair.of(word, 1))
          .updateStateByKey(
              (List<Integer> ones, Optional<Integer> total) ->
                  Optional.of(total.orElse(0) + ones.size()))
          .foreachBatch(Batch::count);
      run.ssc.addStreamingListener(
          new StreamingListener() {
            @Override
            public void onCheckpointWritten(CheckpointInfo checkpoint) {
              written.add(checkpoint);
              events.add("written " + checkpoint.batchTime());
            }

            @Override
            public void onCheckpointCompleted(long batchTime) {
              events.add("completed " + batchTime);
            }
          });
      run.runUntil(1000);
      run.runUntil(2000);
    }

    assertTrue(
        events.containsAll(
            List.of("written 1000", "completed 1000", "written 2000", "completed 2000")),
        events.toString());
    assertTrue(
        events.indexOf("written 2000") < events.indexOf("completed 2000"), events.toString());
    CheckpointInfo second =
        written.stream().filter(c -> c.batchTime() == 2000).findFirst().orElseThrow();
    assertEquals(1, second.stateRecords().size(), second.toString());
    String stream = second.stateRecords().keySet().iterator().next();
    assertTrue(stream.startsWith("updateStateByKey#"), stream);
    assertEquals(3L, second.stateRecords().get(stream), "keys a, b and c");
    assertTrue(second.stateBytes().get(stream) > 0, second.toString());
    assertTrue(second.bytes() >= second.stateBytes().get(stream), second.toString());
    assertTrue(second.durationMs() >= 0, second.toString());
  }
}
