package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.Durations;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class KafkaOptionsTest {

  private static Map<String, String> minimal(String... more) {
    Map<String, String> conf = new HashMap<>();
    conf.put("bootstrap.servers", "broker1:9092,broker2:9093");
    conf.put("subscribe", "orders,payments");
    for (int i = 0; i < more.length; i += 2) {
      conf.put(more[i], more[i + 1]);
    }
    return conf;
  }

  private static ConfigurationException refused(Map<String, String> conf) {
    return assertThrows(ConfigurationException.class, () -> KafkaOptions.of(conf));
  }

  @Test
  void optionsNotGivenTakeTheirDefaults() {
    KafkaOptions options = KafkaOptions.of(minimal());

    assertEquals(List.of("broker1:9092", "broker2:9093"), options.bootstrapServers());
    assertEquals(
        new TopicSubscription.Topics(List.of("orders", "payments")), options.subscription());
    assertEquals(new StartingOffsets.Latest(), options.startingOffsets());
    assertEquals(IsolationLevel.READ_COMMITTED, options.isolationLevel());
    assertEquals(Double.POSITIVE_INFINITY, options.maxRatePerPartition());
    assertTrue(options.failOnDataLoss());
    assertEquals(Optional.empty(), options.commitGroupId());
    assertEquals(Durations.seconds(60), options.planningTimeout());
    assertEquals(Long.MAX_VALUE, options.maxRecordsPerTask());
  }

  @Test
  void everyOptionIsReadFromItsKey() {
    KafkaOptions options =
        KafkaOptions.of(
            Map.of(
                "bootstrap.servers", "localhost:9092",
                "subscribePattern", "orders-.*",
                "startingOffsets", "orders-eu:0=42,orders-eu:1=7",
                "isolation.level", "read_uncommitted",
                "maxRatePerPartition", "2500",
                "failOnDataLoss", "false",
                "commitGroupId", "order-counter",
                "planningTimeout", "2m",
                "maxRecordsPerTask", "100000"));

    assertTrue(options.subscription().includes("orders-eu"));
    assertFalse(options.subscription().includes("payments"));
    assertFalse(options.subscription().includes("old-orders-eu"), "the whole name must match");
    assertEquals(
        new StartingOffsets.Offsets(
            Map.of(
                new TopicPartition("orders-eu", 0), 42L, new TopicPartition("orders-eu", 1), 7L)),
        options.startingOffsets());
    assertEquals(IsolationLevel.READ_UNCOMMITTED, options.isolationLevel());
    assertEquals(2500.0, options.maxRatePerPartition());
    assertFalse(options.failOnDataLoss());
    assertEquals(Optional.of("order-counter"), options.commitGroupId());
    assertEquals(Durations.minutes(2), options.planningTimeout());
    assertEquals(100_000L, options.maxRecordsPerTask());
  }

  @Test
  void startingOffsetsAcceptEarliestLatestAndATimestampInMillisOrAsAnInstant() {
    assertEquals(
        new StartingOffsets.Earliest(),
        KafkaOptions.of(minimal("startingOffsets", "earliest")).startingOffsets());
    assertEquals(
        new StartingOffsets.Timestamp(1_765_101_600_000L),
        KafkaOptions.of(minimal("startingOffsets", "timestamp:1765101600000")).startingOffsets());
    assertEquals(
        new StartingOffsets.Timestamp(1_765_101_600_000L),
        KafkaOptions.of(minimal("startingOffsets", "timestamp:2025-12-07T10:00:00Z"))
            .startingOffsets());
  }

  @Test
  void anInvalidValueIsRefusedNamingTheOptionTheValueAndAValidExample() {
    Map<String, String> invalid =
        Map.of(
            "bootstrap.servers", "broker1",
            "subscribe", "orders,bad topic",
            "subscribePattern", "orders-(",
            "startingOffsets", "orders:zero=5",
            "isolation.level", "committed",
            "maxRatePerPartition", "-5",
            "failOnDataLoss", "yes",
            "planningTimeout", "soon",
            "maxRecordsPerTask", "0",
            "value.deserializer", "com.example.MissingDeserializer");
    invalid.forEach(
        (key, value) -> {
          Map<String, String> conf = minimal(key, value);
          if (key.equals("subscribePattern")) {
            conf.remove("subscribe");
          }
          String message = refused(conf).getMessage();
          assertTrue(message.contains(key + "=" + value), message);
          assertTrue(message.contains("for example"), message);
        });
  }

  @Test
  void aDeserializerMustBeADeserializerClass() {
    String message = refused(minimal("key.deserializer", "java.lang.String")).getMessage();

    assertTrue(
        message.contains("does not implement org.apache.kafka.common.serialization.Deserializer"),
        message);
  }

  @Test
  void exactlyOneOfSubscribeAndSubscribePatternIsGiven() {
    Map<String, String> both = minimal("subscribePattern", "orders-.*");
    Map<String, String> neither = minimal();
    neither.remove("subscribe");

    assertTrue(refused(both).getMessage().contains("are both given"));
    assertTrue(refused(neither).getMessage().contains("are both missing"));
    assertTrue(refused(neither).getMessage().contains("for example subscribe=orders,payments"));
  }

  @Test
  void missingBootstrapServersAreRefusedWithAnExample() {
    Map<String, String> conf = minimal();
    conf.remove("bootstrap.servers");

    assertTrue(refused(conf).getMessage().contains("bootstrap.servers=broker1:9092,broker2:9092"));
  }

  @Test
  void consumerSettingsThatWouldChangeWhatAReplayReadsAreRefused() {
    for (String key : List.of("group.id", "enable.auto.commit", "auto.offset.reset")) {
      String message = refused(minimal(key, "x")).getMessage();

      assertTrue(message.contains(key + "=x cannot be set"), message);
      assertTrue(message.contains("Remove it"), message);
    }
  }

  @Test
  void anUnknownKeyIsRefusedListingTheSourcesOptions() {
    String message = refused(minimal("failOnDataLos", "false")).getMessage();

    assertTrue(message.contains("failOnDataLos=false is neither a source option"), message);
    assertTrue(message.contains("failOnDataLoss"), message);
  }

  @Test
  void kafkaClientSettingsPassThroughToTheClientsThatKnowThem() {
    KafkaOptions options =
        KafkaOptions.of(
            minimal(
                "security.protocol", "PLAINTEXT",
                "fetch.max.bytes", "1048576",
                "value.deserializer", StringDeserializer.class.getName()));

    Map<String, Object> consumer = options.consumerProperties();
    Map<String, Object> admin = options.adminProperties();

    assertEquals("PLAINTEXT", consumer.get("security.protocol"));
    assertEquals("PLAINTEXT", admin.get("security.protocol"));
    assertEquals("1048576", consumer.get("fetch.max.bytes"));
    assertFalse(admin.containsKey("fetch.max.bytes"), "the admin client does not know it");
    assertEquals("broker1:9092,broker2:9093", consumer.get("bootstrap.servers"));
    assertEquals("none", consumer.get("auto.offset.reset"));
    assertEquals(false, consumer.get("enable.auto.commit"));
    assertFalse(consumer.containsKey("group.id"));
    assertEquals("read_committed", consumer.get("isolation.level"));
    assertEquals(ByteArrayDeserializer.class, consumer.get("key.deserializer"));
    assertEquals(StringDeserializer.class, consumer.get("value.deserializer"));
  }

  @Test
  void rangeConsumersWaitBrieflyForAFetchUnlessTheUserSetsTheWait() {
    KafkaOptions defaults = KafkaOptions.of(minimal());
    KafkaOptions own = KafkaOptions.of(minimal("fetch.max.wait.ms", "250"));

    assertEquals("10", defaults.consumerProperties().get("fetch.max.wait.ms"));
    assertEquals("250", own.consumerProperties().get("fetch.max.wait.ms"));
  }
}
