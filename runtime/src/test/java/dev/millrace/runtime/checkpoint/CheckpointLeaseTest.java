package dev.millrace.runtime.checkpoint;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;

/** The lease scenarios on a local directory. */
class CheckpointLeaseTest extends CheckpointLeaseScenarios {
  @TempDir Path temp;
  private int directories;

  @Override
  String newDirectoryUri() {
    return temp.resolve("ckpt-" + ++directories).toUri().toString();
  }

  @Override
  Configuration conf() {
    return new Configuration();
  }
}
