package dev.millrace.runtime.checkpoint;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core checkpoint scenarios against a real HDFS (one name node, one data node, in process). */
@Tag("process")
class CheckpointStoreHdfsTest extends CheckpointStoreScenarios {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();
  // One per call: JUnit makes an instance per test, and the cluster outlives them.
  private static final AtomicInteger DIRECTORIES = new AtomicInteger();

  @Override
  String newDirectoryUri() {
    return HDFS.uri() + "/checkpoints/app-" + DIRECTORIES.incrementAndGet();
  }

  @Override
  Configuration conf() {
    return HDFS.conf();
  }
}
