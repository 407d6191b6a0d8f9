package dev.millrace.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The JVM each measurement runs in, the same for every engine and suite: 2 GB of heap, the opens
 * Spark needs on Java 17 ({@link Suite#ADD_OPENS}), Log4j at WARN where no configuration is found
 * (Millrace's; Spark's JVM configures its own); its errors appended to a log file, its figures read
 * from its standard output.
 */
public final class MeasuredJvm {
  private static final long LIMIT_MINUTES = 6;

  private MeasuredJvm() {}

  /** The command running {@code main} with {@code args} on {@code classpath}. */
  public static List<String> command(
      String classpath, List<String> jvmOptions, String main, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms2g");
    command.add("-Xmx2g");
    for (String open : Suite.ADD_OPENS) {
      command.add("--add-opens=" + open + "=ALL-UNNAMED");
    }
    command.add("-Dlog4j2.level=WARN");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(main);
    command.addAll(args);
    return command;
  }

  /** Starts {@code command}, its standard error appended to {@code errors}. */
  public static Process start(List<String> command, Path errors) throws IOException {
    return new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()))
        .start();
  }

  /**
   * Runs {@code command} to its end and returns the lines it printed, then {@code failed,timeout}
   * if it ran past 6 minutes or {@code failed,exit N} if it exited with N.
   */
  public static List<String> run(List<String> command, Path errors)
      throws IOException, InterruptedException {
    return run(command, errors, LIMIT_MINUTES, line -> {});
  }

  /**
   * As {@link #run(List, Path)}, with a limit of {@code limitMinutes}, each line handed to {@code
   * eachLine} as it comes.
   */
  public static List<String> run(
      List<String> command, Path errors, long limitMinutes, Consumer<String> eachLine)
      throws IOException, InterruptedException {
    Process process = start(command, errors);
    process.getOutputStream().close();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        lines.add(line);
        eachLine.accept(line);
      }
    }
    if (!process.waitFor(limitMinutes, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      lines.add("failed,timeout");
    } else if (process.exitValue() != 0) {
      lines.add("failed,exit " + process.exitValue());
    }
    return lines;
  }
}
