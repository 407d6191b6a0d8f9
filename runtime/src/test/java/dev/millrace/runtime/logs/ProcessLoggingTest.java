package dev.millrace.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.runtime.driver.TestingJar;
import dev.millrace.streaming.TestingJvm;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Millrace's logging in real processes ({@link TestingLoggingProcess}) on the class path the
 * distributions ship: the runtime's runtime dependencies, Log4j with its one slf4j provider.
 */
class ProcessLoggingTest {
  private static final long TIMEOUT_SECONDS = 60;

  // "2026-12-07 14:25:09.548 [main] INFO dev.millrace.testing.Lines - line 3 of a log that rolls"
  private static final Pattern LOG_LINE =
      Pattern.compile(
          "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[[^]]+] [A-Z]+ \\S+ - .*");

  // What Log4j says of itself: "2026-12-07T20:49:00.206783502Z main ERROR Could not create …".
  private static final Pattern LOG4J_STATUS =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\S+Z \\S+ (ERROR|WARN|FATAL) ");

  @TempDir Path work;

  @Test
  void aLogFileRollsAtItsLimitsKeepsTheNewestFilesAndContinuesItsNumbersAfterARestart()
      throws Exception {
    Path log = work.resolve("logs/driver-1.log");
    Map<String, String> env = Map.of("MILLRACE_LOG_FILE_SIZE", "1Ki", "MILLRACE_LOG_FILES", "2");
    run(env, "60", log.toString());
    List<String> first = rolled(log);
    assertEquals(2, first.size(), "two rolled files kept: " + names(log));
    for (String name : first) {
      assertTrue(name.matches(LogLimits.ROLLED_PATTERN), name + " is uploaded by YARN");
      assertTrue(name.matches("driver-1\\.log\\.\\d{5}"), name);
      long size = Files.size(log.resolveSibling(name));
      assertTrue(size > 1024 - 200 && size <= 1024, name + " rolled before passing 1 KiB: " + size);
      List<String> lines = Files.readAllLines(log.resolveSibling(name));
      assertTrue(LOG_LINE.matcher(lines.get(0)).matches(), name + " starts with a whole line");
      for (String line : lines) {
        assertTrue(
            !line.contains("of a log that rolls") || LOG_LINE.matcher(line).matches(),
            "a line is never split between files: " + line);
      }
    }

    run(env, "60", log.toString());
    List<String> second = rolled(log);
    assertEquals(2, second.size(), "two rolled files kept: " + names(log));
    assertTrue(
        number(second.get(0)) > number(first.get(1)),
        "a restarted process never reuses a rolled file's name: " + first + " then " + second);
    assertTrue(
        Files.readString(log).contains("crashes on purpose"), "the newest lines stay in the log");
  }

