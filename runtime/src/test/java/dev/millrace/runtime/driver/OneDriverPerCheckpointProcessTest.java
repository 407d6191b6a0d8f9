package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.CheckpointLease;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.checkpoint.LeaseClaimant;
import dev.millrace.runtime.checkpoint.TestingDeletion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link OneDriverPerCheckpointScenarios} with the checkpoint in a local directory, and what only a
 * local directory lets a test watch file by file: a fenced driver writes nothing more, and a
 * directory deleted under a running driver stops it.
 */
@Tag("process")
class OneDriverPerCheckpointProcessTest extends OneDriverPerCheckpointScenarios {
  @Override
  String checkpointUri() {
    return work.resolve("checkpoint").toUri().toString();
  }

  /**
   * One-second batches, a generation after each: a batch's writes are over long before the next.
   */
  private Path slowSpec(WordCount app) {
    return spec(
        app,
        new TestingSpec("words", checkpointUri()).batchInterval("1s").checkpointInterval("1s"),
        "words-1s.yaml");
  }

  @Test
  void anAttemptTakenOverWritesNothingMoreToTheCheckpointAndTheNextAttemptGoesOnExactly()
      throws Exception {
    WordCount app = wordCount();
    Path spec = slowSpec(app);
    Path checkpoint = work.resolve("checkpoint");

    try (TestingDriverJvm old = start(spec, "attempt-1", 1, "uid-words")) {
      awaitRunning(old, "attempt-1");
      countExactly(old, app, 3);

      awaitQuietMomentBetweenBatches();
      Map<String, String> atTakeover;
      // This test plays attempt 2, on another node: it takes the lease and writes nothing.
      try (CheckpointStore attempt2 =
          CheckpointStore.held(
              checkpointUri(),
              new Configuration(),
              3,
              new CheckpointLease.Request(
                  new LeaseClaimant("node-2", "node-2/boot/pid:[1]", 2, 0, 2, "uid-words"),
                  Duration.ofSeconds(30),
                  Clock.systemUTC(),
                  e -> {}))) {
        atTakeover = tree(checkpoint);
        app.files().write(200);

        assertEquals(75, old.awaitExit(TIMEOUT_MS), old.log());
        assertTrue(old.log().contains("lost the lease"), old.log());
        assertEquals(atTakeover, tree(checkpoint), "the fenced driver wrote to the checkpoint");
      }
      assertTrue(atTakeover.keySet().stream().anyMatch(f -> f.endsWith(".plan")), "" + atTakeover);
    }

    try (TestingDriverJvm attempt3 = start(spec, "attempt-3", 3, "uid-words")) {
      awaitRunning(attempt3, "attempt-3");
      countExactly(attempt3, app, 2);
      assertEquals(0, attempt3.terminate(TIMEOUT_MS), attempt3.log());
    }
  }

  @Test
  void aCheckpointDeletedUnderARunningDriverStopsItWith74AndTheNextStartBeginsAfresh()
      throws Exception {
    WordCount app = wordCount();
    Path spec = slowSpec(app);
    Path checkpoint = work.resolve("checkpoint");

    try (TestingDriverJvm driver = start(spec, "attempt-1", 1, "run-a")) {
      awaitRunning(driver, "attempt-1");
      countExactly(driver, app, 2);

      awaitQuietMomentBetweenBatches();
      TestingDeletion.deleteTree(checkpoint);

      assertEquals(74, driver.awaitExit(TIMEOUT_MS), driver.log());
      String log = driver.log();
      assertTrue(log.contains("vanished while the driver was running"), log);
      assertTrue(log.contains("restore the directory from a backup"), log);
      assertTrue(log.contains("application 'words' stopped: checkpoint directory"), log);
      assertFalse(Files.exists(checkpoint), "the driver recreated the checkpoint directory");
    }

    try (TestingDriverJvm next = start(spec, "attempt-2", 2, "run-a")) {
      awaitRunning(next, "attempt-2");
      String log = next.log();
      assertTrue(log.contains("the directory held no checkpoint, so it starts empty"), log);
      assertFalse(log.contains("cannot resume"), log);
      countExactly(next, app, 2);
      assertEquals(0, next.terminate(TIMEOUT_MS), next.log());
    }
  }

  @Test
  void aStatelessStartOfAnotherDriverMovesNothingFromUnderTheDriverThatHoldsTheCheckpoint()
      throws Exception {
    WordCount app = wordCount();
    Path spec = spec(app, checkpointUri());

    try (TestingDriverJvm first = start(spec, "first", 1, "run-a")) {
      awaitRunning(first, "first");

      try (TestingDriverJvm stateless =
          start(spec, "stateless", 1, "run-b", "--fresh-checkpoint")) {
        assertEquals(75, stateless.awaitExit(TIMEOUT_MS), stateless.log());
        assertTrue(stateless.log().contains("is in use by another driver"), stateless.log());
      }
      try (Stream<Path> siblings = Files.list(work)) {
        assertEquals(
            List.of(),
            siblings.filter(p -> p.getFileName().toString().contains("set-aside")).toList());
      }
      countExactly(first, app, 2);
      assertEquals(0, first.terminate(TIMEOUT_MS), first.log());
    }
  }

  /**
   * Waits until the middle of a one-second batch interval: batches start on whole seconds of the
   * clock this test shares with the driver and write their plan, output, done mark and generation
   * within some tens of milliseconds.
   */
  private static void awaitQuietMomentBetweenBatches() throws InterruptedException {
    long now = System.currentTimeMillis();
    long intoSecond = now % 1000;
    Thread.sleep(intoSecond < 500 ? 500 - intoSecond : 1500 - intoSecond);
  }

  /** Every file under {@code root} but the lease's, with its size and modification time. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        String name = root.relativize(p).toString();
        if (!name.startsWith("lease")) {
          files.put(name, Files.size(p) + " bytes, modified " + Files.getLastModifiedTime(p));
        }
      }
    }
    return files;
  }
}
