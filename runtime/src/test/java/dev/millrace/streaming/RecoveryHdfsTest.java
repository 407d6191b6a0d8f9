package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Driver recovery with the checkpoint on a real HDFS (one name node, one data node). */
class RecoveryHdfsTest {
  @TempDir static Path base;
  @TempDir Path local;
  private static MiniDFSCluster cluster;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void stateAndWindowsCheckpointedOnHdfsSurviveADriverCrash() throws Exception {
    String checkpoint = cluster.getURI() + "/checkpoints/stateful";
    List<List<String>> words = RecoveryTest.words(10);
    List<String> out = new CopyOnWriteArrayList<>();

    Queue<List<String>> queue = new ConcurrentLinkedQueue<>(words);
    try (TestingRun first =
        new TestingRun(checkpoint, 0, b -> b.conf(RecoveryTest.fourBatchCheckpoints()))) {
      RecoveryTest.statefulGraph(first.ssc, queue, out, 7000);
      for (int k = 1; k <= 6; k++) {
        first.runUntil(k * 1000L);
      }
      first.crashAt(7000);
    }
    Queue<List<String>> rest = new ConcurrentLinkedQueue<>(words.subList(7, 10));
    try (TestingRun second =
        new TestingRun(checkpoint, 7000, b -> b.conf(RecoveryTest.fourBatchCheckpoints()))) {
      RecoveryTest.statefulGraph(second.ssc, rest, out, -1);
      for (int k = 7; k <= 10; k++) {
        second.runUntil(k * 1000L);
      }
    }

    assertEquals(RecoveryTest.failureFree(10, local.resolve("clean").toString()), out);
  }
}
