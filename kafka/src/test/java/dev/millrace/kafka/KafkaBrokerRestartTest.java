package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.streaming.Durations;
import dev.millrace.streaming.SourceHealth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker shut down and started again in place (same port, same log directories) while a source
 * plans and an application runs: the status shows the outage while planning retries, and batches
 * wait for the broker instead of failing. Its own broker, because the tests stop it.
 */
class KafkaBrokerRestartTest {
  @RegisterExtension static final TestingKafka KAFKA = new TestingKafka();

  private static Map<String, String> options(String topic, String... settings) {
    Map<String, String> conf = new HashMap<>();
    conf.put("bootstrap.servers", KAFKA.bootstrapServers());
    conf.put("subscribe", topic);
    conf.put("startingOffsets", "earliest");
    conf.put("key.deserializer", StringDeserializer.class.getName());
    conf.put("value.deserializer", StringDeserializer.class.getName());
    for (int i = 0; i < settings.length; i += 2) {
      conf.put(settings[i], settings[i + 1]);
    }
    return conf;
  }

  @Test
  void whilePlanningRetriesTheStatusShowsTheOutageAndItsErrorUntilAPlanSucceedsAgain()
      throws Exception {
    KAFKA.createTopic("health", 1);
    KAFKA.produce("health", 0, "a", "b");
    String servers = KAFKA.bootstrapServers();
    KafkaSource<String, String> source =
        new KafkaSource<>(
            KafkaOptions.of(options("health", "planningTimeout", "4s")), Durations.seconds(1));
    source.start();
    try {
      source.plan(1000, Long.MAX_VALUE);
      SourceHealth healthy = source.health();
      KAFKA.stopBroker();
      CompletableFuture<List<OffsetRange>> retrying =
          CompletableFuture.supplyAsync(() -> source.plan(2000, Long.MAX_VALUE));
      SourceHealth down = await(source, h -> h.outageSince() != null, "an outage");
      boolean stillRetrying = !retrying.isDone();
      ExecutionException gaveUp =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> retrying.get(60, TimeUnit.SECONDS));
      SourceHealth afterGivingUp = source.health();
      KAFKA.startBroker();
      source.plan(3000, Long.MAX_VALUE);
      SourceHealth back = source.health();

      assertEquals(servers + " subscribe=health", healthy.description());
      assertNull(healthy.outageSince());
      assertNull(healthy.lastError());
      assertEquals(2L, healthy.recordsPlanned());
      assertEquals("0", healthy.figures().get("lag"));
      assertTrue(stillRetrying, "the outage shows while planning still retries");
      assertTrue(down.lastError().startsWith("asking " + servers + " for "), down.lastError());
      assertEquals(down.outageSince(), down.lastErrorTime(), "the first failed attempt starts it");
      assertInstanceOf(KafkaUnavailableException.class, gaveUp.getCause());
      assertEquals(down.outageSince(), afterGivingUp.outageSince(), "one outage, not one a try");
      assertEquals(gaveUp.getCause().getMessage(), afterGivingUp.lastError());
      assertNull(back.outageSince(), "a plan that succeeds ends the outage");
      assertEquals(afterGivingUp.lastError(), back.lastError(), "the last error is kept");
    } finally {
      source.stop();
      KAFKA.startBroker();
    }
  }

  @Test
  void anAppKeepsRunningThroughABrokerRestartAndWritesEveryRecordOnceToKafka() throws Exception {
    KAFKA.createTopic("restart-in", 2);
    KAFKA.createTopic("restart-out", 1);
    Map<String, String> output = new HashMap<>();
    output.put("bootstrap.servers", KAFKA.bootstrapServers());
    output.put("topic", "restart-out");
    output.put("outputName", "restart-out");
    output.put("key.serializer", StringSerializer.class.getName());
    output.put("value.serializer", StringSerializer.class.getName());
    KafkaSource<String, String> source =
        new KafkaSource<>(
            KafkaOptions.of(options("restart-in", "planningTimeout", "60s")), Durations.seconds(1));
    List<String> expected = new ArrayList<>();
    try (TestingRun run =
        new TestingRun(
            "kafka-restart",
            null,
            0,
            ssc ->
                KafkaOutput.saveToKafka(
                    KafkaInput.directStream(ssc, source).map(KafkaRecord::value),
                    value -> KafkaOutputRecord.of("k-" + value, value),
                    output))) {
      expected.addAll(produce("before", 6));
      run.runUntil(1000);

      KAFKA.stopBroker();
      // Sent while the broker is down: the producer holds them until it is back.
      CompletableFuture<List<String>> during =
          CompletableFuture.supplyAsync(() -> produce("during", 6));
      run.clock.setTime(2000);
      SourceHealth down = await(source, h -> h.outageSince() != null, "the outage");
      Thread.sleep(3_000);
      boolean batchWaited = !run.completed.contains(2000L);
      KAFKA.startBroker();
      run.runUntil(2000);
      expected.addAll(during.get(60, TimeUnit.SECONDS));
      expected.addAll(produce("after", 6));
      for (long time = 3000; KAFKA.read("restart-out", "read_committed").size() < 18; ) {
        run.runUntil(time);
        time += 1000;
        if (time > 10_000) {
          fail(
              "not every record came out by batch 10000: "
                  + KAFKA.read("restart-out", "read_committed"));
        }
      }

      assertTrue(batchWaited, "batch 2000 waits for the broker");
      assertTrue(down.lastError().contains(KAFKA.bootstrapServers()), down.lastError());
      assertNull(source.health().outageSince(), "the broker is back");
    } finally {
      KAFKA.startBroker();
    }
    expected.sort(null);
    assertEquals(expected, KAFKA.read("restart-out", "read_committed"), "every record once");
  }

  /** {@code count} values {@code <prefix><n>} over the input's two partitions. */
  private static List<String> produce(String prefix, int count) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      KAFKA.produce("restart-in", i % 2, prefix + i);
      values.add(prefix + i);
    }
    return values;
  }

  private static SourceHealth await(
      KafkaSource<?, ?> source, Predicate<SourceHealth> condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.test(source.health())) {
      if (System.nanoTime() > deadline) {
        fail(what + " did not show in the status within 30 s: " + source.health());
      }
      Thread.sleep(10);
    }
    return source.health();
  }
}
