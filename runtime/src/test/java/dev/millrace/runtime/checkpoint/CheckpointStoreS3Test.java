package dev.millrace.runtime.checkpoint;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The core checkpoint scenarios on {@code s3a://}, against a real S3-compatible server (s3proxy in
 * process), through the S3A file system the runtime ships.
 */
class CheckpointStoreS3Test extends CheckpointStoreScenarios {
  @RegisterExtension static final TestingS3 S3 = new TestingS3();
  // One per call: JUnit makes an instance per test, and the bucket outlives them.
  private static final AtomicInteger DIRECTORIES = new AtomicInteger();

  @Override
  String newDirectoryUri() {
    return S3.uri() + "/checkpoints/app-" + DIRECTORIES.incrementAndGet();
  }

  @Override
  Configuration conf() {
    return S3.conf();
  }
}
