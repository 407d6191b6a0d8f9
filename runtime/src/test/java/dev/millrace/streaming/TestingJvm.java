package dev.millrace.streaming;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a JVM the tests start as a real process, with the current {@code java}. */
public final class TestingJvm {
  private TestingJvm() {}

  /** {@code java ... -cp classPath mainClass}, to which the caller adds the arguments. */
  public static List<String> command(String classPath, Class<?> mainClass) {
    return command(classPath, mainClass, List.of());
  }

  /** As {@link #command(String, Class)}, with {@code jvmOptions} (e.g. {@code -Xmx128m}) too. */
  public static List<String> command(
      String classPath, Class<?> mainClass, List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // A short-lived JVM on a 2-core machine: start fast rather than compile well.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-Dmillrace.test.log.level=info");
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass.getName());
    return command;
  }
}
