package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.TestingHdfs;
import dev.millrace.runtime.dataset.ListDataset;
import dev.millrace.runtime.fs.FileAccess;
import dev.millrace.runtime.sink.TextFileBatchWriter;
import dev.millrace.runtime.task.TaskRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code textFileStream} and {@code saveAsTextFiles} on a real HDFS (one name node, one data node,
 * in process), with the checkpoint there too: a word count whose driver dies and is started again.
 */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TextFilesHdfsTest {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();

  /** Batch k's file: its words, k of them the word "k" + k, and "all" once. */
  private static List<String> wordsOf(int k) {
    List<String> lines = new ArrayList<>();
    lines.add("all w" + k);
    lines.add(String.join(" ", Collections.nCopies(k, "k" + k)));
    return lines;
  }

  private static Map<String, Integer> countsOf(int k) {
    Map<String, Integer> counts = new TreeMap<>();
    counts.put("all", 1);
    counts.put("w" + k, 1);
    counts.put("k" + k, k);
    return counts;
  }

  @Test
  void wordCountOnHdfsSurvivesADriverCrashWithEveryBatchWrittenOnce() throws Exception {
    String root = HDFS.uri() + "/wordcount";
    String in = root + "/in";
    String out = root + "/out/counts";
    String checkpoint = root + "/checkpoint";
    FileSystem fs = FileSystem.get(URI.create(HDFS.uri()), HDFS.conf());
    fs.mkdirs(new Path(in));
    // Present before the first start: never read.
    moveIn(fs, root, in, "old", List.of("never read"), 0);

    try (TestingRun first = wordCount(checkpoint, in, out, 0, 4000)) {
      first.ssc.start();
      for (int k = 1; k <= 3; k++) {
        moveIn(fs, root, in, "file-" + k, wordsOf(k), k * 1000L - 500);
        first.runUntil(k * 1000L);
      }
      moveIn(fs, root, in, "file-4", wordsOf(4), 3500);
      first.crashAt(4000);
    }
    // Outputs run in order: batch 4 was saved before the driver died in the next output, so the
    // recovered driver, running batch 4 again, must replace that directory.
    for (int k = 1; k <= 4; k++) {
      assertEquals(countsOf(k), saved(fs, out + "-" + k * 1000 + ".txt"), "batch " + k);
    }

    // Down from during batch 4 until 7: files keep arriving.
    for (int k = 5; k <= 7; k++) {
      moveIn(fs, root, in, "file-" + k, wordsOf(k), k * 1000L - 500);
    }
    try (TestingRun second = wordCount(checkpoint, in, out, 7000, -1)) {
      second.runUntil(7000);
      moveIn(fs, root, in, "file-8", wordsOf(8), 7500);
      second.runUntil(8000);
    }

    for (int k = 1; k <= 8; k++) {
      assertEquals(countsOf(k), saved(fs, out + "-" + k * 1000 + ".txt"), "batch " + k);
    }
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(new Path(root + "/out"))) {
      names.add(s.getPath().getName());
    }
    names.sort(null);
    List<String> expected = new ArrayList<>();
    for (int k = 1; k <= 8; k++) {
      expected.add("counts-" + k * 1000 + ".txt");
    }
    // One directory per batch, no leftovers of the crashed attempt or of a rewrite.
    assertEquals(expected, names);
  }

  private static TestingRun wordCount(
      String checkpoint, String in, String out, long now, long failAt) {
    TestingRun run = new TestingRun(checkpoint, now, b -> {});
    PairDStream<String, Integer> counts =
        PairDStream.of(
                run.ssc
                    .textFileStream(in)
                    .flatMap(l -> Arrays.asList(l.split(" ")))
                    .mapToPair(w -> Pair.of(w, 1)))
            .reduceByKey(Integer::sum);
    counts.saveAsTextFiles(out, "txt");
    counts.foreachBatch(
        b -> {
          if (b.time() == failAt) {
            throw new IllegalStateException("driver dies during batch " + failAt);
          }
        });
    return run;
  }

  @Test
  void writingABatchAgainReplacesItsDirectoryOnHdfs() throws Exception {
    String prefix = HDFS.uri() + "/rerun/out";
    FileSystem fs = FileSystem.get(URI.create(HDFS.uri()), HDFS.conf());
    TextFileBatchWriter writer = new TextFileBatchWriter(prefix, "txt", HDFS.conf());
    try (TaskRunner runner = new TaskRunner(2, "rerun")) {
      writer.write(new ListDataset<>(List.of(List.of("a"), List.of("b"))), 1000, runner);
      writer.write(new ListDataset<>(List.of(List.of("c"))), 1000, runner);
    }

    FileStatus[] batch = fs.listStatus(new Path(prefix + "-1000.txt"));
    List<String> files = new ArrayList<>();
    for (FileStatus s : batch) {
      files.add(s.getPath().getName());
    }
    files.sort(null);
    assertEquals(List.of("_SUCCESS", "part-00000"), files);
    assertEquals(List.of("c"), lines(fs, new Path(prefix + "-1000.txt/part-00000")));
    assertEquals(1, fs.listStatus(new Path(HDFS.uri() + "/rerun")).length);
  }

  @Test
  void hadoopAccessReportsMissingFilesAndRefusesToRenameOntoAnExistingName() throws Exception {
    String dir = HDFS.uri() + "/access";
    FileAccess files = FileAccess.forLocation(dir, HDFS.conf(), "test directory");
    assertTrue(files.renamesDirectoriesAtomically());
    assertThrows(NoSuchFileException.class, () -> files.list(dir));
    assertThrows(NoSuchFileException.class, () -> files.open(dir + "/missing", 0));

    files.createDirectories(dir);
    try (OutputStream o = files.create(files.resolve(dir, "a"))) {
      o.write("0123456789".getBytes(StandardCharsets.US_ASCII));
    }
    try (OutputStream o = files.create(files.resolve(dir, "b"))) {
      o.write('b');
    }
    assertThrows(FileAlreadyExistsException.class, () -> files.rename(dir + "/a", dir + "/b"));
    files.createDirectory(dir + "/sub");
    assertThrows(FileAlreadyExistsException.class, () -> files.rename(dir + "/a", dir + "/sub"));
    assertThrows(FileAlreadyExistsException.class, () -> files.createDirectory(dir + "/sub"));
    files.createDirectory(dir + "/sub2");
    assertThrows(FileAlreadyExistsException.class, () -> files.rename(dir + "/sub2", dir + "/sub"));
    files.deleteRecursively(dir + "/sub2");

    try (InputStream i = files.open(dir + "/a", 4)) {
      assertEquals("456789", new String(i.readAllBytes(), StandardCharsets.US_ASCII));
    }
    List<String> listed = new ArrayList<>();
    for (FileAccess.Entry e : files.list(dir)) {
      listed.add(e.name() + (e.regularFile() ? ":" + e.size() : "/") + " " + e.location());
    }
    listed.sort(null);
    assertEquals(
        List.of("a:10 " + dir + "/a", "b:1 " + dir + "/b", "sub/ " + dir + "/sub"), listed);
    files.deleteRecursively(dir);
    assertTrue(!files.exists(dir));
  }

  /**
   * Writes {@code name} under {@code root}/staging, sets its time, and renames it into {@code in}.
   */
  private static void moveIn(
      FileSystem fs, String root, String in, String name, List<String> lines, long modified)
      throws IOException {
    Path staging = new Path(root + "/staging/" + name);
    try (OutputStream o = fs.create(staging, false)) {
      o.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    fs.setTimes(staging, modified, -1);
    if (!fs.rename(staging, new Path(in, name))) {
      throw new IOException("rename of " + staging + " into " + in + " failed");
    }
  }

  /** The counts a batch directory holds, from all its part files; it must hold _SUCCESS. */
  private static Map<String, Integer> saved(FileSystem fs, String dir) throws IOException {
    assertTrue(fs.exists(new Path(dir, "_SUCCESS")), dir + " has no _SUCCESS");
    Map<String, Integer> counts = new TreeMap<>();
    for (FileStatus s : fs.listStatus(new Path(dir))) {
      if (!s.getPath().getName().startsWith("part-")) {
        continue;
      }
      for (String line : lines(fs, s.getPath())) {
        // (word,count)
        String pair = line.substring(1, line.length() - 1);
        int comma = pair.lastIndexOf(',');
        Integer before =
            counts.put(pair.substring(0, comma), Integer.parseInt(pair.substring(comma + 1)));
        assertEquals(null, before, "word written twice in " + dir + ": " + line);
      }
    }
    return counts;
  }

  private static List<String> lines(FileSystem fs, Path file) throws IOException {
    try (InputStream i = fs.open(file)) {
      String text = new String(i.readAllBytes(), StandardCharsets.UTF_8);
      return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }
  }
}
