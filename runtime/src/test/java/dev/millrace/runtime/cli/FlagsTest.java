package dev.millrace.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.launch.LaunchArguments;
import dev.millrace.runtime.driver.DriverOptions;
import dev.millrace.runtime.executor.ExecutorOptions;
import dev.millrace.runtime.launch.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {

  @Test
  void theDriverCommandEveryBackendBuildsIsReadWithEachFlagItAppends() {
    List<String> args = new ArrayList<>(LaunchArguments.driver("/spec/app.yaml", 4, true, "uid-1"));
    args.remove(0);
    // What the local backend, the operator and the YARN driver container append.
    args.addAll(
        List.of(
            "--address-file",
            "driver-4.address",
            "--bind-address",
            "127.0.0.1",
            "--executor-port",
            "7077",
            "--supervisor-pid",
            "42",
            "--http-port",
            "4040",
            "--executor-address-file",
            "driver-executors.address",
            "--bind-address",
            "0.0.0.0"));

    DriverOptions options = DriverOptions.parse(args);

    assertEquals(
        new DriverOptions(
            Path.of("/spec/app.yaml"),
            4,
            "0.0.0.0",
            4040,
            Path.of("driver-4.address"),
            42L,
            7077,
            Path.of("driver-executors.address"),
            true,
            "uid-1"),
        options,
        "a flag given twice takes its last value, as the hand-written parsers did");
  }

  @Test
  void theExecutorCommandEveryBackendBuildsIsReadWithTheSupervisorPidTheLocalOneAppends() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--driver",
                "127.0.0.1:7077",
                "--app",
                "words",
                "--spec",
                "/spec/app.yaml",
                "--id",
                "exec-2",
                "--cores",
                "3",
                "--memory",
                "1Gi",
                "--supervisor-pid",
                "42"));

    ExecutorOptions options = ExecutorOptions.parse(args);

    assertEquals("exec-2", options.executorId());
    assertEquals(3, options.cores());
    assertEquals(1L << 30, options.memoryBytes());
    assertEquals(42L, options.supervisorPid());
    assertEquals(ExecutorOptions.DEFAULT_DRIVER_TIMEOUT, options.driverTimeout());
  }

  @Test
  void aValueAFlagCannotTakeIsRefusedNamingTheFlagTheValueAndTheRange() {
    String message =
        assertThrows(
                UsageException.class,
                () -> DriverOptions.parse(List.of("--spec", "a.yaml", "--executor-port", "70000")))
            .getMessage();

    assertEquals("--executor-port cannot take '70000': must be from 0 to 65535", message);
  }

  @Test
  void anUnknownFlagIsRefusedWithTheCommandsSynopsisAndWhereItsHelpIs() {
    String message =
        assertThrows(
                UsageException.class,
                () ->
                    ExecutorOptions.parse(List.of("--app", "a", "--driver", "h:1", "--core", "2")))
            .getMessage();

    assertTrue(
        message.startsWith("unknown option '--core' for executor; usage: millrace executor"),
        message);
    assertTrue(message.contains("[--cores N]"), message);
    assertTrue(message.contains("millrace executor --help says what each does"), message);
  }

  @Test
  void aValueMayBeAttachedToItsFlag() {
    assertEquals(Path.of("app.yaml"), DriverOptions.parse(List.of("--spec=app.yaml")).spec());
  }

  @Test
  void eachCommandsHelpListsEveryFlagItsSynopsisNames() {
    for (Subcommand command : Subcommand.values()) {
      String help = command.help();
      String synopsis = help.lines().findFirst().orElseThrow();
      assertTrue(synopsis.startsWith("usage: millrace " + command.command()), synopsis);
      for (String word : help.split("\\s+")) {
        String flag = word.replaceAll("[\\[\\]]", "");
        if (flag.startsWith("--")
            && flag.length() > 2
            && help.indexOf(word) < help.indexOf("\n  ")) {
          assertTrue(
              help.contains("\n      " + flag + " ") || help.contains("\n      " + flag + "\n"),
              command + "'s help names " + flag + " but does not say what it does:\n" + help);
        }
      }
    }
  }

  @Test
  void theDemoRefusesTooFewFilesBeforeItStarts() {
    assertEquals(24, DemoFlags.files(List.of()));
    assertEquals(8, DemoFlags.files(List.of("--files", "8")));
    String message =
        assertThrows(UsageException.class, () -> DemoFlags.files(List.of("--files", "3")))
            .getMessage();
    assertEquals("--files cannot take '3': must be at least 6", message);
  }
}
