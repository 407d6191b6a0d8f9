package dev.millrace.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.StreamingApp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubmitOptionsTest {

  @Test
  void theFlagsOfSubmitAreRead() {
    assertEquals(
        new SubmitOptions(Path.of("app.yaml"), "streaming", "/opt/jdk-17", "1Gi", true),
        SubmitOptions.parse(
            List.of(
                "--master",
                "yarn",
                "--java-home",
                "/opt/jdk-17",
                "app.yaml",
                "--am-memory",
                "1Gi",
                "--queue",
                "streaming",
                "--wait")));
    assertEquals(
        SubmitOptions.of(Path.of("app.yaml")),
        SubmitOptions.parse(List.of("--master", "yarn", "app.yaml")));
  }

  @Test
  void theJavaHomeAndApplicationMasterMemoryFlagsReplaceTheSpecsFields() {
    StreamingApp app = TestingSpecs.app("yarn: {javaHome: /usr/lib/jvm/java-11, amMemory: 768Mi}");

    new SubmitOptions(Path.of("app.yaml"), null, "/opt/jdk-17", null, false).applyTo(app);

    assertEquals("/opt/jdk-17", app.getSpec().getYarn().getJavaHome());
    assertEquals("768Mi", app.getSpec().getYarn().getAmMemory());
  }

  @Test
  void withoutTheFlagsTheSpecIsKept() {
    StreamingApp app = TestingSpecs.app();
    SubmitOptions options = SubmitOptions.of(Path.of("app.yaml"));

    options.applyTo(app);

    assertFalse(options.overridesSpec());
    assertNull(app.getSpec().getYarn().getJavaHome());
    assertEquals("512Mi", app.getSpec().getYarn().getAmMemory());
  }

  @Test
  void aFlagWithoutItsValueOrAnUnknownOneIsRefused() {
    assertTrue(
        message("--master", "yarn", "app.yaml", "--java-home").contains("--java-home needs"));
    assertTrue(message("--master", "yarn", "--jdk", "x", "app.yaml").contains("'--jdk'"));
    assertTrue(message("--master", "yarn").contains("needs the StreamingApp spec"));
  }

  private static String message(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> SubmitOptions.parse(List.of(args)))
        .getMessage();
  }
}
