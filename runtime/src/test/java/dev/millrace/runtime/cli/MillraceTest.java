package dev.millrace.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.AppManifest;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.launch.UsageException;
import dev.millrace.streaming.Durations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MillraceTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Millrace.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsTheCommandsAndExitsZero() {
    assertEquals(0, run("help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("demo"));
  }

  @Test
  void everyCommandPrintsItsOwnHelpOnHelpOrHAndExitsZero() {
    for (String command :
        List.of(
            "run", "demo", "example", "app", "driver", "executor", "submit", "status", "stop")) {
      for (List<String> asking :
          List.of(
              List.of(command, "--help"),
              List.of(command, "-h"),
              List.of(command, "x.yaml", "--master", "local[2]", "--help"),
              List.of("help", command))) {
        out.reset();
        assertEquals(0, run(asking.toArray(String[]::new)), asking + ": " + err());
        assertTrue(
            out.toString(StandardCharsets.UTF_8).startsWith("usage: millrace " + command + " "),
            asking + ": " + out.toString(StandardCharsets.UTF_8));
      }
    }
    assertEquals(78, run("help", "frobnicate"));
    assertTrue(err().contains("unknown command 'frobnicate'"), err());
  }

  @Test
  void helpListsEveryCommandTheYarnOnesToo() {
    assertEquals(0, run("-h"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String command :
        List.of(
            "run", "demo", "example", "app", "driver", "executor", "submit", "status", "stop")) {
      assertTrue(help.contains("\n  " + command + " "), command + " is not listed:\n" + help);
    }
    assertTrue(help.contains("75 checkpoint held by another driver"), help);
  }

  @Test
  void helpAfterADoubleDashIsTheApplicationsArgument() {
    assertEquals(1, run("app", TestingUnreachableApplication.class.getName(), "--", "--help"));
    assertTrue(err().contains("cannot reach the config service"), err());
  }

  @Test
  void theYarnCommandsRunByTheLauncherSayHowToReachThem() {
    assertEquals(78, run("submit", "--master", "yarn", "app.yaml"));
    assertTrue(err().contains("run 'bin/millrace submit --help'"), err());
  }

  @Test
  void noCommandOrAnUnknownOneIsABadConfiguration() {
    assertEquals(78, run());
    assertEquals(78, run("frobnicate"));
    assertTrue(err().contains("unknown command 'frobnicate'"), err());
  }

  @Test
  void aMissingApplicationClassSaysHowToPutItOnTheClasspath() {
    assertEquals(78, run("app", "com.example.Missing"));
    assertTrue(err().contains("com.example.Missing is not on the classpath"), err());
  }

  @Test
  void aDriverWhoseSpecCannotRunIsABadConfiguration(@TempDir Path dir) {
    Path spec = dir.resolve("absent.yaml");
    assertEquals(78, run("driver", "--spec", spec.toString()));
    assertTrue(err().contains("millrace: spec file " + spec + " does not exist"), err());
    assertEquals(78, run("driver"));
    assertTrue(err().contains("driver needs --spec <file>"), err());
  }

  @Test
  void runTakesTheAddressItsDriverListensOnAndSaysWhatOneLooksLike() {
    assertEquals(78, run("run", "app.yaml", "--bind-address"));
    assertTrue(err().contains("--bind-address needs an address"), err());
    assertEquals(78, run("run", "app.yaml", "--bind"));
    assertTrue(err().contains("[--bind-address A]"), err());
  }

  @Test
  void aDriverWhoseBindAddressIsNoAddressIsABadConfiguration(@TempDir Path dir)
      throws java.io.IOException {
    Path spec = dir.resolve("app.yaml");
    java.nio.file.Files.writeString(
        spec,
        """
        apiVersion: millrace.dev/v1alpha1
        kind: StreamingApp
        metadata: {name: lines}
        spec:
          application: {mainClass: a.B}
          batchInterval: 1s
          checkpoint: {dir: %s}
        """
            .formatted(dir.resolve("checkpoint")));
    assertEquals(
        78, run("driver", "--spec", spec.toString(), "--bind-address", "no-such-host.invalid"));
    assertTrue(err().contains("--bind-address no-such-host.invalid is not an address"), err());
  }

  @Test
  void anApplicationFromTheUsersOwnJarRunsWithItsClassesFromTheJar(@TempDir Path dir)
      throws Exception {
    Path jar =
        dev.millrace.runtime.driver.TestingJar.compiled(
            dir.resolve("my-app.jar"),
            "com.example.JarApp",
            """
            package com.example;

            import dev.millrace.streaming.StreamingApplication;
            import dev.millrace.streaming.StreamingContext;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.List;
            import java.util.concurrent.ConcurrentLinkedQueue;

            public final class JarApp implements StreamingApplication {
              /** A record class of the jar, which the batch's records are made of. */
              public record Word(String text) {}

              @Override
              public void define(StreamingContext ssc, String[] args) {
                ConcurrentLinkedQueue<List<String>> queue = new ConcurrentLinkedQueue<>();
                queue.add(List.of("from", "my", "jar"));
                ssc.queueStream(queue)
                    .map(Word::new)
                    .foreachBatch(
                        batch -> {
                          if (batch.count() == 0) {
                            return;
                          }
                          try {
                            Files.writeString(
                                Path.of(args[0]),
                                batch.count()
                                    + " words defined by "
                                    + JarApp.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation());
                          } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                          }
                          new Thread(() -> ssc.stop(true)).start();
                        });
              }
            }
            """);
    Path marker = dir.resolve("ran");

    int code =
        run(
            "app",
            "--jars",
            jar.toString(),
            "com.example.JarApp",
            "--batch-interval",
            "100ms",
            "--",
            marker.toString());

    assertEquals(0, code, err());
    assertEquals("3 words defined by " + jar.toUri().toURL(), Files.readString(marker));
    assertEquals(
        78, run("app", "com.example.JarApp"), "without --jars the class is on no class path");
    assertTrue(err().contains("give your own application's jars with --jars"), err());
  }

  @Test
  void aJarOfTheApplicationThatIsNotThereIsRefusedNamingItBeforeAnythingRuns() {
    assertEquals(
        78,
        run("app", "--jars", "build/missing.jar,other.jar", TestingApplication.class.getName()));
    assertTrue(
        err()
            .contains(
                "--jars: build/missing.jar is not a file (looked for "
                    + Path.of("build/missing.jar").toAbsolutePath()
                    + ")"),
        err());
    assertEquals(78, run("app", TestingApplication.class.getName(), "--jars", "my.jar"));
    assertTrue(err().contains("--jars goes before the class name"), err());
  }

  @Test
  void aClassThatIsNoApplicationIsRefused() {
    assertEquals(78, run("app", "java.util.ArrayList"));
    assertTrue(err().contains("neither a StreamingApplication nor a class with a main"), err());
  }

  @Test
  void runOptionsReadMasterIntervalConfAndApplicationArguments() {
    RunOptions o =
        RunOptions.parse(
            List.of(
                "--master",
                "local[4]",
                "--batch-interval",
                "250ms",
                "--conf",
                "a.b=c=d",
                "x",
                "--",
                "--y"));
    assertEquals("local[4]", o.master());
    assertEquals(Durations.milliseconds(250), o.batchInterval());
    assertEquals(Map.of("a.b", "c=d"), o.conf());
    assertEquals(List.of("x", "--y"), o.appArgs());
    UsageException e =
        assertThrows(UsageException.class, () -> RunOptions.parse(List.of("--conf", "novalue")));
    assertTrue(e.getMessage().contains("key=value"), e.getMessage());
    assertThrows(UsageException.class, () -> RunOptions.parse(List.of("--bogus")));
    assertThrows(
        IllegalArgumentException.class,
        () -> RunOptions.parse(List.of("--batch-interval", "fast")));
  }

  @Test
  void anExceptionFromAnApplicationsDefineIsAFailureWithItsStackTraceNotABadConfiguration() {
    assertEquals(1, run("app", TestingUnreachableApplication.class.getName()));
    assertTrue(
        err().contains("millrace: app failed: java.lang.IllegalStateException: cannot reach"),
        err());
    assertTrue(
        err().contains("\tat " + TestingUnreachableApplication.class.getName() + ".define("),
        err());
  }

  @Test
  void aConfigurationExceptionFromAnApplicationsDefineIsABadConfiguration() {
    assertEquals(78, run("app", TestingRefusingApplication.class.getName()));
    assertTrue(err().contains("millrace: usage: TestingRefusingApplication <port>"), err());
  }

  @Test
  void anInvalidMasterForAnApplicationIsABadConfiguration() {
    assertEquals(78, run("app", TestingApplication.class.getName(), "--master", "yarn"));
    assertTrue(err().contains("master 'yarn' is not supported"), err());
  }

  @Test
  void anApplicationWhoseCheckpointAnotherGraphWroteExitsWithCode65(@TempDir Path dir) {
    CheckpointStore store = new CheckpointStore(dir.toString(), new Configuration(), 1);
    store.writeAppManifest(
        new AppManifest(
            1,
            "TestingApplication",
            1000,
            0,
            List.of("input queueStream", "state updateStateByKey")));
    store.writeGeneration(0, Map.of());

    int code =
        run(
            "app",
            TestingApplication.class.getName(),
            "--batch-interval",
            "1s",
            "--conf",
            "millrace.checkpoint.dir=" + dir);

    assertEquals(65, code);
  }

  /** An application whose configuration service is down. */
  public static final class TestingUnreachableApplication
      implements dev.millrace.streaming.StreamingApplication {
    @Override
    public void define(dev.millrace.streaming.StreamingContext ssc, String[] args) {
      throw new IllegalStateException("cannot reach the config service");
    }
  }

  /** An application that refuses its arguments as a bad configuration. */
  public static final class TestingRefusingApplication
      implements dev.millrace.streaming.StreamingApplication {
    @Override
    public void define(dev.millrace.streaming.StreamingContext ssc, String[] args) {
      throw new dev.millrace.streaming.ConfigurationException(
          "usage: TestingRefusingApplication <port>");
    }
  }

  /** A valid application for the CLI to load. */
  public static final class TestingApplication
      implements dev.millrace.streaming.StreamingApplication {
    @Override
    public void define(dev.millrace.streaming.StreamingContext ssc, String[] args) {
      ssc.queueStream(new java.util.concurrent.ConcurrentLinkedQueue<java.util.List<String>>())
          .print();
    }
  }
}
