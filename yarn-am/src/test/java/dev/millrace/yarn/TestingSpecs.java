package dev.millrace.yarn;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.validation.StreamingAppFiles;

/** Small StreamingApp specs for the tests that build launches and options without a cluster. */
final class TestingSpecs {
  private TestingSpecs() {}

  /**
   * The YAML of application {@code clicks} (main class {@code a.B}, 1 s batches, a checkpoint on
   * HDFS) with {@code specFields} added under {@code spec:}, e.g. {@code "executor: {instances:
   * 2}"}.
   */
  static String yaml(String... specFields) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: millrace.dev/v1alpha1
            kind: StreamingApp
            metadata: {name: clicks}
            spec:
              application: {mainClass: a.B}
              batchInterval: 1s
              checkpoint: {dir: hdfs://nn:8020/ckpt}
            """);
    for (String field : specFields) {
      yaml.append("  ").append(field).append('\n');
    }
    return yaml.toString();
  }

  /** The application of {@link #yaml}. */
  static StreamingApp app(String... specFields) {
    return StreamingAppFiles.parse(yaml(specFields), "test");
  }
}
