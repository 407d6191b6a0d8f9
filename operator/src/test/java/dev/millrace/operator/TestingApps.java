package dev.millrace.operator;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.validation.StreamingAppFiles;

/** StreamingApps for tests: valid for Kubernetes, with short backoffs so restarts come quickly. */
public final class TestingApps {
  /** The namespace tests use. */
  public static final String NAMESPACE = "apps";

  private TestingApps() {}

  /** A valid app {@code name} with {@code executors} executors. */
  public static StreamingApp app(String name, int executors) {
    StreamingApp app =
        StreamingAppFiles.parse(
            """
            apiVersion: millrace.dev/v1alpha1
            kind: StreamingApp
            metadata:
              name: %s
              namespace: %s
            spec:
              image: example.com/word-count:1
              application:
                mainClass: com.example.WordCount
                jars: [local:///opt/app/word-count.jar]
              batchInterval: 1s
              checkpoint:
                dir: hdfs://namenode:8020/checkpoints/%s
              executor:
                instances: %d
              restartPolicy:
                type: Always
                maxRestarts: 3
                window: 10m
                backoff: {initial: 200ms, max: 1s, multiplier: 2.0}
              gracefulStopTimeout: 2s
            """
                .formatted(name, NAMESPACE, name, executors),
            name + ".yaml");
    return app;
  }
}
