package dev.millrace.runtime.source;

import static dev.millrace.runtime.source.TestingFilePlans.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.TestingHdfs;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.CleanSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TextFileSource} watching a directory on a real HDFS (in process). */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TextFileSourceHdfsTest {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();
  private final TaskRunner runner = new TaskRunner(4, "text-file-source-hdfs-test");
  // Static: every test shares the one HDFS, so each needs directories of its own.
  private static int directories;

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  void takesNewVisibleFilesByModificationTimeAndReadsRangesOfALargeOne() throws Exception {
    FileSystem fs = fs();
    String dir = newDirectory(fs);
    write(fs, dir, "old.txt", "there at start\n", 500);
    InputSource<String> source = started(dir, 8);
    String big = TextFileSourceTest.randomText(new Random(7), 3 << 20, false, true);
    write(fs, dir, "big.txt", big, 1_500);
    write(fs, dir, "small.txt", "s\n", 1_200);
    write(fs, dir, "later.txt", "l\n", 2_500);
    fs.mkdirs(new Path(dir, "_temporary"));
    write(fs, dir, ".hidden", "h\n", 1_000);

    Dataset<String> batch = source.take(2_000, false);

    assertEquals(List.of(dir + "/small.txt", dir + "/big.txt"), files(batch));
    assertTrue(batch.numPartitions() >= 4, "partitions: " + batch.numPartitions());
    List<String> expected = new java.util.ArrayList<>(List.of("s"));
    expected.addAll(Arrays.asList(big.split("\r\n", -1)));
    assertEquals(expected, runner.collect(batch));
    assertEquals(List.of("l"), runner.collect(source.take(3_000, false)));
  }

  @Test
  void aRecoveredSourceReplaysItsPlanAndTakesOnlyFilesItHasNotTaken() throws Exception {
    FileSystem fs = fs();
    String dir = newDirectory(fs);
    InputSource<String> first = started(dir, 2);
    write(fs, dir, "a.txt", "a\n", 900);
    Dataset<String> taken = first.take(1_000, false);
    byte[] plan = first.encodePlan(taken);
    byte[] snapshot = first.snapshot();
    write(fs, dir, "b.txt", "b\n", 1_900);

    InputSource<String> second =
        new TextFileSource(dir, HDFS.conf(), 2, "files", Integer.MAX_VALUE).input();
    second.recover(2_000, snapshot, List.of(plan));

    assertEquals(List.of("a"), runner.collect(second.replay(1_000, plan)));
    assertEquals(List.of("b"), runner.collect(second.take(2_000, false)));
  }

  @Test
  void deleteRemovesOnlyTheFilesACommittedCheckpointCovers() throws Exception {
    FileSystem fs = fs();
    String dir = newDirectory(fs);
    write(fs, dir, "old.txt", "there at start\n", 100);
    InputSource<String> source =
        new TextFileSource(dir, HDFS.conf(), 2, "files", Integer.MAX_VALUE, CleanSource.delete())
            .input();
    source.start(0);
    write(fs, dir, "a.txt", "a\n", 900);
    source.take(1_000, false);
    byte[] covering = source.snapshot();
    write(fs, dir, "b.txt", "b\n", 1_900);
    source.take(2_000, false);

    source.checkpointCommitted(1_000, covering);
    source.stop();

    assertEquals(List.of("b.txt", "old.txt"), names(fs, dir));
    assertEquals(OptionalLong.of(1_000), source.inputRemovableUpTo());
  }

  @Test
  void archiveMovesCoveredFilesUnderTheirNamesAndNeverOverwrites() throws Exception {
    FileSystem fs = fs();
    String dir = newDirectory(fs);
    String archive = dir + "/done";
    InputSource<String> source =
        new TextFileSource(
                dir, HDFS.conf(), 2, "files", Integer.MAX_VALUE, CleanSource.archiveTo(archive))
            .input();
    source.start(0);
    write(fs, dir, "a.txt", "a\n", 800);
    write(fs, dir, "b.txt", "b\n", 900);
    source.take(1_000, false);
    try (OutputStream out = fs.create(new Path(archive, "b.txt"), false)) {
      out.write("an older b\n".getBytes(StandardCharsets.UTF_8));
    }

    source.checkpointCommitted(1_000, source.snapshot());
    source.stop();

    assertEquals(List.of("b.txt"), names(fs, dir));
    assertEquals(List.of("a.txt", "b.txt"), names(fs, archive));
    assertEquals("a\n", read(fs, archive + "/a.txt"));
    assertEquals("an older b\n", read(fs, archive + "/b.txt"));
  }

  private static List<String> names(FileSystem fs, String dir) throws IOException {
    List<String> names = new java.util.ArrayList<>();
    for (FileStatus status : fs.listStatus(new Path(dir))) {
      if (status.isFile()) {
        names.add(status.getPath().getName());
      }
    }
    return names.stream().sorted().toList();
  }

  private static String read(FileSystem fs, String file) throws IOException {
    try (InputStream in = fs.open(new Path(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private InputSource<String> started(String dir, int partitions) {
    InputSource<String> source =
        new TextFileSource(dir, HDFS.conf(), partitions, "files", Integer.MAX_VALUE).input();
    source.start(0);
    return source;
  }

  private static FileSystem fs() throws IOException {
    return FileSystem.get(URI.create(HDFS.uri()), HDFS.conf());
  }

  private String newDirectory(FileSystem fs) throws IOException {
    String dir = HDFS.uri() + "/source/in-" + ++directories;
    fs.mkdirs(new Path(dir));
    return dir;
  }

  /** Writes {@code name} elsewhere, stamps it {@code modified}, and renames it into {@code dir}. */
  private static void write(FileSystem fs, String dir, String name, String text, long modified)
      throws IOException {
    Path staging = new Path(dir + "-staging/" + name);
    try (OutputStream out = fs.create(staging, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    fs.setTimes(staging, modified, -1);
    if (!fs.rename(staging, new Path(dir, name))) {
      throw new IOException("rename of " + staging + " failed");
    }
  }
}
