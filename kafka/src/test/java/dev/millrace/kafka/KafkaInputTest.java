package dev.millrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.history.BatchHistory;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.source.InputMissingException;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.SourceHealth;
import dev.millrace.streaming.StreamingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka through the public API: {@link KafkaInput#directStream} on a real broker, batch by batch on
 * a manual clock, across a driver crash, with the processed offsets committed for lag monitoring.
 */
class KafkaInputTest {
  @RegisterExtension static final TestingKafka KAFKA = new TestingKafka();

  @TempDir Path dir;

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
  void eachBatchReadsTheRecordsProducedBeforeItOnceAndCommitsItsOffsetsForLag() throws Exception {
    KAFKA.createTopic("words", 3);
    BatchHistory history = new BatchHistory(10, 1, List.of());
    Map<Long, List<String>> batches = new TreeMap<>();
    try (TestingRun run =
        run(
            null,
            0,
            options("words", "commitGroupId", "words-lag", "maxRecordsPerTask", "2"),
            batches,
            -1)) {
      run.ssc.addStreamingListener(history);
      KAFKA.produce("words", 0, "a", "b", "c");
      KAFKA.produce("words", 1, "d");
      run.runUntil(1000);
      KAFKA.produce("words", 2, "e", "f");
      run.runUntil(2000);
      run.runUntil(3000);
    }

    assertEquals(List.of("a", "b", "c", "d"), sorted(batches.get(1000L)));
    assertEquals(List.of("e", "f"), sorted(batches.get(2000L)));
    assertEquals(List.of(), batches.get(3000L));
    Map<TopicPartition, OffsetAndMetadata> committed =
        KAFKA.admin().listConsumerGroupOffsets("words-lag").partitionsToOffsetAndMetadata().get();
    assertEquals(3, committed.get(new TopicPartition("words", 0)).offset());
    assertEquals(1, committed.get(new TopicPartition("words", 1)).offset());
    assertEquals(2, committed.get(new TopicPartition("words", 2)).offset());
    // The batch page shows the offset ranges each batch read, at most 2 records per task.
    List<String> ranges = history.batch(1000).orElseThrow().inputParts().get(0).parts();
    assertTrue(
        ranges.containsAll(List.of("words-0 [0, 2)", "words-0 [2, 3)", "words-1 [0, 1)")),
        ranges.toString());
  }

  /**
   * Spark's Kafka stream commits a batch's offsets on a later batch, so the last batches before a
   * stop are never committed. Here the batch still running when a graceful stop begins (and so
   * after the sources are stopped) commits its offsets when it completes.
   */
  @Test
  void theBatchRunningWhenAGracefulStopBeginsCommitsItsOffsetsForLag() throws Exception {
    KAFKA.createTopic("last", 2);
    KAFKA.produce("last", 0, "a", "b", "c");
    KAFKA.produce("last", 1, "d");
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> read = new CopyOnWriteArrayList<>();
    try (TestingRun run =
        new TestingRun(
            "kafka-last",
            null,
            0,
            ssc ->
                KafkaInput.<String, String>directStream(
                        ssc, options("last", "commitGroupId", "last-lag"))
                    .map(KafkaRecord::value)
                    .foreachBatch(
                        b -> {
                          read.addAll(b.collect());
                          running.countDown();
                          await(release);
                        }))) {
      run.clock.setTime(1000);
      assertTrue(running.await(30, TimeUnit.SECONDS), "batch 1000 did not start");
      Thread stopper = new Thread(() -> run.ssc.stop(true), "graceful-stop");
      stopper.start();
      // The stop stops the sources first, then waits for the running batch.
      stopper.join(500);
      release.countDown();
      stopper.join(30_000);
      assertFalse(stopper.isAlive(), "the graceful stop did not end");
    }

    assertEquals(List.of("a", "b", "c", "d"), sorted(read));
    Map<TopicPartition, OffsetAndMetadata> committed =
        KAFKA.admin().listConsumerGroupOffsets("last-lag").partitionsToOffsetAndMetadata().get();
    assertEquals(3, committed.get(new TopicPartition("last", 0)).offset());
    assertEquals(1, committed.get(new TopicPartition("last", 1)).offset());
  }

  @Test
  void aRecordTheDeserializerCannotReadFailsTheBatchNamingItsOffsetAndWhatToDo() throws Exception {
    KAFKA.createTopic("poison", 1);
    KAFKA.produce("poison", 0, "abcd", "bad"); // 4 bytes are an int, 3 are not
    StreamingException failure;
    try (TestingRun run =
        run(
            null,
            0,
            options("poison", "value.deserializer", IntegerDeserializer.class.getName()),
            new TreeMap<>(),
            -1)) {
      failure = run.failureAt(1000);
    }

    KafkaRecordUnreadableException unreadable =
        assertInstanceOf(KafkaRecordUnreadableException.class, rootKafkaCause(failure));
    String message = unreadable.getMessage();
    assertTrue(message.contains("offset 1 of poison-0"), message);
    assertTrue(
        message.contains("value.deserializer=" + IntegerDeserializer.class.getName()), message);
    assertTrue(message.contains("ByteArrayDeserializer"), "says what to do: " + message);
    assertEquals(
        Optional.empty(),
        ExitCode.restartCannotHelp(failure),
        "a deserializer may fail for a while (a schema registry down): restarts stay bounded by"
            + " the restart policy");
  }

  private static Throwable rootKafkaCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof KafkaRecordUnreadableException) {
        return t;
      }
    }
    return failure;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void afterACrashTheRecoveryReadsTheLoggedRangesAgainAndEveryRecordOnce() throws Exception {
    KAFKA.createTopic("events", 2);
    String checkpoint = dir.resolve("checkpoint").toString();
    Map<Long, List<String>> outputs = new TreeMap<>();
    int produced = 0;
    try (TestingRun first = run(checkpoint, 0, options("events"), outputs, 3000)) {
      for (long t = 1000; t <= 2000; t += 1000) {
        for (int i = 0; i < 5; i++) {
          KAFKA.produce("events", i % 2, "e" + produced++);
        }
        first.runUntil(t);
      }
      for (int i = 0; i < 5; i++) {
        KAFKA.produce("events", i % 2, "e" + produced++);
      }
      first.failureAt(3000);
    }
    assertEquals(10, flatten(outputs).size(), "batches 1 and 2 before the crash");

    for (int i = 0; i < 5; i++) { // produced while the driver is down
      KAFKA.produce("events", i % 2, "e" + produced++);
    }
    try (TestingRun second = run(checkpoint, 4000, options("events"), outputs, -1)) {
      second.runUntil(4000);
      for (int i = 0; i < 5; i++) {
        KAFKA.produce("events", i % 2, "e" + produced++);
      }
      second.runUntil(5000);
    }

    assertEquals(5, outputs.get(3000L).size(), "the crashed batch re-reads its logged ranges");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < produced; i++) {
      expected.add("e" + i);
    }
    assertEquals(sorted(expected), sorted(flatten(outputs)), "every record exactly once");
  }

  @Test
  void offsetsDeletedWhileTheAppIsDownStopItAsInputMissingOrAreSkippedWhenAllowed()
      throws Exception {
    KAFKA.createTopic("retained", 1);
    String checkpoint = dir.resolve("checkpoint").toString();
    Map<Long, List<String>> outputs = new TreeMap<>();
    KAFKA.produce("retained", 0, "r0", "r1", "r2");
    try (TestingRun first = run(checkpoint, 0, options("retained"), outputs, -1)) {
      first.runUntil(1000);
    }
    KAFKA.produce("retained", 0, "r3", "r4", "r5", "r6", "r7");
    KAFKA.deleteRecordsBefore("retained", 0, 6); // r3 to r5 go before anyone read them

    StreamingException failure;
    try (TestingRun strict = run(checkpoint, 2000, options("retained"), outputs, -1)) {
      failure = strict.failureAt(2000);
    }
    assertEquals(
        Optional.of(ExitCode.INPUT_MISSING),
        ExitCode.restartCannotHelp(failure),
        "a restart would meet the same gap: stop, do not restart");
    assertTrue(
        failure.getMessage().contains("failOnDataLoss=false"),
        "the message says how to go on: " + failure.getMessage());

    KafkaSource<String, String> skipping = source(options("retained", "failOnDataLoss", "false"));
    try (TestingRun lenient = run(checkpoint, 3000, skipping, outputs)) {
      lenient.runUntil(3000);
    }
    Map<String, String> figures = skipping.health().figures();
    assertEquals("3", figures.get("skippedOffsets"), "the status counts what was skipped");
    assertEquals("retained-0 [3, 6)", figures.get("lastSkipped"));
    assertEquals(List.of("r0", "r1", "r2"), outputs.get(1000L));
    assertEquals(
        List.of("r0", "r1", "r2", "r6", "r7"),
        flatten(outputs),
        "the batches missed while down skip the deleted offsets and read the rest once");
  }

  @Test
  void loggedOffsetsDeletedWhileTheAppIsDownStopTheRecoveryBeforeItRunsAnythingOrAreSkipped()
      throws Exception {
    KAFKA.createTopic("replayed", 1);
    String checkpoint = dir.resolve("checkpoint").toString();
    Map<Long, List<String>> outputs = new TreeMap<>();
    KAFKA.produce("replayed", 0, "p0", "p1", "p2");
    try (TestingRun first = run(checkpoint, 0, options("replayed"), outputs, 1000)) {
      first.failureAt(1000); // batch 1000 logged [0, 3) and died before its output
    }
    KAFKA.produce("replayed", 0, "p3", "p4");
    KAFKA.deleteRecordsBefore("replayed", 0, 2); // p0 and p1 go before the replay reads them

    InputMissingException missing =
        assertThrows(
            InputMissingException.class,
            () -> run(checkpoint, 1000, options("replayed"), outputs, -1).close());

    assertEquals(Optional.of(ExitCode.INPUT_MISSING), ExitCode.restartCannotHelp(missing));
    String message = missing.getMessage();
    assertTrue(
        message.contains("offsets 0 to 1 of topic replayed partition 0 were deleted"), message);
    assertTrue(message.contains("failOnDataLoss=false"), message);
    assertTrue(message.contains("its outputs had not committed"), message);
    assertTrue(message.contains("00000000000000001000.plan"), message);
    assertEquals(Map.of(), outputs, "nothing ran");

    try (TestingRun lenient =
        run(checkpoint, 2000, options("replayed", "failOnDataLoss", "false"), outputs, -1)) {
      lenient.runUntil(2000);
    }
    assertEquals(List.of("p2"), outputs.get(1000L), "the replay skips what is gone");
    assertEquals(List.of("p3", "p4"), outputs.get(2000L));
  }

  @Test
  void theStatusShowsTheLagOfAnAppHeldBackByMaxRatePerPartition() throws Exception {
    KAFKA.createTopic("lagging", 2);
    for (int i = 0; i < 10; i++) {
      KAFKA.produce("lagging", 0, "a" + i);
      KAFKA.produce("lagging", 1, "b" + i);
    }
    KAFKA.produce("lagging", 1, "b10");
    KafkaSource<String, String> held = source(options("lagging", "maxRatePerPartition", "3"));
    Map<Long, List<String>> outputs = new TreeMap<>();
    SourceHealth before;
    SourceHealth afterOne;
    SourceHealth afterTwo;
    try (TestingRun run = run(null, 0, held, outputs)) {
      before = held.health();
      run.runUntil(1000);
      afterOne = held.health();
      run.runUntil(2000);
      afterTwo = held.health();
    }

    assertEquals(KAFKA.bootstrapServers() + " subscribe=lagging", before.description());
    assertEquals(Map.of(), before.figures(), "no lag is known before the first plan");
    assertEquals(6L, afterOne.recordsPlanned(), "3 a second from each partition");
    assertEquals("15", afterOne.figures().get("lag"));
    assertEquals("lagging-1 8, lagging-0 7", afterOne.figures().get("largestLags"));
    assertEquals(Map.of(), before.lag());
    assertEquals(Map.of("lagging-0", 7L, "lagging-1", 8L), afterOne.lag(), "for the metrics");
    assertEquals(Map.of("lagging-0", 4L, "lagging-1", 5L), afterTwo.lag());
    assertEquals(12L, afterTwo.recordsPlanned());
    assertEquals("9", afterTwo.figures().get("lag"));
    assertEquals(List.of("lag", "largestLags"), List.copyOf(afterTwo.figures().keySet()));
    assertNull(afterTwo.outageSince());
    assertEquals(List.of("a0", "a1", "a2", "b0", "b1", "b2"), sorted(outputs.get(1000L)));
  }

  private static KafkaSource<String, String> source(Map<String, String> options) {
    return new KafkaSource<>(KafkaOptions.of(options), Durations.seconds(1));
  }

  /** A run collecting each batch's values {@code source} read into {@code outputs}. */
  private static TestingRun run(
      String checkpoint,
      long now,
      KafkaSource<String, String> source,
      Map<Long, List<String>> outputs) {
    return new TestingRun(
        "kafka-input",
        checkpoint,
        now,
        ssc ->
            KafkaInput.directStream(ssc, source)
                .map(KafkaRecord::value)
                .foreachBatch(
                    b -> {
                      List<String> values = b.collect();
                      synchronized (outputs) {
                        outputs.put(b.time(), values);
                      }
                    }));
  }

  /**
   * A run collecting each batch's values of the topics {@code options} read into {@code outputs};
   * the batch {@code failAt} (-1 for none) fails instead, as a driver dying in it would.
   */
  private static TestingRun run(
      String checkpoint,
      long now,
      Map<String, String> options,
      Map<Long, List<String>> outputs,
      long failAt) {
    return new TestingRun(
        "kafka-input",
        checkpoint,
        now,
        ssc ->
            KafkaInput.<String, String>directStream(ssc, options)
                .map(KafkaRecord::value)
                .foreachBatch(
                    b -> {
                      if (b.time() == failAt) {
                        throw new IllegalStateException("driver dies during batch " + failAt);
                      }
                      List<String> values = b.collect();
                      synchronized (outputs) {
                        outputs.put(b.time(), values);
                      }
                    }));
  }

  private static List<String> sorted(List<String> values) {
    List<String> copy = new ArrayList<>(values);
    copy.sort(null);
    return copy;
  }

  private static List<String> flatten(Map<Long, List<String>> outputs) {
    List<String> all = new ArrayList<>();
    synchronized (outputs) {
      outputs.values().forEach(all::addAll);
    }
    return all;
  }
}
