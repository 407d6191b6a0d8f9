package dev.millrace.runtime.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.launch.UsageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorOptionsTest {
  private static final List<String> REQUIRED = List.of("--driver", "10.0.0.7:7077", "--app", "a");

  @Test
  void supervisorPidIsReadAndAbsentByDefault() {
    assertNull(ExecutorOptions.parse(REQUIRED).supervisorPid());
    assertEquals(
        777L,
        ExecutorOptions.parse(concat(REQUIRED, List.of("--supervisor-pid", "777")))
            .supervisorPid());
  }

  @Test
  void theMetricsPortIsReadAndNoneByDefaultAndAPortOutOfRangeIsAUsageError() {
    assertNull(ExecutorOptions.parse(REQUIRED).metricsPort());
    assertEquals(
        0, ExecutorOptions.parse(concat(REQUIRED, List.of("--metrics-port", "0"))).metricsPort());
    assertEquals(
        4040,
        ExecutorOptions.parse(concat(REQUIRED, List.of("--metrics-port", "4040"))).metricsPort());
    String message =
        assertThrows(
                UsageException.class,
                () -> ExecutorOptions.parse(concat(REQUIRED, List.of("--metrics-port", "70000"))))
            .getMessage();
    assertTrue(message.contains("--metrics-port"), message);
  }

  @Test
  void withoutTheFlagTheMetricsPortComesFromTheEnvironmentAndABadOneNamesTheVariable() {
    assertNull(ExecutorOptions.metricsPortFrom(Map.of()));
    assertEquals(4040, ExecutorOptions.metricsPortFrom(Map.of("MILLRACE_METRICS_PORT", "4040")));
    String message =
        assertThrows(
                UsageException.class,
                () -> ExecutorOptions.metricsPortFrom(Map.of("MILLRACE_METRICS_PORT", "http")))
            .getMessage();
    assertTrue(message.contains("MILLRACE_METRICS_PORT"), message);
    assertTrue(message.contains("spec.executor.env"), message);
  }

  @Test
  void aSupervisorPidThatIsNoProcessIdIsAUsageError() {
    String message =
        assertThrows(
                UsageException.class,
                () -> ExecutorOptions.parse(concat(REQUIRED, List.of("--supervisor-pid", "0"))))
            .getMessage();
    assertTrue(message.contains("--supervisor-pid cannot take '0'"), message);
  }

  @Test
  void theDriverIsGivenEitherByAddressOrByAnAddressFileNeverBoth() {
    assertEquals("10.0.0.7:7077", ExecutorOptions.parse(REQUIRED).driver().toString());
    ExecutorOptions inFile =
        ExecutorOptions.parse(
            List.of("--driver-address-file", "hdfs://nn:8020/apps/a/driver", "--app", "a"));
    assertEquals("the address in hdfs://nn:8020/apps/a/driver", inFile.driver().toString());
    String both =
        assertThrows(
                UsageException.class,
                () ->
                    ExecutorOptions.parse(
                        concat(REQUIRED, List.of("--driver-address-file", "/tmp/driver"))))
            .getMessage();
    assertTrue(both.contains("either --driver <host:port>"), both);
    String badPort =
        assertThrows(
                UsageException.class,
                () -> ExecutorOptions.parse(List.of("--driver", "nohost", "--app", "a")))
            .getMessage();
    assertTrue(badPort.contains("--driver takes host:port"), badPort);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
