package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.streaming.ConfigurationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaSinkOptionsTest {

  private static Map<String, String> minimal(String... more) {
    Map<String, String> conf = new HashMap<>();
    conf.put("bootstrap.servers", "broker1:9092,broker2:9093");
    conf.put("outputName", "counts-out");
    for (int i = 0; i < more.length; i += 2) {
      conf.put(more[i], more[i + 1]);
    }
    return conf;
  }

  private static String refused(Map<String, String> conf) {
    return assertThrows(ConfigurationException.class, () -> KafkaSinkOptions.of(conf)).getMessage();
  }

  @Test
  void optionsNotGivenTakeTheirDefaults() {
    KafkaSinkOptions options = KafkaSinkOptions.of(minimal());

    assertEquals(List.of("broker1:9092", "broker2:9093"), options.bootstrapServers());
    assertEquals(DeliveryGuarantee.EXACTLY_ONCE, options.deliveryGuarantee());
    assertEquals(Optional.empty(), options.topic());
    assertEquals(Optional.of("counts-out"), options.outputName());
    Map<String, Object> producer = options.producerProperties("millrace-app-counts-out");
    assertEquals(
        ByteArraySerializer.class, producer.get(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG));
    assertEquals(true, producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
    assertEquals("all", producer.get(ProducerConfig.ACKS_CONFIG));
    assertEquals("millrace-app-counts-out", producer.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
  }

  @Test
  void givenOptionsAndProducerSettingsReachTheProducer() {
    KafkaSinkOptions options =
        KafkaSinkOptions.of(
            minimal(
                "topic", "word-counts",
                "deliveryGuarantee", "at-least-once",
                "value.serializer", StringSerializer.class.getName(),
                "compression.type", "zstd",
                "retry.backoff.ms", "50",
                "acks", "all",
                "enable.idempotence", "true"));

    assertEquals(Optional.of("word-counts"), options.topic());
    assertEquals(DeliveryGuarantee.AT_LEAST_ONCE, options.deliveryGuarantee());
    Map<String, Object> producer = options.producerProperties(null);
    assertEquals("zstd", producer.get("compression.type"));
    assertEquals("50", producer.get("retry.backoff.ms"));
    assertEquals(StringSerializer.class, producer.get("value.serializer"));
    assertFalse(producer.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
    assertFalse(options.adminProperties().containsKey("compression.type"));
  }

  @Test
  void aTransactionalIdIsRefusedBecauseTheOutputDerivesIt() {
    String message = refused(minimal("transactional.id", "mine"));

    assertTrue(message.contains("transactional.id=mine cannot be set"), message);
    assertTrue(message.contains("set outputName instead"), message);
  }

  @Test
  void turningIdempotenceOffOrWeakerAcksAreRefusedWithTheReason() {
    String idempotence = refused(minimal("enable.idempotence", "false"));
    String acks = refused(minimal("acks", "1"));

    assertTrue(idempotence.contains("enable.idempotence=false cannot be set"), idempotence);
    assertTrue(idempotence.contains("write a record twice"), idempotence);
    assertTrue(acks.contains("acks=1 cannot be set"), acks);
  }

  @Test
  void exactlyOnceNeedsAnOutputNameAndAtLeastOnceDoesNot() {
    Map<String, String> unnamed = minimal();
    unnamed.remove("outputName");

    assertTrue(refused(unnamed).contains("outputName is missing"));
    unnamed.put("deliveryGuarantee", "at-least-once");
    assertEquals(Optional.empty(), KafkaSinkOptions.of(unnamed).outputName());
  }

  @Test
  void invalidValuesAreRefusedNamingTheOptionAndAnExample() {
    assertTrue(refused(minimal("deliveryGuarantee", "twice")).contains("exactly-once"));
    assertTrue(refused(minimal("topic", "no spaces")).contains("not a Kafka topic name"));
    assertTrue(refused(minimal("key.serializer", "no.Such")).contains("not on the class path"));
    assertTrue(
        refused(minimal("value.serializer", String.class.getName()))
            .contains("does not implement"));
    assertTrue(refused(minimal("outputName", " ")).contains("the name is empty"));
    Map<String, String> noBrokers = minimal();
    noBrokers.remove("bootstrap.servers");
    assertTrue(refused(noBrokers).contains("bootstrap.servers is missing"));
  }

  @Test
  void anUnknownSettingIsRefusedListingTheOutputOptions() {
    String message = refused(minimal("topics", "a"));

    assertTrue(message.contains("topics=a is neither an output option"), message);
    assertTrue(message.contains("deliveryGuarantee"), message);
  }
}
