package dev.millrace.runtime.checkpoint;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core checkpoint scenarios against a real HDFS (one name node, one data node, in process). */
class CheckpointStoreHdfsTest extends CheckpointStoreScenarios {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();
  private int directories;

  @Override
  String newDirectoryUri() {
    return HDFS.uri() + "/checkpoints/app-" + ++directories;
  }

  @Override
  Configuration conf() {
    return HDFS.conf();
  }
}
