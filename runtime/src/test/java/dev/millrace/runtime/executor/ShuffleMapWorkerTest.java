package dev.millrace.runtime.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.Engine;
import dev.millrace.runtime.checkpoint.TestingHdfs;
import dev.millrace.runtime.cluster.RemoteMapInputs;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.shuffle.ShuffleId;
import dev.millrace.runtime.shuffle.ShuffleMapRunner;
import dev.millrace.runtime.shuffle.ShuffleMapStage;
import dev.millrace.runtime.state.StateUpdateRunner;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.runtime.transport.Message.RunShuffleMap;
import dev.millrace.runtime.transport.Message.ShuffleMapDone;
import dev.millrace.runtime.transport.Message.TaskResult;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShuffleMapWorkerTest {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();
  private static final long ZERO = 10_000;
  private static final long T = ZERO + 1_000;

  @TempDir Path dir;

  /** Where the text file stream reads: {@link #dir}, or a directory on HDFS. */
  private String in;

  @BeforeEach
  void readLocally() {
    in = dir.toString();
  }

  /** A word count over the text files of {@link #in}, two partitions. */
  private StreamGraph graph(long zeroTime) {
    StreamingContext ssc = new StreamingContext("local[2]", "words", Durations.seconds(1));
    ssc.textFileStream(in)
        .flatMap(l -> Arrays.asList(l.split(" ")))
        .mapToPair(w -> Pair.of(w, 1))
        .reduceByKey(Integer::sum)
        .print();
    StreamGraph graph = Engine.graphOf(Contexts.description(ssc));
    graph.start(zeroTime);
    return graph;
  }

  /** A running count of the words of the text files of {@link #in}, two partitions. */
  private StreamGraph runningCount(long zeroTime) {
    StreamingContext ssc = new StreamingContext("local[2]", "words", Durations.seconds(1));
    ssc.textFileStream(in)
        .flatMap(l -> Arrays.asList(l.split(" ")))
        .mapToPair(w -> Pair.of(w, 1))
        .updateStateByKey(
            (List<Integer> ones, Optional<Integer> total) ->
                Optional.of(total.orElse(0) + ones.size()))
        .print();
    StreamGraph graph = Engine.graphOf(Contexts.description(ssc));
    graph.start(zeroTime);
    return graph;
  }

  @Test
  void groupingANewBatchForStateComputesNoEarlierBatchOnTheExecutor() throws Exception {
    // Batch 500 of a running count: computing the state node there in a graph that keeps history
    // would compute batches 499, 498, ... whose input was never planned in this process.
    long late = ZERO + 500_000;
    StreamGraph driver = runningCount(ZERO);
    InputNode<?> input = driver.inputs().get(0);
    input.source().start(late - 1_000);
    write("1.txt", "a b a\n", late);
    byte[] plan = driver.planBatch(late, false, true).orElseThrow().inputPlan(0);
    int stateNode =
        driver.nodes().stream()
            .filter(n -> n.operation().equals("updateStateByKey"))
            .findFirst()
            .orElseThrow()
            .id();
    ShuffleId grouping = new ShuffleId(stateNode, late, 0);

    TaskResult result;
    try (ShuffleMapWorker worker =
        new ShuffleMapWorker(1, getClass().getClassLoader(), this::runningCount)) {
      CompletableFuture<TaskResult> reply = new CompletableFuture<>();
      worker.run(
          new RunShuffleMap(1, 1, 1, ZERO, grouping, 0, 2, Map.of(input.id(), plan)),
          reply::complete);
      result = reply.get(30, TimeUnit.SECONDS);
    }

    ShuffleMapDone done = assertInstanceOf(ShuffleMapDone.class, result, result.toString());
    assertEquals(Map.of("a", List.of(1, 1), "b", List.of(1)), combiners(done));
  }

  @Test
  void mapTaskReadsOnlyTheSplitOfItsOwnPartition() throws Exception {
    assertMapTaskReadsOnlyItsSplit();
  }

  /** The plan names the file by its hdfs:// URI, and the executor's own graph opens it there. */
  @Test
  void mapTaskReadsItsSplitOfAnHdfsFile() throws Exception {
    in = HDFS.uri() + "/executor/in";
    assertMapTaskReadsOnlyItsSplit();
  }

  private void assertMapTaskReadsOnlyItsSplit() throws Exception {
    StreamGraph driver = graph(ZERO);
    for (InputNode<?> input : driver.inputs()) {
      input.source().start(T);
    }
    org.apache.hadoop.fs.Path first = write("1.txt", "a b a\n");
    write("2.txt", "b c c\n");
    driver.planBatch(T, false, true);
    ShuffleMapStage stage = runShuffleInDriver(driver);
    Map<Integer, byte[]> plans = RemoteMapInputs.of(driver, stage);
    assertNotNull(plans);
    assertEquals(2, stage.mapTasks());
    // Map partition 1 is the second file's split: the task cannot read the first file, it is gone.
    files().delete(first, false);

    TaskResult result;
    try (ShuffleMapWorker worker =
        new ShuffleMapWorker(2, getClass().getClassLoader(), this::graph)) {
      CompletableFuture<TaskResult> reply = new CompletableFuture<>();
      worker.run(
          new RunShuffleMap(1, 1, 1, ZERO, stage.id(), 1, stage.reducePartitions(), plans),
          reply::complete);
      result = reply.get(30, TimeUnit.SECONDS);
    }

    ShuffleMapDone done = assertInstanceOf(ShuffleMapDone.class, result, result.toString());
    assertEquals(Map.of("b", 1, "c", 2), combiners(done));
  }

  /** Runs the batch's output in the driver alone, returning its shuffle's map stage. */
  private ShuffleMapStage runShuffleInDriver(StreamGraph driver) {
    ShuffleMapStage[] seen = new ShuffleMapStage[1];
    try (TaskRunner runner =
        new TaskRunner(
            2,
            "shuffle-map-worker-test",
            (stage, local) -> {
              seen[0] = stage;
              ShuffleMapRunner.LOCAL.run(stage, local);
            },
            StateUpdateRunner.LOCAL)) {
      runner.prepare(List.of(driver.outputs().get(0).stream().getOrCompute(T)));
    }
    return seen[0];
  }

  private org.apache.hadoop.fs.Path write(String name, String text) throws IOException {
    return write(name, text, T);
  }

  /**
   * A file in {@link #in} the batch at {@code batchTime} takes: written beside it, given its
   * modification time, then renamed in.
   */
  private org.apache.hadoop.fs.Path write(String name, String text, long batchTime)
      throws IOException {
    FileSystem fs = files();
    org.apache.hadoop.fs.Path directory = new org.apache.hadoop.fs.Path(in);
    org.apache.hadoop.fs.Path written =
        new org.apache.hadoop.fs.Path(directory.getParent(), "." + name + ".tmp");
    try (OutputStream out = fs.create(written, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    fs.setTimes(written, batchTime - 100, -1);
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(directory, name);
    fs.mkdirs(directory);
    if (!fs.rename(written, file)) {
      throw new IOException("cannot rename " + written + " to " + file);
    }
    return file;
  }

  /** The file system of {@link #in}: HDFS, or this machine's. */
  private FileSystem files() throws IOException {
    return in.startsWith("hdfs:")
        ? new org.apache.hadoop.fs.Path(in).getFileSystem(HDFS.conf())
        : FileSystem.getLocal(HDFS.conf());
  }

  private static Map<Object, Object> combiners(ShuffleMapDone done) {
    Map<Object, Object> all = new TreeMap<>();
    for (byte[] bucket : done.buckets()) {
      List<Object> keysAndCombiners = RecordCodec.standard().decode(bucket);
      for (int i = 0; i < keysAndCombiners.size(); i += 2) {
        all.put(keysAndCombiners.get(i), keysAndCombiners.get(i + 1));
      }
    }
    return all;
  }
}
