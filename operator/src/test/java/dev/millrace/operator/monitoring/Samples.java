package dev.millrace.operator.monitoring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

/** The samples of a Prometheus text exposition, keyed by name and labels as written. */
final class Samples {
  private final Map<String, Double> values = new LinkedHashMap<>();

  Samples(String exposition) {
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
  }

  /** The value of {@code series}, e.g. {@code millrace_operator_apps{phase="Running"}}. */
  double get(String series) {
    assertTrue(values.containsKey(series), () -> "no sample " + series + " in " + values.keySet());
    return values.get(series);
  }
}
