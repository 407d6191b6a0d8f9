package dev.millrace.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the Prometheus text format the way a test needs it: one sample's value by name and labels,
 * and the verdict of Prometheus's own {@code promtool check metrics}, the strict parser and linter
 * ({@code .ci/run} installs it with the Debian package {@code prometheus}).
 */
public final class TestingMetricsText {
  private TestingMetricsText() {}

  /**
   * The value of the one sample of {@code text} named {@code name} whose labels include {@code
   * labels} (each {@code key="value"}).
   */
  public static double value(String text, String name, String... labels) {
    List<String> matches = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      String labelPart = line.contains("{") ? line.substring(0, line.lastIndexOf('}') + 1) : "";
      boolean all = true;
      for (String label : labels) {
        all &= labelPart.contains(label);
      }
      if (all) {
        matches.add(line);
      }
    }
    if (matches.size() != 1) {
      return fail(
          matches.size()
              + " samples of "
              + name
              + " with "
              + List.of(labels)
              + ", not 1: "
              + matches
              + "\n"
              + text);
    }
    String line = matches.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  /** Fails with promtool's words unless it accepts {@code text} without a problem. */
  public static void assertPromtoolAccepts(String text) throws IOException, InterruptedException {
    Process promtool;
    try {
      promtool =
          new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException e) {
      fail(
          "promtool, Prometheus's metrics checker, is not installed: .ci/run installs it (apt-get"
              + " install --no-install-recommends prometheus); "
              + e);
      return;
    }
    try (var in = promtool.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!promtool.waitFor(30, TimeUnit.SECONDS)) {
      promtool.destroyForcibly();
      fail("promtool check metrics did not finish within 30 s");
    }
    assertEquals(0, promtool.exitValue(), "promtool check metrics said:\n" + said + "\n" + text);
    assertEquals("", said.strip(), "promtool check metrics found problems:\n" + said);
  }
}
