package dev.millrace.runtime.source;

import static dev.millrace.runtime.source.TestingFilePlans.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.TestingS3;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.task.TaskRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link TextFileSource} watching a directory on {@code s3a://}, against a real S3-compatible
 * server. S3 sets an object's modification time when its upload completes and cannot change it, so
 * batch times here lie a minute after the uploads.
 */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TextFileSourceS3Test {
  @RegisterExtension static final TestingS3 S3 = new TestingS3();
  private static final long LATER = 60_000;
  // One per test: JUnit makes an instance per test, and the bucket outlives them.
  private static final AtomicInteger DIRECTORIES = new AtomicInteger();
  private final TaskRunner runner = new TaskRunner(4, "text-file-source-s3-test");

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  void takesObjectsUploadedAfterTheStartAndReadsRangesOfALargeOne() throws Exception {
    FileSystem fs = fs();
    String dir = newDirectory(fs);
    upload(fs, dir, "old.txt", "there at start\n");
    InputSource<String> source = started(dir, 8);
    String big = TextFileSourceTest.randomText(new Random(7), 3 << 20, false, true);
    upload(fs, dir, "big.txt", big);
    upload(fs, dir, "small.txt", "s\n");
    fs.mkdirs(new Path(dir, "_temporary"));
    upload(fs, dir, ".hidden", "h\n");

    Dataset<String> batch = source.take(System.currentTimeMillis() + LATER, false);

    // By modification time, then name: S3 keeps times to the second, so both orders are possible.
    assertEquals(
        List.of(dir + "/big.txt", dir + "/small.txt"),
        files(batch).stream().sorted().toList(),
        files(batch).toString());
    assertTrue(batch.numPartitions() >= 4, "partitions: " + batch.numPartitions());
    List<String> bigLines = Arrays.asList(big.split("\r\n", -1));
    List<String> expected = new ArrayList<>();
    for (String file : files(batch)) {
      expected.addAll(file.endsWith("/big.txt") ? bigLines : List.of("s"));
    }
    assertEquals(expected, runner.collect(batch));

    upload(fs, dir, "later.txt", "l\n");
    assertEquals(
        List.of("l"), runner.collect(source.take(System.currentTimeMillis() + 2 * LATER, false)));
  }

  @Test
  void aRecoveredSourceReplaysItsPlanAndTakesOnlyObjectsItHasNotTaken() throws Exception {
    FileSystem fs = fs();
    String dir = newDirectory(fs);
    InputSource<String> first = started(dir, 2);
    upload(fs, dir, "a.txt", "a\n");
    long firstBatch = System.currentTimeMillis() + LATER;
    Dataset<String> taken = first.take(firstBatch, false);
    byte[] plan = first.encodePlan(taken);
    byte[] snapshot = first.snapshot();
    upload(fs, dir, "b.txt", "b\n");

    InputSource<String> second =
        new TextFileSource(dir, S3.conf(), 2, "files", Integer.MAX_VALUE).input();
    second.recover(firstBatch + LATER, snapshot, List.of(plan));

    assertEquals(List.of("a"), runner.collect(second.replay(firstBatch, plan)));
    assertEquals(List.of("b"), runner.collect(second.take(firstBatch + LATER, false)));
  }

  private InputSource<String> started(String dir, int partitions) {
    InputSource<String> source =
        new TextFileSource(dir, S3.conf(), partitions, "files", Integer.MAX_VALUE).input();
    source.start(0);
    return source;
  }

  private static FileSystem fs() throws IOException {
    return new Path(S3.uri()).getFileSystem(S3.conf());
  }

  private static String newDirectory(FileSystem fs) throws IOException {
    String dir = S3.uri() + "/source/in-" + DIRECTORIES.incrementAndGet();
    fs.mkdirs(new Path(dir));
    return dir;
  }

  /** Uploads {@code name} straight into {@code dir}: an S3 object appears whole or not at all. */
  private static void upload(FileSystem fs, String dir, String name, String text)
      throws IOException {
    try (OutputStream out = fs.create(new Path(dir, name), false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
