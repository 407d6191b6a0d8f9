package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.launch.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A driver in this JVM, given specs it cannot run: each is refused before anything starts. */
class DriverTest {
  @TempDir Path dir;

  private TestingSpec spec() {
    return new TestingSpec("refused", dir.resolve("checkpoint").toUri().toString())
        .args(dir.resolve("in").toString(), dir.resolve("out").toString());
  }

  private String refusal(TestingSpec spec) {
    Path file = spec.writeTo(dir.resolve("spec.yaml"));
    Driver driver = new Driver(DriverOptions.parse(List.of("--spec", file.toString())));
    return assertThrows(DriverConfigurationException.class, driver::run).getMessage();
  }

  @Test
  void aMainClassThatIsNotThereIsRefusedNamingWhatToCheck() {
    String message = refusal(spec().mainClass("com.example.Missing"));
    assertTrue(
        message.contains("main class com.example.Missing is not in the driver's class path")
            && message.contains("spec.application.mainClass"),
        message);
  }

  @Test
  void aMainClassThatIsNoStreamingApplicationIsRefusedSayingWhatToImplement() {
    String message = refusal(spec().mainClass("java.util.ArrayList"));
    assertTrue(
        message.contains(
            "java.util.ArrayList does not implement dev.millrace.streaming.StreamingApplication"),
        message);
  }

  @Test
  void aJarThatIsMissingOrNoJarIsNamedByItsUri() throws Exception {
    String missing = dir.resolve("nowhere/app.jar").toUri().toString();
    String message = refusal(spec().jar(missing));
    assertTrue(message.contains("application jar " + missing + " is not a readable file"), message);

    Path text = Files.writeString(dir.resolve("notes.jar"), "not a jar");
    message = refusal(spec().jar("local://" + text));
    assertTrue(
        message.contains("application jar local://" + text + " cannot be read as a jar"), message);
  }

  @Test
  void aMisspeltEngineSettingIsRefusedNamingTheKey() {
    String message = refusal(spec().conf("millrace.checkpoint.intervall", "5s"));
    assertTrue(
        message.contains("millrace.checkpoint.intervall is not a Millrace setting"), message);
  }

  @Test
  void anInvalidValueOfAnEngineSettingIsRefusedNamingTheKey() {
    String message = refusal(spec().conf("millrace.file.max-files-per-batch", "lots"));
    assertTrue(message.contains("millrace.file.max-files-per-batch=lots"), message);
  }

  @Test
  void argumentsTheApplicationRefusesAreABadConfiguration() {
    String message = refusal(spec().args("third"));
    assertTrue(message.contains("arguments: input-dir output-dir"), message);
  }

  @Test
  void anExceptionTheApplicationThrowsInDefineIsItsFailureNotABadConfiguration() throws Exception {
    for (String mode : List.of("unreachable", "refused")) {
      Path file =
          new TestingSpec("failing", dir.resolve("checkpoint").toUri().toString())
              .mainClass(TestingFailingDefinitionApplication.class.getName())
              .args(mode)
              .writeTo(dir.resolve(mode + ".yaml"));

      ExitCode exit = new Driver(DriverOptions.parse(List.of("--spec", file.toString()))).run();

      assertEquals(ExitCode.APPLICATION_FAILURE, exit, mode);
    }
  }

  @Test
  void anArgumentTheEngineRefusesInDefineIsABadConfiguration() {
    String message =
        refusal(
            new TestingSpec("refused", dir.resolve("checkpoint").toUri().toString())
                .mainClass(TestingFailingDefinitionApplication.class.getName())
                .args("bad-window"));
    assertTrue(message.contains("the window length 300 ms"), message);
  }

  @Test
  void aSpecFileThatIsNotThereOrNoStreamingAppIsRefused() throws Exception {
    Driver absent =
        new Driver(DriverOptions.parse(List.of("--spec", dir.resolve("absent.yaml").toString())));
    String message = assertThrows(DriverConfigurationException.class, absent::run).getMessage();
    assertTrue(message.contains("absent.yaml does not exist"), message);

    Path other = Files.writeString(dir.resolve("other.yaml"), "kind: StreamingApp\nspek: {}\n");
    Driver wrong = new Driver(DriverOptions.parse(List.of("--spec", other.toString())));
    message = assertThrows(DriverConfigurationException.class, wrong::run).getMessage();
    assertTrue(message.contains("spek: unknown field; did you mean spec?"), message);
  }
}
