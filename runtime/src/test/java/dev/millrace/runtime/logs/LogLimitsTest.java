package dev.millrace.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.streaming.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogLimitsTest {
  @Test
  void theEnvironmentSetsTheLimitsAndWhatItLeavesOutHasItsDefault() {
    assertEquals(new LogLimits(64L << 20, 10), LogLimits.of(Map.of()));
    assertEquals(
        new LogLimits(500L << 10, 3),
        LogLimits.of(Map.of("MILLRACE_LOG_FILE_SIZE", "500Ki", "MILLRACE_LOG_FILES", " 3 ")));
    assertEquals(new LogLimits(64L << 20, 2), LogLimits.of(Map.of("MILLRACE_LOG_FILES", "2")));
  }

  @Test
  void aValueThatIsNoSizeOrCountIsRefusedNamingTheVariable() {
    for (String size : new String[] {"lots", "0", "-1Mi"}) {
      String message =
          assertThrows(
                  ConfigurationException.class,
                  () -> LogLimits.of(Map.of("MILLRACE_LOG_FILE_SIZE", size)))
              .getMessage();
      assertTrue(message.startsWith("MILLRACE_LOG_FILE_SIZE=" + size + " is not"), message);
    }
    String message =
        assertThrows(
                ConfigurationException.class, () -> LogLimits.of(Map.of("MILLRACE_LOG_FILES", "0")))
            .getMessage();
    assertTrue(message.startsWith("MILLRACE_LOG_FILES=0 is not"), message);
  }
}
