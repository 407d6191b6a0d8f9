package dev.millrace.runtime.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A StreamingApp YAML file for the driver tests: the fields they vary, sensible values for the
 * rest.
 */
public final class TestingSpec {
  private final String name;
  private final String checkpointDir;
  private String mainClass = TestingLinesApplication.class.getName();
  private String batchInterval = "200ms";
  private String checkpointInterval = "600ms";
  private int executors;
  private final List<String> jars = new ArrayList<>();
  private final List<String> args = new ArrayList<>();
  private final Map<String, String> conf = new LinkedHashMap<>();

  /** An application {@code name} checkpointing to {@code checkpointDir}. */
  public TestingSpec(String name, String checkpointDir) {
    this.name = name;
    this.checkpointDir = checkpointDir;
  }

  public TestingSpec mainClass(String mainClass) {
    this.mainClass = mainClass;
    return this;
  }

  TestingSpec jar(String uri) {
    jars.add(uri);
    return this;
  }

  public TestingSpec args(String... values) {
    args.addAll(List.of(values));
    return this;
  }

  public TestingSpec conf(String key, String value) {
    conf.put(key, value);
    return this;
  }

  public TestingSpec executors(int instances) {
    this.executors = instances;
    return this;
  }

  public TestingSpec batchInterval(String interval) {
    this.batchInterval = interval;
    return this;
  }

  public TestingSpec checkpointInterval(String interval) {
    this.checkpointInterval = interval;
    return this;
  }

  /** Writes the spec to {@code file} and returns it. */
  public Path writeTo(Path file) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("apiVersion: millrace.dev/v1alpha1\n")
        .append("kind: StreamingApp\n")
        .append("metadata:\n")
        .append("  name: ")
        .append(name)
        .append('\n')
        .append("spec:\n")
        .append("  batchInterval: ")
        .append(batchInterval)
        .append('\n')
        .append("  gracefulStopTimeout: 20s\n")
        .append("  driver:\n    cores: 2\n")
        .append("  executor:\n    instances: ")
        .append(executors)
        .append('\n')
        .append("  checkpoint:\n")
        .append("    dir: ")
        .append(quoted(checkpointDir))
        .append("\n    interval: ")
        .append(checkpointInterval)
        .append("\n    retain: 3\n")
        .append("  application:\n")
        .append("    mainClass: ")
        .append(mainClass)
        .append('\n');
    list(yaml, "jars", jars);
    list(yaml, "args", args);
    yaml.append("    conf:");
    yaml.append(conf.isEmpty() ? " {}\n" : "\n");
    conf.forEach(
        (k, v) -> yaml.append("      ").append(k).append(": ").append(quoted(v)).append('\n'));
    try {
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void list(StringBuilder yaml, String field, List<String> values) {
    yaml.append("    ").append(field).append(":");
    yaml.append(values.isEmpty() ? " []\n" : "\n");
    values.forEach(v -> yaml.append("      - ").append(quoted(v)).append('\n'));
  }

  private static String quoted(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
