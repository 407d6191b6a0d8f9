package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.launch.UsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriverOptionsTest {

  @Test
  void theFlagsOfTheLaunchContractAreRead() {
    assertEquals(
        new DriverOptions(
            Path.of("app.yaml"),
            3,
            "0.0.0.0",
            4040,
            Path.of("/run/driver.address"),
            777L,
            0,
            null,
            true,
            "run-7f3a"),
        DriverOptions.parse(
            List.of(
                "--attempt",
                "3",
                "--supervision-id",
                "run-7f3a",
                "--spec",
                "app.yaml",
                "--bind-address",
                "0.0.0.0",
                "--http-port",
                "4040",
                "--address-file",
                "/run/driver.address",
                "--supervisor-pid",
                "777",
                "--fresh-checkpoint")));
    assertEquals(
        new DriverOptions(Path.of("app.yaml"), 1, "127.0.0.1", 0, null, null, 0, null, false, null),
        DriverOptions.parse(List.of("--spec", "app.yaml")));
  }

  @Test
  void aDriverListensOnLoopbackUnlessItsBackendSaysOtherwise() {
    assertEquals("127.0.0.1", DriverOptions.parse(List.of("--spec", "a.yaml")).bindAddress());
    assertEquals(
        "10.0.0.7",
        DriverOptions.parse(List.of("--spec", "a.yaml", "--bind-address", "10.0.0.7"))
            .bindAddress());
  }

  @Test
  void aMissingSpecAnUnknownFlagOrABadNumberIsAUsageError() {
    assertTrue(message(List.of("--attempt", "2")).contains("needs --spec <file>"));
    assertTrue(message(List.of("--spec", "a.yaml", "--port", "1")).contains("--port"));
    assertTrue(message(List.of("--spec", "a.yaml", "--attempt", "0")).contains("from 1"));
    assertTrue(message(List.of("--spec", "a.yaml", "--http-port", "x")).contains("number"));
    assertTrue(message(List.of("--spec")).contains("--spec needs a value"));
  }

  private static String message(List<String> args) {
    return assertThrows(UsageException.class, () -> DriverOptions.parse(args)).getMessage();
  }
}
