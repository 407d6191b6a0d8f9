package dev.millrace.runtime.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
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
}
