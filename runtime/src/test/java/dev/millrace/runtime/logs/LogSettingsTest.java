package dev.millrace.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.streaming.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogSettingsTest {
  @Test
  void withoutVariablesLinesAreTextAndTheConfigurationsLevelsStand() {
    assertEquals(new LogSettings(LogFormat.TEXT, Map.of()), LogSettings.of(Map.of()));
  }

  @Test
  void theEnvironmentSetsTheFormatAndTheLevelOfEachNamedLoggerRootIncluded() {
    LogSettings settings =
        LogSettings.of(
            Map.of(
                "MILLRACE_LOG_FORMAT",
                " JSON ",
                "MILLRACE_LOG_LEVELS",
                "dev.millrace.runtime.scheduler=DEBUG, org.apache.kafka=warn,,root=error"));
    assertEquals(LogFormat.JSON, settings.format());
    assertEquals(
        Map.of("dev.millrace.runtime.scheduler", "debug", "org.apache.kafka", "warn", "", "error"),
        settings.levels());
  }

  @Test
  void anUnknownFormatIsRefusedNamingTheVariableAndTheFormats() {
    String message =
        assertThrows(
                ConfigurationException.class,
                () -> LogSettings.of(Map.of("MILLRACE_LOG_FORMAT", "xml")))
            .getMessage();
    assertEquals("MILLRACE_LOG_FORMAT=xml is not a log format; write text or json", message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"debug", "dev.millrace=loud", "=info", "dev millrace=info"})
  void aLevelEntryThatIsNotLoggerEqualsLevelIsRefusedWithAnExample(String entry) {
    String message =
        assertThrows(
                ConfigurationException.class,
                () -> LogSettings.of(Map.of("MILLRACE_LOG_LEVELS", "org.apache=warn," + entry)))
            .getMessage();
    assertTrue(
        message.startsWith(
            "MILLRACE_LOG_LEVELS=org.apache=warn," + entry + ": '" + entry + "' is not"),
        message);
    assertTrue(message.contains("write e.g. dev.millrace.runtime.scheduler=debug"), message);
  }
}
