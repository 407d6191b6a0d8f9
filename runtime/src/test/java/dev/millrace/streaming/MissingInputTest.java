package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.source.InputMissingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input files deleted while a recovery still needs them, through the public API: the recovery stops
 * at once naming the file, its batch and the rule (the launcher exits 66 and is not restarted),
 * instead of failing in the replay on every restart.
 */
class MissingInputTest {
  @TempDir Path dir;

  private Path in;
  private final List<String> out = new CopyOnWriteArrayList<>();

  private String checkpoint() {
    return dir.resolve("checkpoint").toString();
  }

  /** Batches 1 and 2 complete with files 1 and 2; the driver dies in batch 3, which took file 3. */
  private void crashInBatchThree(boolean stateful) throws Exception {
    in = Files.createDirectories(dir.resolve("in"));
    try (TestingRun first = lineCounts(0, 3000, stateful)) {
      first.ssc.start();
      for (int k = 1; k <= 2; k++) {
        writeFile(k);
        first.runUntil(k * 1000L);
      }
      writeFile(3);
      first.crashAt(3000);
    }
    out.clear();
  }

  @Test
  void aFileOfABatchToRunAgainThatIsGoneStopsTheRecoveryNamingItsBatchAndTheRule()
      throws Exception {
    crashInBatchThree(false);
    Files.delete(in.resolve("file-3"));

    InputMissingException missing;
    try (TestingRun second = lineCounts(3000, -1, false)) {
      missing = assertThrows(InputMissingException.class, second.ssc::start);
    }

    assertEquals(ExitCode.INPUT_MISSING, ExitCode.restartCannotHelp(missing).orElseThrow());
    String message = missing.getMessage();
    assertTrue(message.contains("input file " + in.resolve("file-3")), message);
    assertTrue(message.contains("batch 3000 took it"), message);
    assertTrue(message.contains("until a checkpoint covers its batch"), message);
    assertTrue(message.contains("its outputs had not committed"), message);
    assertTrue(
        message.contains(dir.resolve("checkpoint/batches/00000000000000003000.plan").toString()),
        message);

    // As advised: batch 3 is planned again from what the directory holds now.
    Files.delete(dir.resolve("checkpoint/batches/00000000000000003000.plan"));
    try (TestingRun third = lineCounts(3000, -1, false)) {
      third.runUntil(3000);
      writeFile(4);
      third.runUntil(4000);
    }
    assertEquals(List.of("3000 lines 0", "4000 lines 4"), out);
  }

  @Test
  void aFileOfADoneBatchThatOnlyStatelessOutputsReadIsNotNeeded() throws Exception {
    crashInBatchThree(false);
    Files.delete(in.resolve("file-2"));

    try (TestingRun second = lineCounts(3000, -1, false)) {
      second.runUntil(3000);
    }

    assertEquals(List.of("3000 lines 3"), out);
  }

  @Test
  void aFileOfADoneBatchThatStateIsRebuiltFromIsNeeded() throws Exception {
    crashInBatchThree(true);
    Files.delete(in.resolve("file-2"));

    try (TestingRun second = lineCounts(3000, -1, true)) {
      InputMissingException missing = assertThrows(InputMissingException.class, second.ssc::start);
      assertTrue(
          missing.getMessage().contains("windows or updateStateByKey read it again"),
          missing.getMessage());
    }
  }

  /**
   * Lines per batch, and with {@code stateful} a running total; the driver dies in {@code failAt}.
   */
  private TestingRun lineCounts(long now, long failAt, boolean stateful) {
    TestingRun run =
        new TestingRun(checkpoint(), now, b -> b.conf("millrace.checkpoint.interval", "100s"));
    DStream<String> lines = run.ssc.textFileStream(in.toString());
    lines
        .count()
        .foreachBatch(
            b -> {
              if (b.time() == failAt) {
                throw new IllegalStateException("driver dies during batch " + failAt);
              }
              out.add(b.time() + " lines " + b.collect().get(0));
            });
    if (stateful) {
      lines
          .mapToPair(line -> Pair.of("lines", 1))
          .updateStateByKey(
              (List<Integer> values, Optional<Integer> total) ->
                  Optional.of(total.orElse(0) + values.size()))
          .foreachBatch(b -> out.add(b.time() + " total " + b.collect()));
    }
    return run;
  }

  /** File {@code k}: k lines, last modified half a second before batch k. */
  private void writeFile(int k) throws IOException {
    Path staging = in.resolveSibling("staging-" + k);
    Files.write(
        staging, IntStream.range(0, k).mapToObj(i -> "line " + i).toList(), StandardCharsets.UTF_8);
    Files.setLastModifiedTime(staging, FileTime.fromMillis(k * 1000L - 500));
    Files.move(staging, in.resolve("file-" + k));
  }
}
