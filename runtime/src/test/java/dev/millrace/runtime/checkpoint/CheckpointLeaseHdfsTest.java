package dev.millrace.runtime.checkpoint;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lease scenarios on a real HDFS (one name node, one data node, in process). */
@Tag("process")
class CheckpointLeaseHdfsTest extends CheckpointLeaseScenarios {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();
  // One file system for the whole class, and a test instance per method: count across them.
  private static final AtomicInteger DIRECTORIES = new AtomicInteger();

  @Override
  String newDirectoryUri() {
    return HDFS.uri() + "/checkpoints/leased-" + DIRECTORIES.incrementAndGet();
  }

  @Override
  Configuration conf() {
    return HDFS.conf();
  }
}
