package dev.millrace.runtime.source;

import dev.millrace.runtime.checkpoint.TestingHdfs;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The write-ahead log scenarios against a real HDFS (one name node, one data node, in process). */
@Tag("process")
class SocketWriteAheadLogHdfsTest extends SocketWriteAheadLogScenarios {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();
  // Static: every test shares the one HDFS, so each needs directories of its own.
  private static int directories;

  @Override
  String newDirectoryUri() {
    return HDFS.uri() + "/checkpoints/app-" + ++directories;
  }

  @Override
  Configuration conf() {
    return HDFS.conf();
  }
}
