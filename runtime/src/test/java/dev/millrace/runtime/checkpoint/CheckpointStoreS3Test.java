package dev.millrace.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The core checkpoint scenarios on {@code s3a://}, against a real S3-compatible server (s3proxy in
 * process), through the S3A file system the runtime ships.
 */
@Tag("process")
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

  @Test
  void anUnreachableEndpointIsReportedNamingTheDirectoryAndTheS3aSettingsToCheck() {
    Configuration unreachable = S3.conf();
    // Nothing listens on port 1; without retries S3A gives up at once instead of after minutes.
    unreachable.set("fs.s3a.endpoint", "http://127.0.0.1:1");
    unreachable.set("fs.s3a.retry.limit", "0");
    unreachable.set("fs.s3a.attempts.maximum", "0");
    String uri = "s3a://unreachable-bucket/checkpoints/app";

    CheckpointException e =
        assertThrows(CheckpointException.class, () -> new CheckpointStore(uri, unreachable, 2));

    assertTrue(
        e.getMessage().contains("Cannot create checkpoint directory " + uri), e.getMessage());
    assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    assertTrue(e.getMessage().contains("that the file system is reachable"), e.getMessage());
    assertTrue(e.getMessage().contains("millrace.hadoop.fs.s3a."), e.getMessage());
  }
}
