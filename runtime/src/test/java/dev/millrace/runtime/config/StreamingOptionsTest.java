package dev.millrace.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class StreamingOptionsTest {

  @Test
  void aMisspeltSettingIsRefusedNamingItAndTheSettings() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StreamingOptions.validate(Map.of("millrace.checkpoint.intervall", "10s")));
    String msg = e.getMessage();
    assertTrue(msg.contains("millrace.checkpoint.intervall is not a Millrace setting"), msg);
    assertTrue(msg.contains("millrace.checkpoint.interval,"), msg);
  }

  @Test
  void anInvalidValueOfASettingReadOnlyWhenAStreamIsDefinedIsRefusedUpFront() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StreamingOptions.validate(Map.of("millrace.file.max-files-per-batch", "many")));
    assertTrue(e.getMessage().contains("millrace.file.max-files-per-batch=many"), e.getMessage());
  }

  @Test
  void hadoopEntriesAndTheApplicationsOwnEntriesPass() {
    StreamingOptions.validate(
        Map.of(
            "millrace.hadoop.fs.s3a.endpoint", "http://minio:9000",
            "wordcount.min-length", "3",
            "millrace.checkpoint.interval", "10s"));
  }

  @Test
  void hdfsClientsAskAgainSoonWhenClosingAFileUnlessTheClusterOrTheAppSaysOtherwise() {
    Configuration defaults = StreamingOptions.hadoopConfiguration();
    String delay = "dfs.client.block.write.locateFollowingBlock.initial.delay.ms";
    String retries = "dfs.client.block.write.locateFollowingBlock.retries";
    assertEquals(20, defaults.getInt(delay, -1));
    assertEquals(10, defaults.getInt(retries, -1));
    assertEquals("Millrace's HDFS client defaults", defaults.getPropertySources(delay)[0]);

    Configuration app =
        StreamingOptions.hadoopConfiguration(Map.of("millrace.hadoop." + delay, "400"));
    assertEquals(400, app.getInt(delay, -1));
    assertEquals(10, app.getInt(retries, -1));
  }
}
