package dev.millrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator benchmark end to end with tiny numbers, on the operator jar this build packaged:
 * every figure is produced and well formed. No timing is asserted.
 */
class OperatorLatencyTest {
  @Test
  void tinyRunProducesEveryFigureAndTheReport(@TempDir Path dir) throws Exception {
    Path operator = Path.of("..", "operator", "target").toAbsolutePath().normalize();
    String classpath =
        operator.resolve("millrace-operator.jar") + ":" + operator.resolve("lib") + "/*";
    // Packaged by the operator module's package phase; `mvn test` alone does not get that far.
    assumeTrue(
        Files.exists(operator.resolve("millrace-operator.jar")), "the operator jar is not built");

    OperatorLatency.measure(classpath, 1, 3, 3, 2, dir, dir);

    List<String> rows =
        Files.readAllLines(dir.resolve(OperatorReport.RAW), StandardCharsets.UTF_8).stream()
            .filter(l -> !l.startsWith("#") && !l.equals(OperatorReport.COLUMNS))
            .toList();
    assertEquals(3, count(rows, "failure_to_next_pod_ms"), String.join("\n", rows));
    assertEquals(3, count(rows, "create_to_running_ms"), String.join("\n", rows));
    assertEquals(1, count(rows, "all_running_ms"), String.join("\n", rows));
    assertEquals(1, count(rows, "heap_idle_bytes"), String.join("\n", rows));
    assertEquals(1, count(rows, "heap_at_apps_bytes"), String.join("\n", rows));
    for (String row : rows) {
      String[] f = row.split(",", 4);
      double value = Double.parseDouble(f[2]);
      assertTrue(Double.isFinite(value) && value > 0, row);
      assertTrue(f[3].matches("[0-9.]+ [0-9.]+ [0-9.]+"), row);
    }
    String report = Files.readString(dir.resolve("benchmarks-operator.md"), StandardCharsets.UTF_8);
    assertTrue(report.contains("| driver failure → next driver pod, p99 | < 500 ms |"), report);
    assertTrue(!report.contains("n/a"), report);
  }

  private static long count(List<String> rows, String metric) {
    return rows.stream().filter(r -> r.split(",")[1].equals(metric)).count();
  }
}
