package dev.millrace.runtime.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.EngineLaunch;
import dev.millrace.runtime.history.BatchHistory;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.ManualClock;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairDStream;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code /api/v1/checkpoints} over a real checkpoint directory: a first run of a stateful graph on
 * a manual clock writes generations, its newest generation's state file is damaged while it is
 * down, and the second run's answer shows the generation its recovery restored, the one it passed
 * over with why, and the generations kept.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CheckpointsPageApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> CONF =
      Map.of("millrace.checkpoint.interval", "1s", "millrace.checkpoint.retain", "3");

  @TempDir Path dir;

  @Test
  void aRecoveryPastADamagedGenerationShowsWhatItRestoredAndWhatItPassedOverAndWhy()
      throws Exception {
    String checkpoint = dir.resolve("checkpoint").toString();
    try (Run first = new Run(checkpoint, 0)) {
      for (long t = 1000; t <= 4000; t += 1000) {
        first.runUntil(t);
      }
      JsonNode before = first.checkpoints();
      assertEquals("fresh", before.get("started").asText());
      assertTrue(before.get("recovery").isNull(), before.toString());
      assertEquals(List.of(4000L, 3000L, 2000L), times(before), "the newest 3 are kept");
      for (JsonNode g : before.get("generations")) {
        assertEquals(CheckpointsView.THIS_DRIVER, g.get("writtenBy").asText());
        assertTrue(g.get("durationMs").asLong() >= 0 && g.get("bytes").asLong() > 0, g.toString());
      }
      assertEquals(1000, before.get("intervalMs").asLong());
    }
    Path state =
        dir.resolve("checkpoint/generations/" + String.format("%020d", 4000L) + "/state-0");
    byte[] bytes = Files.readAllBytes(state);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(state, bytes);

    try (Run second = new Run(checkpoint, 4000)) {
      second.runUntil(5000);
      JsonNode answer = second.checkpoints();
      assertEquals("recovered", answer.get("started").asText());
      assertTrue(answer.get("directory").asText().contains(dir.getFileName() + "/checkpoint"));
      JsonNode recovery = answer.get("recovery");
      assertEquals(3000, recovery.get("restoredBatchTime").asLong(), answer.toString());
      assertEquals(1, recovery.get("fallbacks").size(), answer.toString());
      JsonNode fallback = recovery.get("fallbacks").get(0);
      assertEquals(4000, fallback.get("batchTime").asLong());
      String reason = fallback.get("reason").asText();
      assertTrue(reason.contains("state-0") && reason.contains("corrupt"), reason);

      assertEquals(List.of(5000L, 4000L, 3000L), times(answer));
      JsonNode newest = answer.get("generations").get(0);
      assertEquals(CheckpointsView.THIS_DRIVER, newest.get("writtenBy").asText());
      assertTrue(newest.get("durationMs").isNumber(), newest.toString());
      JsonNode restored = answer.get("generations").get(2);
      assertTrue(restored.get("passedOver").isNull(), restored.toString());
      assertEquals(CheckpointsView.EARLIER_DRIVER, restored.get("writtenBy").asText());
      assertTrue(restored.get("durationMs").isNull(), "unknown for an earlier driver's");
      assertTrue(restored.get("bytes").asLong() > 0, restored.toString());
      assertTrue(answer.get("lastCheckpointAgeMs").asLong() >= 0, answer.toString());
    }
  }

  private static List<Long> times(JsonNode answer) {
    List<Long> times = new ArrayList<>();
    answer.get("generations").forEach(g -> times.add(g.get("batchTime").asLong()));
    return times;
  }

  /** One run of a running word count on a manual clock, its UI's checkpoints view listening. */
  private static final class Run implements AutoCloseable {
    private final ManualClock clock;
    private final StreamingContext ssc;
    private final WebUi ui;
    private final List<Long> completed = new CopyOnWriteArrayList<>();

    Run(String checkpoint, long now) {
      clock = new ManualClock(now);
      ssc =
          StreamingContext.getOrCreate(
              checkpoint,
              () ->
                  StreamingContext.builder()
                      .master("local[2]")
                      .appName("counts")
                      .batchInterval(Durations.seconds(1))
                      .clock(clock)
                      .conf(CONF)
                      .build());
      Queue<List<String>> queue = new ConcurrentLinkedQueue<>();
      for (int i = 0; i < 10; i++) {
        queue.add(List.of("a", "b", "a"));
      }
      PairDStream.of(ssc.queueStream(queue, true).mapToPair(w -> Pair.of(w, 1)))
          .updateStateByKey(
              (List<Integer> values, Optional<Integer> count) ->
                  Optional.of(count.orElse(0) + values.size()))
          .foreachBatch(b -> b.count());
      CheckpointsView checkpoints = new CheckpointsView(checkpoint, 3, System::currentTimeMillis);
      Contexts.launchWith(ssc, EngineLaunch.inProcess().onCheckpointOpened(checkpoints::opened));
      ssc.addStreamingListener(checkpoints);
      ssc.addStreamingListener(
          new StreamingListener() {
            @Override
            public void onBatchCompleted(BatchInfo batch) {
              completed.add(batch.batchTime());
            }
          });
      ui =
          new WebUi(
              new BatchHistory(100, 1, List.of()),
              () -> null,
              1000,
              EffectiveSettings.of(CONF),
              checkpoints,
              List::of);
      ssc.start();
    }

    void runUntil(long time) throws InterruptedException {
      clock.setTime(time);
      while (!completed.contains(time)) {
        Thread.sleep(2);
      }
    }

    JsonNode checkpoints() throws Exception {
      WebResponse response = ui.answer("/api/v1/checkpoints", null).orElseThrow();
      assertEquals(200, response.code());
      return JSON.readTree(new String(response.body(), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
      ssc.stop(false);
    }
  }
}
