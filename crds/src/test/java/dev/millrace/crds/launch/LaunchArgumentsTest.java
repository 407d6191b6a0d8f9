package dev.millrace.crds.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.validation.StreamingAppFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchArgumentsTest {
  private static final StreamingApp APP =
      StreamingAppFiles.parse(
          """
          apiVersion: millrace.dev/v1alpha1
          kind: StreamingApp
          metadata:
            name: words
          spec:
            application:
              mainClass: com.example.Words
            batchInterval: 1s
            checkpoint:
              dir: /tmp/ckpt
            executor:
              instances: 2
              cores: 3
              memory: 2Gi
          """,
          "words.yaml");

  @Test
  void theDriverIsLaunchedForItsAttemptAndOnlyAStatelessStartMovesTheCheckpointAside() {
    assertEquals(
        List.of("driver", "--spec", "/etc/app.yaml", "--attempt", "4"),
        LaunchArguments.driver("/etc/app.yaml", 4, false));
    assertEquals(
        List.of("driver", "--spec", "app.yaml", "--attempt", "5", "--fresh-checkpoint"),
        LaunchArguments.driver("app.yaml", 5, true));
  }

  @Test
  void aSupervisorNamesItselfSoThatItsNextAttemptTakesTheCheckpointLeaseOver() {
    assertEquals(
        List.of(
            "driver",
            "--spec",
            "app.yaml",
            "--attempt",
            "6",
            "--supervision-id",
            "uid-1",
            "--fresh-checkpoint"),
        LaunchArguments.driver("app.yaml", 6, true, "uid-1"));
    assertEquals(
        LaunchArguments.driver("app.yaml", 6, false),
        LaunchArguments.driver("app.yaml", 6, false, null));
  }

  @Test
  void anExecutorGetsTheDriverAddressTheAppItsIdAndTheSpecsCoresAndMemory() {
    assertEquals(
        List.of(
            "executor",
            "--driver",
            "10.0.0.5:7077",
            "--app",
            "words",
            "--spec",
            "app.yaml",
            "--id",
            "exec-2",
            "--cores",
            "3",
            "--memory",
            "2Gi"),
        LaunchArguments.executor(APP, "exec-2", "10.0.0.5:7077", "app.yaml"));
  }
}
