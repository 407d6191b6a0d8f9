package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.checkpoint.CapturedStderr;
import dev.millrace.runtime.checkpoint.CheckpointDamagedException;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.source.SocketTextSource;
import dev.millrace.runtime.stream.InputNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch log with a damaged or deleted plan, through the public API: a plan the recovery does not
 * need costs nothing, one it needs stops the application with the damaged-checkpoint error naming
 * the file and what deleting it skips, and after the deletion the application recovers, skipping
 * exactly that batch's input.
 */
class DamagedBatchLogTest {
  @TempDir Path dir;

  private String checkpoint() {
    return dir.resolve("checkpoint").toString();
  }

  private Path plan(long time) {
    return dir.resolve("checkpoint/batches").resolve(String.format("%020d.plan", time));
  }

  @Test
  void aDamagedPlanOlderThanTheRestoredGenerationIsNotNeeded() throws Exception {
    // Generations at 0 and 4000; the log keeps every plan after the oldest generation kept.
    List<String> out =
        RecoveryTest.crashInBatchSevenThenRecover(
            checkpoint(), () -> Files.write(plan(2000), new byte[] {7, 7, 7}));

    assertEquals(RecoveryTest.failureFree(10, dir.resolve("clean").toString()), out);
  }

  @Test
  void aDamagedPlanTheRecoveryNeedsStopsItAsADamagedCheckpointNamingTheFile() throws Exception {
    // Batches 5 and 6 completed after the generation at 4000, and 7 was planned when it died.
    CheckpointDamagedException damaged =
        assertThrows(
            CheckpointDamagedException.class,
            () ->
                RecoveryTest.crashInBatchSevenThenRecover(
                    checkpoint(), () -> flipALastByte(plan(6000))));

    assertEquals(ExitCode.CHECKPOINT_DAMAGED, ExitCode.restartCannotHelp(damaged).orElseThrow());
    String message = damaged.getMessage();
    assertTrue(message.contains(plan(6000).toString()), message);
    assertTrue(message.contains("CRC32"), message);
    assertTrue(message.contains("delete it to skip that batch"), message);
    assertFalse(message.contains("stateless"), message);
  }

  private static void flipALastByte(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
  }

  // ------------------------------------------------------------ deleting a damaged plan

  @Test
  void deletingADamagedPlanAsAdvisedSkipsExactlyTheFilesOfThatBatchAndStateAndWindowsGoOn()
      throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<String> out = new CopyOnWriteArrayList<>();
    try (TestingRun first = fileCounts(in, 0, out, 5000)) {
      first.ssc.start();
      for (int k = 1; k <= 4; k++) {
        writeFile(in, k);
        first.runUntil(k * 1000L);
      }
      writeFile(in, 5);
      first.crashAt(5000);
    }
    flipALastByte(plan(3000));

    CheckpointDamagedException damaged;
    try (TestingRun second = fileCounts(in, 5000, out, -1)) {
      damaged = assertThrows(CheckpointDamagedException.class, second.ssc::start);
    }
    String advice = damaged.getMessage();
    assertTrue(advice.contains(plan(3000).toString()), advice);
    assertTrue(advice.contains("delete it to skip that batch"), advice);
    assertTrue(advice.contains("1 file of 15 bytes: " + in.resolve("file-3")), advice);
    assertFalse(advice.contains("file-4"), advice);

    Files.delete(plan(3000));
    out.clear();
    String log;
    try (CapturedStderr stderr = new CapturedStderr();
        TestingRun third = fileCounts(in, 5000, out, -1)) {
      third.runUntil(5000);
      writeFile(in, 6);
      third.runUntil(6000);
      log = stderr.text();
    }

