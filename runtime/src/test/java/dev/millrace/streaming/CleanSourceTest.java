package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code textFileStream(dir, cleanSource)} through the public API: a file goes once the oldest
 * checkpoint kept covers its batch, also when that checkpoint was written by the driver before a
 * restart, and every line is counted once.
 */
class CleanSourceTest {
  @TempDir Path dir;

  /** Checkpoints every 2 batches, keeping {@code retain} generations. */
  private TestingRun run(long now, int retain, CleanSource cleanSource, List<String> out)
      throws IOException {
    TestingRun run =
        new TestingRun(
            dir.resolve("checkpoint").toString(),
            now,
            b ->
                b.conf(
                    Map.of(
                        "millrace.checkpoint.interval",
                        "2s",
                        "millrace.checkpoint.retain",
                        String.valueOf(retain))));
    run.ssc
        .textFileStream(in().toString(), cleanSource)
        .count()
        .foreachBatch(b -> out.add(b.time() + ":" + b.collect().get(0)));
    return run;
  }

  @Test
  void deleteRemovesAFileOnceTheOldestCheckpointKeptCoversItsBatch() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    try (TestingRun run = run(0, 2, CleanSource.delete(), out)) {
      run.ssc.start();
      for (int k = 1; k <= 6; k++) {
        writeFile(k);
        run.runUntil(k * 1000L);
      }
      // Generations 4000 and 6000 are kept: a recovery may fall back to 4000 and replay 5 and 6.
      awaitFiles(List.of("file-5", "file-6"));
    }
    assertEquals(List.of("1000:1", "2000:2", "3000:3", "4000:4", "5000:5", "6000:6"), out);
  }

  @Test
  void archiveAfterARestartRemovesWhatTheCheckpointsOfTheDriverBeforeCover() throws Exception {
    Path archive = dir.resolve("archive");
    List<String> out = new CopyOnWriteArrayList<>();
    try (TestingRun first = run(0, 3, CleanSource.archiveTo(archive.toString()), out)) {
      first.ssc.start();
      for (int k = 1; k <= 5; k++) {
        writeFile(k);
        first.runUntil(k * 1000L);
      }
    }
    // Generations 0, 2000 and 4000 are kept: nothing is covered by the oldest yet.
    assertEquals(List.of("file-1", "file-2", "file-3", "file-4", "file-5"), names(in()));

    try (TestingRun second = run(5000, 3, CleanSource.archiveTo(archive.toString()), out)) {
      second.ssc.start();
      writeFile(6);
      second.runUntil(6000);
      // Generation 6000 makes 2000, written by the first driver, the oldest kept.
      awaitFiles(List.of("file-3", "file-4", "file-5", "file-6"));
    }
    assertEquals(List.of("file-1", "file-2"), names(archive));
    assertEquals(List.of("1000:1", "2000:2", "3000:3", "4000:4", "5000:5", "6000:6"), out);
  }

  private Path in() throws IOException {
    return Files.createDirectories(dir.resolve("in"));
  }

  /** File {@code k}: k lines, last modified half a second before batch k. */
  private void writeFile(int k) throws IOException {
    Path staging = dir.resolve("staging-" + k);
    Files.write(
        staging, IntStream.range(0, k).mapToObj(i -> "line " + i).toList(), StandardCharsets.UTF_8);
    Files.setLastModifiedTime(staging, FileTime.fromMillis(k * 1000L - 500));
    Files.move(staging, in().resolve("file-" + k));
  }

  private void awaitFiles(List<String> expected) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!names(in()).equals(expected)) {
      if (System.nanoTime() > deadline) {
        fail("the input directory holds " + names(in()) + ", not " + expected + ", after 20 s");
      }
      Thread.sleep(5);
    }
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
