package dev.millrace.runtime.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.cli.UsageException;
import java.util.List;
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
  void aSupervisorPidThatIsNoProcessIdIsAUsageError() {
    String message =
        assertThrows(
                UsageException.class,
                () -> ExecutorOptions.parse(concat(REQUIRED, List.of("--supervisor-pid", "0"))))
            .getMessage();
    assertTrue(message.contains("--supervisor-pid cannot take '0'"), message);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
