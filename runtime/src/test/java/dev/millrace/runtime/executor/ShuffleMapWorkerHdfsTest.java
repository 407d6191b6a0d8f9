package dev.millrace.runtime.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.millrace.runtime.checkpoint.TestingHdfs;
import dev.millrace.runtime.cluster.RemoteMapInputs;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.dataset.ShuffleMapRunner;
import dev.millrace.runtime.dataset.ShuffleMapStage;
import dev.millrace.runtime.dataset.TaskRunner;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.transport.Message.RunShuffleMap;
import dev.millrace.runtime.transport.Message.ShuffleMapDone;
import dev.millrace.runtime.transport.Message.TaskResult;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.EngineAccess;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An executor's map task reads its split of a text file on HDFS: the plan the driver recorded names
 * the file by its hdfs:// URI, and the executor's own graph opens it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShuffleMapWorkerHdfsTest {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();
  private static final long ZERO = 10_000;
  private static final long T = ZERO + 1_000;

  private final TaskRunner runner = new TaskRunner(2, "shuffle-map-worker-hdfs-test");

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  private static String in() {
    return HDFS.uri() + "/executor/in";
  }

  /** A word count over the text files of {@link #in}, two partitions. */
  private StreamGraph graph(long zeroTime) {
    StreamingContext ssc = new StreamingContext("local[2]", "words", Durations.seconds(1));
    ssc.textFileStream(in())
        .flatMap(l -> Arrays.asList(l.split(" ")))
        .mapToPair(w -> Pair.of(w, 1))
        .reduceByKey(Integer::sum)
        .print();
    StreamGraph graph = EngineAccess.graph(ssc);
    graph.start(zeroTime);
    return graph;
  }

  @Test
  void mapTaskReadsItsSplitOfAnHdfsFile() throws Exception {
    FileSystem fs = FileSystem.get(URI.create(HDFS.uri()), HDFS.conf());
    fs.mkdirs(new Path(in()));
    StreamGraph driver = graph(ZERO);
    for (InputNode<?> input : driver.inputs()) {
      input.source().start(T);
    }
    Path first = write(fs, "1.txt", "a b a\n");
    write(fs, "2.txt", "b c c\n");
    for (InputNode<?> input : driver.inputs()) {
      input.plan(T, false);
      input.encodePlan(T);
    }
    ShuffleMapStage stage = runShuffleInDriver(driver);
    Map<Integer, byte[]> plans = RemoteMapInputs.of(driver, stage);
    assertNotNull(plans);
    assertEquals(2, stage.mapTasks());
    // Map partition 1 is the second file's split: the task cannot read the first file, it is gone.
    fs.delete(first, false);

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
    runner.useShuffleMapRunner(
        (stage, local) -> {
          seen[0] = stage;
          ShuffleMapRunner.LOCAL.run(stage, local);
        });
    runner.prepare(List.of(driver.outputs().get(0).stream().getOrCompute(T)));
    return seen[0];
  }

  /** A file the batch at {@link #T} takes, written elsewhere and renamed into the directory. */
  private static Path write(FileSystem fs, String name, String text) throws IOException {
    Path staging = new Path(HDFS.uri() + "/executor/staging/" + name);
    try (OutputStream out = fs.create(staging, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    fs.setTimes(staging, T - 100, -1);
    Path file = new Path(in(), name);
    if (!fs.rename(staging, file)) {
      throw new IOException("rename of " + staging + " failed");
    }
    return file;
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
