package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.history.BatchHistory;
import dev.millrace.runtime.ui.CheckpointsView;
import dev.millrace.runtime.ui.EffectiveSettings;
import dev.millrace.runtime.ui.StateOperator;
import dev.millrace.runtime.ui.WebResponse;
import dev.millrace.runtime.ui.WebUi;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.ManualClock;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairDStream;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The State page's rows of a real context's graph: a running count and a windowed count, kept in
 * the driver (no executor), sized by the generation the context last wrote; served by {@code
 * /api/v1/state}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StateOperatorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void eachStatefulOperatorIsListedWithItsKeysBytesPartitionsAndTheDriverOwningThem()
      throws Exception {
    ManualClock clock = new ManualClock(0);
    StreamingContext ssc =
        StreamingContext.builder()
            .master("local[2]")
            .appName("counts")
            .batchInterval(Durations.seconds(1))
            .clock(clock)
            .conf(Map.of("millrace.checkpoint.interval", "1s", "millrace.default.parallelism", "3"))
            .build();
    ssc.checkpoint(dir.resolve("checkpoint").toString());
    Queue<List<String>> queue = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < 5; i++) {
      queue.add(List.of("a", "b", "c", "a"));
    }
    PairDStream<String, Integer> pairs =
        PairDStream.of(ssc.queueStream(queue, true).mapToPair(w -> Pair.of(w, 1)));
    pairs
        .updateStateByKey(
            (List<Integer> values, Optional<Integer> count) ->
                Optional.of(count.orElse(0) + values.size()))
        .foreachBatch(b -> b.count());
    pairs.window(Durations.seconds(2), Durations.seconds(1)).foreachBatch(b -> b.count());
    CheckpointsView checkpoints = new CheckpointsView(null, 10, System::currentTimeMillis);
    ssc.addStreamingListener(checkpoints);
    List<Long> completed = new CopyOnWriteArrayList<>();
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            completed.add(batch.batchTime());
          }
        });
    ssc.start();
    try {
      for (long t = 1000; t <= 2000; t += 1000) {
        clock.setTime(t);
        while (!completed.contains(t)) {
          Thread.sleep(2);
        }
      }
      // The generation of batch 2000 is written before the batch's completion is told.
      List<StateOperator> operators =
          StateOperators.of(
              Contexts.engine(ssc).graph(), null, List.of(), checkpoints.lastWritten());

      assertEquals(2, operators.size(), operators.toString());
      StateOperator counts = operators.get(0);
      assertTrue(counts.name().startsWith("updateStateByKey#"), counts.toString());
      assertEquals("updateStateByKey", counts.operation().replaceAll("\\(.*", ""));
      assertEquals(3, counts.partitions());
      assertEquals(List.of("driver", "driver", "driver"), counts.owners());
      assertEquals(2000L, counts.checkpointBatchTime());
      assertEquals(3L, counts.keys(), "a, b and c");
      assertTrue(counts.bytes() > 0, counts.toString());
      StateOperator window = operators.get(1);
      assertTrue(window.name().startsWith("window#"), window.toString());
      assertEquals(1, window.partitions());
      assertEquals(List.of("driver"), window.owners());

      WebUi ui =
          new WebUi(
              new BatchHistory(10, 1, List.of()),
              () -> null,
              1000,
              EffectiveSettings.of(Map.of()),
              checkpoints,
              () -> operators);
      WebResponse answer = ui.answer("/api/v1/state", null).orElseThrow();
      assertEquals(200, answer.code());
      JsonNode json = JSON.readTree(new String(answer.body(), StandardCharsets.UTF_8));
      assertEquals(counts.name(), json.get(0).get("name").asText());
      assertEquals(3, json.get(0).get("keys").asLong());
      assertEquals("driver", json.get(0).get("owners").get(2).asText());
      WebResponse bad = ui.answer("/api/v1/state", "operator=x").orElseThrow();
      assertEquals(400, bad.code());
      assertEquals(
          "operator",
          JSON.readTree(new String(bad.body(), StandardCharsets.UTF_8)).get("parameter").asText());
    } finally {
      ssc.stop(false);
    }
  }
}
