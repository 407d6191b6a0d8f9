package dev.millrace.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's own refusals, which need no cluster. */
class YarnCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return YarnCli.run(
        List.of(args),
        new YarnConfiguration(),
        List.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void submitWithoutMasterYarnPointsToMillraceRun() {
    assertEquals(78, run("submit", "app.yaml"));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("millrace run app.yaml"), err::toString);
  }

  @Test
  void aStatusOfSomethingThatIsNoApplicationIdShowsWhatOneLooksLike() {
    assertEquals(78, run("status", "word-count"));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("application_1700000000000_0001"),
        err::toString);
  }

  @Test
  void aJavaHomeFlagThatIsNoAbsolutePathIsRefusedBeforeAnythingIsStaged(@TempDir Path dir)
      throws IOException {
    Path spec = dir.resolve("app.yaml");
    Files.writeString(spec, TestingSpecs.yaml());

    assertEquals(
        78,
        run(
            "submit",
            "--master",
            "yarn",
            "--java-home",
            "jdk-17",
            "--am-memory",
            "1Gi",
            "" + spec));

    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("with --java-home and --am-memory applied"), message);
    assertTrue(message.contains("spec.yarn.javaHome: jdk-17 must be an absolute path"), message);
    assertTrue(message.contains("nothing was staged"), message);
  }

  @Test
  void submitStatusAndStopPrintTheirOwnHelpWithoutACluster() {
    for (String command : List.of("submit", "status", "stop")) {
      for (String help : List.of("--help", "-h")) {
        out.reset();
        assertEquals(0, run(command, help), command + " " + help);
        assertTrue(
            out.toString(StandardCharsets.UTF_8).startsWith("usage: millrace " + command + " "),
            out::toString);
      }
    }
    out.reset();
    assertEquals(0, run("help"));
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("  stop <application id>"), out::toString);
  }

  @Test
  void anUnknownCommandIsRefusedWithTheUsage() {
    assertEquals(78, run("kill", "application_1700000000000_0001"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage:"), err::toString);
  }
}
