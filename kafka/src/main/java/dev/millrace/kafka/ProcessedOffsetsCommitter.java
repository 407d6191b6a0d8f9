package dev.millrace.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the offsets up to which batches are done to the consumer group {@code commitGroupId}
 * names, so that {@code kafka-consumer-groups.sh} and other lag monitors show how far behind the
 * application is. For monitoring only: recovery takes positions from the batch log and never reads
 * these, so a commit that fails is logged and the batch stands. The group has no members (ranges
 * are read with assign and seek), which is what lets an admin client set its offsets. Used by one
 * thread on the driver; without {@code commitGroupId} it does nothing and opens no client.
 */
public final class ProcessedOffsetsCommitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessedOffsetsCommitter.class);
  private static final long COMMIT_TIMEOUT_MS = 10_000;

  private final Optional<String> groupId;
  private final Admin admin;

  /** A committer to {@code options}' commitGroupId, if it names one. */
  public ProcessedOffsetsCommitter(KafkaOptions options) {
    this.groupId = options.commitGroupId();
    this.admin = groupId.isPresent() ? Admin.create(options.adminProperties()) : null;
  }

  /**
   * Commits {@code untils} (a done batch's {@link OffsetRangePlan#untils}); true when the group
   * holds them, or when there is no group to commit to.
   */
  public boolean commit(Map<TopicPartition, Long> untils) {
    if (groupId.isEmpty() || untils.isEmpty()) {
      return true;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    untils.forEach((partition, until) -> offsets.put(partition, new OffsetAndMetadata(until)));
    try {
      admin
          .alterConsumerGroupOffsets(
              groupId.get(),
              offsets,
              new AlterConsumerGroupOffsetsOptions().timeoutMs((int) COMMIT_TIMEOUT_MS))
          .all()
          .get(COMMIT_TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      LOG.warn(
          "Could not commit the processed offsets to consumer group {} for lag monitoring: {}."
              + " Processing goes on (recovery never reads them); check that no consumer is a"
              + " member of that group and that the application may alter its offsets",
          groupId.get(),
          cause.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(5));
    }
  }
}