    // As if batch 3 had read nothing: no f3 in the totals, and the windows of batches 3 to 5
    // and 4 to 6 count 0+4+5 and 4+5+6 lines.
    assertEquals(
        List.of(
            "5000 totals {f1=1, f2=2, f4=4, f5=5}",
            "5000 window 9",
            "6000 totals {f1=1, f2=2, f4=4, f5=5, f6=6}",
            "6000 window 15"),
        out);
    String warning =
        log.lines()
            .filter(l -> l.contains("WARN") && l.contains("batch 3000"))
            .findFirst()
            .orElse("");
    assertTrue(warning.contains("1 file of 15 bytes: " + in.resolve("file-3")), log);
    assertTrue(warning.contains("It runs as if its input had been empty"), warning);
  }

  @Test
  void aDeletedNewestPlanIsPlannedAgainAndRunsItsOutputsThoughItsBatchWasDone() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<String> out = new CopyOnWriteArrayList<>();
    try (TestingRun first = fileCounts(in, 0, out, -1)) {
      first.ssc.start();
      for (int k = 1; k <= 3; k++) {
        writeFile(in, k);
        first.runUntil(k * 1000L);
      }
    }
    Files.delete(plan(3000));
    // Batch 3 is planned again from the directory, and the driver dies in it.
    try (TestingRun second = fileCounts(in, 3000, out, 3000)) {
      second.ssc.start();
      second.crashAt(3000);
    }
    out.clear();

    try (TestingRun third = fileCounts(in, 3000, out, -1)) {
      third.runUntil(3000);
    }

    assertEquals(List.of("3000 totals {f1=1, f2=2, f3=3}", "3000 window 6"), out);
  }

  /**
   * Running line counts per file ({@code updateStateByKey}) and the lines of the last three batches
   * ({@code window}), recorded as text; the driver dies in batch {@code failAt}.
   */
  private TestingRun fileCounts(Path in, long now, List<String> out, long failAt) {
    TestingRun run =
        new TestingRun(checkpoint(), now, b -> b.conf("millrace.checkpoint.interval", "100s"));
    DStream<String> lines = run.ssc.textFileStream(in.toString());
    runningTotals(lines, " ", out, failAt);
    lines
        .window(Durations.seconds(3), Durations.seconds(1))
        .count()
        .foreachBatch(b -> out.add(b.time() + " window " + b.collect().get(0)));
    return run;
  }

  /**
   * Records {@code T totals {key=lines}}: running line counts by the part of each line before
   * {@code separator}; the driver dies in batch {@code failAt}.
   */
  private static void runningTotals(
      DStream<String> lines, String separator, List<String> out, long failAt) {
    lines
        .mapToPair(line -> Pair.of(line.split(separator)[0], 1))
        .updateStateByKey(
            (List<Integer> values, Optional<Integer> total) ->
                Optional.of(total.orElse(0) + values.size()))
        .foreachBatch(
            b -> {
              if (b.time() == failAt) {
                throw new IllegalStateException("driver dies during batch " + failAt);
              }
              out.add(b.time() + " totals " + new TreeMap<>(toMap(b.collect())));
            });
  }

  private static Map<String, Integer> toMap(List<Pair<String, Integer>> pairs) {
    Map<String, Integer> map = new TreeMap<>();
    pairs.forEach(p -> map.put(p.key(), p.value()));
    return map;
  }

  /** File {@code k}: k lines {@code fk i}, last modified half a second before batch k. */
  private static void writeFile(Path in, int k) throws IOException {
    Path staging = in.resolveSibling("staging-" + k);
    Files.write(
        staging,
        IntStream.range(0, k).mapToObj(i -> "f" + k + " " + i).toList(),
        StandardCharsets.UTF_8);
    Files.setLastModifiedTime(staging, FileTime.fromMillis(k * 1000L - 500));
    Files.move(staging, in.resolve("file-" + k));
  }

  @Test
  void aStatelessGraphDoesNotRunABatchWhosePlanWasDeletedNorReadsItsFilesAgain() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<String> out = new CopyOnWriteArrayList<>();
    try (TestingRun first = lineCounts(in, 0, out, 5000)) {
      first.ssc.start();
      for (int k = 1; k <= 4; k++) {
        writeFile(in, k);
        first.runUntil(k * 1000L);
      }
      writeFile(in, 5);
      first.crashAt(5000);
    }
    Files.delete(plan(3000));
    out.clear();

    String log;
    try (CapturedStderr stderr = new CapturedStderr();
        TestingRun second = lineCounts(in, 5000, out, -1)) {
      second.runUntil(5000);
      writeFile(in, 6);
      second.runUntil(6000);
      log = stderr.text();
    }

    assertEquals(List.of("5000 lines 5", "6000 lines 6"), out);
    String warning =
        log.lines()
            .filter(l -> l.contains("WARN") && l.contains("batch 3000"))
            .findFirst()
            .orElse("");
    assertTrue(warning.contains("It is not run again"), log);
    assertTrue(warning.contains("1 file of 15 bytes: " + in.resolve("file-3")), warning);
  }

  private TestingRun lineCounts(Path in, long now, List<String> out, long failAt) {
    TestingRun run =
        new TestingRun(checkpoint(), now, b -> b.conf("millrace.checkpoint.interval", "100s"));
    run.ssc
        .textFileStream(in.toString())
        .count()
        .foreachBatch(
            b -> {
              if (b.time() == failAt) {
                throw new IllegalStateException("driver dies during batch " + failAt);
              }
              out.add(b.time() + " lines " + b.collect().get(0));
            });
    return run;
  }

  @Test
  void deletingADamagedPlanOfASocketStreamSkipsExactlyTheLinesOfThatBatch() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      try (TestingRun first = socketCounts(port, 0, out, 4000)) {
        first.ssc.start();
        try (Socket connection = server.accept()) {
          for (int k = 1; k <= 3; k++) {
            sendRound(connection, first, k);
            first.runUntil(k * 1000L);
          }
          sendRound(connection, first, 4);
          first.crashAt(4000);
        }
      }
      flipALastByte(plan(2000));

      CheckpointDamagedException damaged;
      try (TestingRun second = socketCounts(port, 4000, out, -1)) {
        damaged = assertThrows(CheckpointDamagedException.class, second.ssc::start);
      }
      assertTrue(
          damaged.getMessage().contains("delete it to skip that batch"), damaged.getMessage());
      assertTrue(damaged.getMessage().contains("10 lines (records 10 to 19"), damaged.getMessage());

      Files.delete(plan(2000));
      out.clear();
      String log;
      try (CapturedStderr stderr = new CapturedStderr();
          TestingRun third = socketCounts(port, 4000, out, -1)) {
        third.ssc.start();
        try (Socket connection = server.accept()) {
          third.runUntil(4000);
          sendRound(connection, third, 5);
          third.runUntil(5000);
        }
        log = stderr.text();
      }

      // Batch 2's lines are out of the state, and no line is read again.
      assertEquals(
          List.of("4000 totals {b1=10, b3=10, b4=10}", "5000 totals {b1=10, b3=10, b4=10, b5=10}"),
          out);
      String warning =
          log.lines()
              .filter(l -> l.contains("WARN") && l.contains("batch 2000"))
              .findFirst()
              .orElse("");
      assertTrue(warning.contains("10 lines (records 10 to 19"), log);
    }
  }

  /** Running line counts per round ({@code b3-7} is line 7 of round 3); dies in {@code failAt}. */
  private TestingRun socketCounts(int port, long now, List<String> out, long failAt) {
    TestingRun run =
        new TestingRun(checkpoint(), now, b -> b.conf("millrace.checkpoint.interval", "100s"));
    runningTotals(run.ssc.socketTextStream("127.0.0.1", port), "-", out, failAt);
    return run;
  }

  /** Sends round {@code k}'s 10 lines and waits until the receiver has logged them. */
  private static void sendRound(Socket connection, TestingRun run, int k) throws Exception {
    SocketTextSource source =
        (SocketTextSource)
            ((InputNode<?>) Contexts.engine(run.ssc).graph().inputs().get(0)).source();
    long before = source.receivedLines();
    OutputStream stream = connection.getOutputStream();
    for (int i = 0; i < 10; i++) {
      stream.write(("b" + k + "-" + i + "\n").getBytes(StandardCharsets.UTF_8));
    }
    stream.flush();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (source.receivedLines() < before + 10) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("round " + k + " was not received within 20 s");
      }
      Thread.sleep(5);
    }
  }
}
