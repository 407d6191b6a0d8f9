package dev.millrace.runtime.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.TestingS3;
import dev.millrace.runtime.fs.FileAccess;
import dev.millrace.runtime.task.TaskRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code saveAsTextFiles} to {@code s3a://}, against a real S3-compatible server. */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TextFileBatchWriterS3Test {
  @RegisterExtension static final TestingS3 S3 = new TestingS3();
  private final TaskRunner runner = new TaskRunner(2, "text-file-batch-writer-s3-test");
  // One per test: JUnit makes an instance per test, and the bucket outlives them.
  private static final AtomicInteger DIRECTORIES = new AtomicInteger();

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  void writesABatchAsADirectoryOfOnePartPerPartitionAndAnEmptySuccessMarker() throws IOException {
    String dir = newDirectory();

    new TextFileBatchWriter(dir + "/counts", "txt", S3.conf())
        .write(
            TextFileBatchWriterTest.partitions(List.of("a", "caf\u00e9"), List.of(), List.of("b")),
            1000,
            runner);

    assertEquals(
        Map.of(
            "part-00000", "a\ncaf\u00e9\n", "part-00001", "", "part-00002", "b\n", "_SUCCESS", ""),
        contents(dir + "/counts-1000.txt"));
    assertEquals(List.of("counts-1000.txt"), names(dir));
  }

  @Test
  void theSuccessMarkerIsWrittenOnlyOnceTheBatchDirectoryIsInPlaceBecauseS3RenamesByCopying()
      throws IOException {
    String dir = newDirectory();
    String prefix = dir + "/marked";
    TestingRecordingFileAccess fs =
        new TestingRecordingFileAccess(FileAccess.forLocation(prefix, S3.conf(), "the prefix"));

    new TextFileBatchWriter(prefix, null, fs)
        .write(TextFileBatchWriterTest.partitions(List.of("x"), List.of("y")), 2000, runner);

    List<String> operations = fs.operations();
    String target = dir + "/marked-2000";
    int move = indexOf(operations, "rename " + dir + "/.marked-2000.tmp-", " " + target);
    int marker = operations.indexOf("create " + target + "/_SUCCESS");
    assertTrue(move >= 0 && marker > move, operations.toString());
    assertFalse(
        operations.stream().anyMatch(o -> o.matches("create .*tmp-.*/_SUCCESS")),
        operations.toString());
    assertEquals(
        Map.of("part-00000", "x\n", "part-00001", "y\n", "_SUCCESS", ""), contents(target));
  }

  @Test
  void rerunningABatchReplacesItsEarlierOutputEntirelyAndLeavesNoHiddenDirectory()
      throws IOException {
    String dir = newDirectory();
    TextFileBatchWriter writer = new TextFileBatchWriter(dir + "/replace", null, S3.conf());
    writer.write(
        TextFileBatchWriterTest.partitions(List.of("1"), List.of("2"), List.of("3")), 3000, runner);

    writer.write(TextFileBatchWriterTest.partitions(List.of("only")), 3000, runner);

    assertEquals(Map.of("part-00000", "only\n", "_SUCCESS", ""), contents(dir + "/replace-3000"));
    assertEquals(List.of("replace-3000"), names(dir));
  }

  @Test
  void deletesLeftoversOfAnEarlierAttemptThatCrashed() throws IOException {
    String dir = newDirectory();
    FileSystem s3 = new Path(dir).getFileSystem(S3.conf());
    try (OutputStream half = s3.create(new Path(dir + "/.crashed-6000.tmp-0123/part-00000"))) {
      half.write("half".getBytes(StandardCharsets.UTF_8));
    }
    s3.mkdirs(new Path(dir + "/.crashed-6000.old-4567"));

    new TextFileBatchWriter(dir + "/crashed", null, S3.conf())
        .write(TextFileBatchWriterTest.partitions(List.of("whole")), 6000, runner);

    assertEquals(List.of("crashed-6000"), names(dir));
    assertEquals(Map.of("part-00000", "whole\n", "_SUCCESS", ""), contents(dir + "/crashed-6000"));
  }

  private String newDirectory() {
    return S3.uri() + "/out-" + DIRECTORIES.incrementAndGet();
  }

  private static int indexOf(List<String> operations, String start, String end) {
    for (int i = 0; i < operations.size(); i++) {
      if (operations.get(i).startsWith(start) && operations.get(i).endsWith(end)) {
        return i;
      }
    }
    return -1;
  }

  private static Map<String, String> contents(String directory) throws IOException {
    Path dir = new Path(directory);
    FileSystem s3 = dir.getFileSystem(S3.conf());
    Map<String, String> files = new TreeMap<>();
    for (FileStatus status : s3.listStatus(dir)) {
      try (InputStream in = s3.open(status.getPath())) {
        files.put(
            status.getPath().getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  private static List<String> names(String directory) throws IOException {
    Path dir = new Path(directory);
    List<String> names = new ArrayList<>();
    for (FileStatus status : dir.getFileSystem(S3.conf()).listStatus(dir)) {
      names.add(status.getPath().getName());
    }
    return names.stream().sorted().toList();
  }
}
