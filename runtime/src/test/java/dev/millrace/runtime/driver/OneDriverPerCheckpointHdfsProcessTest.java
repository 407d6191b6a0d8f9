package dev.millrace.runtime.driver;

import dev.millrace.runtime.checkpoint.TestingHdfs;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OneDriverPerCheckpointScenarios} with the checkpoint on a real HDFS (a MiniDFSCluster in
 * this JVM, which the driver processes reach by its {@code hdfs://} URI).
 */
@Tag("process")
class OneDriverPerCheckpointHdfsProcessTest extends OneDriverPerCheckpointScenarios {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();
  private static final AtomicInteger DIRECTORIES = new AtomicInteger();

  @Override
  String checkpointUri() {
    return HDFS.uri() + "/checkpoints/words-" + DIRECTORIES.incrementAndGet();
  }
}