  @Test
  void whatTheProgramPrintsAndAnUncaughtExceptionGoIntoTheLogFileAsPrinted() throws Exception {
    Path log = work.resolve("driver-1.log");
    Output output = run(Map.of(), "1", log.toString());

    List<String> lines = Files.readAllLines(log);
    assertTrue(lines.contains("printed by the program"), lines.toString());
    assertTrue(lines.contains("printed to standard error"), lines.toString());
    assertTrue(
        lines.contains(
            "Exception in thread \"main\" java.lang.IllegalStateException: crashes on purpose"),
        "a crash's stack trace, as the JVM prints it: " + lines);
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    LOG_LINE.matcher(l).matches()
                        && l.endsWith(
                            " WARN "
                                + TestingLoggingProcess.LINES
                                + " - a warning with its cause")),
        lines.toString());
    assertTrue(
        lines.contains("java.lang.IllegalStateException: broken on purpose"),
        "a logged exception's stack trace follows its line: " + lines);
    assertEquals("", output.text(), "nothing left for the process's own output");
  }

  @Test
  void onYarnWhatSystemOutPrintsHasAFileOfItsOwn() throws Exception {
    Path stderr = work.resolve("stderr.log");
    Path stdout = work.resolve("stdout.log");
    run(Map.of(), "1", stderr.toString(), stdout.toString());

    assertEquals(List.of("printed by the program"), Files.readAllLines(stdout));
    String log = Files.readString(stderr);
    assertTrue(log.contains("line 0 of a log that rolls"), log);
    assertTrue(log.contains("printed to standard error"), log);
    assertFalse(log.contains("printed by the program"), log);
  }

  @Test
  void theConsoleGetsTextLinesWithTheLevelAndTheWholeLoggerName() throws Exception {
    String text = run(Map.of(), "1").text();

    assertTrue(
        text.lines()
            .anyMatch(
                l ->
                    LOG_LINE.matcher(l).matches()
                        && l.contains(
                            "[main] INFO " + TestingLoggingProcess.LINES + " - line 0 of a log")),
        text);
    assertNoWarningFromLogging(text);
  }

  @Test
  void jsonLinesAreOneObjectEachWithTimeLevelLoggerThreadMessageExceptionAndApp() throws Exception {
    String text = run(Map.of("MILLRACE_LOG_FORMAT", "json", "MILLRACE_APP", "orders"), "1").text();

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : text.lines().toList()) {
      if (line.startsWith("{")) {
        events.add(json.readTree(line));
      }
    }
    JsonNode warning =
        events.stream()
            .filter(e -> e.path("message").asText().equals("a warning with its cause"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no JSON line of the warning in " + text));
    assertEquals("WARN", warning.path("level").asText());
    assertEquals(TestingLoggingProcess.LINES, warning.path("logger").asText());
    assertEquals("main", warning.path("thread").asText());
    assertEquals("orders", warning.path("app").asText());
    assertTrue(
        warning
            .path("time")
            .asText()
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
        warning.toString());
    assertTrue(
        warning
            .path("exception")
            .asText()
            .startsWith("java.lang.IllegalStateException: broken on purpose"),
        warning.toString());
    JsonNode info =
        events.stream()
            .filter(e -> e.path("message").asText().equals("line 0 of a log that rolls"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no JSON line of line 0 in " + text));
    assertEquals("INFO", info.path("level").asText());
    assertFalse(info.has("exception"), "no exception field without one: " + info);
    assertNoWarningFromLogging(text);

    String withoutApp = run(Map.of("MILLRACE_LOG_FORMAT", "json"), "1").text();
    String first = withoutApp.lines().findFirst().orElseThrow();
    assertEquals("line 0 of a log that rolls", json.readTree(first).path("message").asText());
    assertFalse(json.readTree(first).has("app"), "no app field where none is named: " + first);
    assertNoWarningFromLogging(withoutApp);
  }

  @Test
  void theEnvironmentsLevelsWinPerLoggerOverTheConfigurations() throws Exception {
    String defaults = run(Map.of(), "1").text();
    assertFalse(defaults.contains("a debug line of the chatty logger"), defaults);
    assertTrue(defaults.contains("an info line of the quiet logger"), defaults);

    String set =
        run(
                Map.of(
                    "MILLRACE_LOG_LEVELS",
                    "dev.millrace.testing.Chatty=debug, dev.millrace.testing.Quiet=WARN"),
                "1")
            .text();
    assertTrue(set.contains("DEBUG " + TestingLoggingProcess.CHATTY + " - a debug line"), set);
    assertFalse(set.contains("an info line of the quiet logger"), set);
    assertTrue(set.contains("line 0 of a log that rolls"), "other loggers keep theirs: " + set);
  }

  @Test
  void hadoopsNativeLibraryWarningIsSilencedAndItsOtherWarningsAreNot() throws Exception {
    String text = run(Map.of(), "1").text();

    assertFalse(text.contains("Unable to load native-hadoop library"), text);
    assertTrue(
        text.contains("WARN org.apache.hadoop.fs.FileSystem - another Hadoop warning"), text);
  }

  @Test
  void aConfigurationFileOfTheUsersReplacesMillracesDefault() throws Exception {
    Path own = work.resolve("own-log4j2.xml");
    Files.writeString(
        own,
        """
        <Configuration status="warn">
          <Appenders><Console name="c" target="SYSTEM_ERR"><PatternLayout pattern="OWN %m%n"/></Console></Appenders>
          <Loggers><Root level="info"><AppenderRef ref="c"/></Root></Loggers>
        </Configuration>
        """);
    String text = run(Map.of("LOG4J_CONFIGURATION_FILE", own.toString()), "1").text();

    assertTrue(text.contains("OWN line 0 of a log that rolls"), text);
    assertTrue(
        text.contains("OWN " + TestingLoggingProcess.NATIVE_WARNING),
        "the user's file decides, even what Millrace's silences: " + text);
  }

  @Test
  void theTestsClassPathHasOneSlf4jProviderToo() throws Exception {
    Output output = run(System.getProperty("java.class.path"), Map.of(), List.of("1"), List.of());
    assertTrue(output.text().contains("line 0 of a log that rolls"), output.text());
    assertNoWarningFromLogging(output.text());
  }

  private static void assertNoWarningFromLogging(String text) {
    for (String line : text.lines().toList()) {
      assertFalse(line.startsWith("SLF4J"), "slf4j found one provider without a word: " + text);
      assertFalse(
          LOG4J_STATUS.matcher(line).lookingAt() || line.contains("StatusLogger"),
          "Log4j started without a word: " + text);
    }
  }

  private record Output(int exitCode, String text) {}

  private Output run(Map<String, String> env, String... args) throws Exception {
    return run(shippedClassPath(), env, List.of(args), List.of());
  }

  private Output run(String classPath, Map<String, String> env, List<String> args, List<String> jvm)
      throws Exception {
    List<String> command = TestingJvm.command(classPath, TestingLoggingProcess.class, jvm);
    command.addAll(args);
    Path output = Files.createTempFile(work, "output", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()));
    builder.environment().keySet().removeIf(name -> name.startsWith("MILLRACE_LOG"));
    builder.environment().remove("LOG4J_CONFIGURATION_FILE");
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the process did not end: " + Files.readString(output));
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(1, process.exitValue(), "it ends with its uncaught exception: " + text);
    return new Output(process.exitValue(), text);
  }

  /** The runtime's classes and runtime dependencies as the build lists them, and this test's. */
  private static String shippedClassPath() throws IOException {
    Path runtimeClasses = TestingJar.classesDirectory(ProcessLogging.class);
    Path listed = runtimeClasses.resolveSibling("runtime-classpath.txt");
    assertTrue(Files.exists(listed), listed + " is missing; build with mvn, which writes it");
    return String.join(
        File.pathSeparator,
        TestingJar.classesDirectory(TestingLoggingProcess.class).toString(),
        runtimeClasses.toString(),
        Files.readString(listed).trim());
  }

  private static List<String> rolled(Path log) throws IOException {
    return names(log).stream().filter(n -> !n.equals(log.getFileName().toString())).toList();
  }

  private static List<String> names(Path log) throws IOException {
    try (Stream<Path> files = Files.list(log.getParent())) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static long number(String rolledName) {
    return Long.parseLong(rolledName.substring(rolledName.lastIndexOf('.') + 1));
  }
}
