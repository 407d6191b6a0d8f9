package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.streaming.Durations;
import dev.millrace.streaming.SourceHealth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker shut down and started again in place (same port, same log directories) while a source
 * plans: the status shows the outage while planning retries. Its own broker, because the tests stop
 * it.
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
    SourceHealth health = source.health();
    assertNotNull(health);
    assertFalse(health.description().isBlank());
    return health;
  }
}
