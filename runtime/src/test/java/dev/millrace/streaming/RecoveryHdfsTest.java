package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.runtime.checkpoint.TestingHdfs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Driver recovery with the checkpoint on a real HDFS (one name node, one data node). */
@Tag("process")
class RecoveryHdfsTest {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();
  @TempDir Path local;

  @Test
  void stateAndWindowsCheckpointedOnHdfsSurviveADriverCrash() throws Exception {
    List<String> out =
        RecoveryTest.crashInBatchSevenThenRecover(HDFS.uri() + "/checkpoints/stateful", () -> {});

    assertEquals(RecoveryTest.failureFree(10, local.resolve("clean").toString()), out);
  }
}
