package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProcessedOffsetsCommitterTest {
  @RegisterExtension static final TestingKafka KAFKA = new TestingKafka();

  private static KafkaOptions options(String... settings) {
    Map<String, String> conf = new HashMap<>();
    conf.put("bootstrap.servers", KAFKA.bootstrapServers());
    conf.put("subscribe", "lag");
    for (int i = 0; i < settings.length; i += 2) {
      conf.put(settings[i], settings[i + 1]);
    }
    return KafkaOptions.of(conf);
  }

  private static Map<TopicPartition, OffsetAndMetadata> groupOffsets(String group)
      throws Exception {
    return KAFKA.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
  }

  @Test
  void aDoneBatchsUntilsAreCommittedToTheNamedGroupForLagTools() throws Exception {
    KAFKA.createTopic("lag", 2);
    KAFKA.produce("lag", 0, "a", "b", "c");
    KAFKA.produce("lag", 1, "d");
    TopicPartition first = new TopicPartition("lag", 0);
    TopicPartition second = new TopicPartition("lag", 1);
    try (ProcessedOffsetsCommitter committer =
        new ProcessedOffsetsCommitter(options("commitGroupId", "lag-monitor"))) {
      assertTrue(committer.commit(Map.of(first, 2L, second, 1L)));
      assertEquals(
          Map.of(first, new OffsetAndMetadata(2), second, new OffsetAndMetadata(1)),
          groupOffsets("lag-monitor"));

      assertTrue(committer.commit(Map.of(first, 3L, second, 1L)));
      assertEquals(
          Map.of(first, new OffsetAndMetadata(3), second, new OffsetAndMetadata(1)),
          groupOffsets("lag-monitor"));
    }
  }
}
