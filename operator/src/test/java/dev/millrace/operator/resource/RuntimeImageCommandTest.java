package dev.millrace.operator.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime image's {@code millrace} command ({@code docker/millrace}) run by {@code sh}, with a
 * {@code java} on the {@code PATH} that prints the arguments it was given: the heap the operator
 * puts in {@link LaunchContract#HEAP_VARIABLE} reaches the JVM.
 */
@Tag("process")
class RuntimeImageCommandTest {
  private static final Path SCRIPT = Path.of("../docker/millrace");

  @TempDir Path bin;

  @Test
  void theOperatorsHeapVariableBecomesTheJvmsMaximumHeap() throws Exception {
    List<String> java = run(Map.of(LaunchContract.HEAP_VARIABLE, "640m"));

    assertEquals("-Xmx640m", java.get(0), java.toString());
    assertEquals(
        List.of("dev.millrace.runtime.cli.Millrace", "driver", "--spec", "/etc/millrace/app.yaml"),
        java.subList(java.size() - 4, java.size()));
    assertTrue(java.stream().noneMatch(a -> a.startsWith("-XX:MaxRAMPercentage")), java.toString());
  }

  @Test
  void withoutTheVariableTheHeapIsThreeQuartersOfTheContainer() throws Exception {
    List<String> java = run(Map.of());

    assertEquals("-XX:MaxRAMPercentage=75", java.get(0), java.toString());
  }

  @Test
  void optionsOfTheUserComeAfterTheHeapSoThatTheirOwnHeapWins() throws Exception {
    List<String> java =
        run(Map.of(LaunchContract.HEAP_VARIABLE, "640m", "MILLRACE_JAVA_OPTS", "-Xmx1g -Dx=y"));

    assertEquals(List.of("-Xmx640m", "-Xmx1g", "-Dx=y"), java.subList(0, 3));
  }

  /** The arguments the script hands {@code java} for {@code millrace driver --spec …}. */
  private List<String> run(Map<String, String> env) throws IOException, InterruptedException {
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder builder =
        new ProcessBuilder(
                "sh",
                SCRIPT.toString(),
                "driver",
                "--spec",
                LaunchContract.SPEC_DIRECTORY + "/app.yaml")
            .redirectErrorStream(true);
    builder.environment().remove(LaunchContract.HEAP_VARIABLE);
    builder.environment().remove("MILLRACE_JAVA_OPTS");
    builder.environment().put("PATH", bin + ":/usr/bin:/bin");
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), out);
    List<String> args = out.lines().toList();
    // The class path the image's jars are on, then the main class and its arguments.
    assertTrue(args.contains("/opt/millrace/lib/*"), out);
    return args;
  }
}
