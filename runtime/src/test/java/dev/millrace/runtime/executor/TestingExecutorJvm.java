package dev.millrace.runtime.executor;

import dev.millrace.runtime.cli.Millrace;
import dev.millrace.streaming.TestingJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code millrace executor <args>} in a JVM of its own on this test's class path. */
public final class TestingExecutorJvm {
  private TestingExecutorJvm() {}

  /** Starts {@code millrace executor args}, its output and errors going to {@code log}. */
  public static Process start(Path log, String... args) throws IOException {
    return start(log, Map.of(), args);
  }

  /** Starts {@code millrace executor args} with {@code env} added to its environment. */
  public static Process start(Path log, Map<String, String> env, String... args)
      throws IOException {
    List<String> command =
        TestingJvm.command(System.getProperty("java.class.path"), Millrace.class);
    command.add("executor");
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }
}
