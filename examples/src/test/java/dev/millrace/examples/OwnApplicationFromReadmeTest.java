package dev.millrace.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.runtime.cli.Millrace;
import dev.millrace.streaming.StreamingContext;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Writing your own application" path, built from the README's own snippets so that it
 * cannot drift: every fenced block after an {@code <!-- own-app-file: PATH -->} marker is written
 * to PATH of a new project folder, the block after {@code <!-- own-app-commands -->} is carried out
 * line by line (Maven offline, {@code mkdir}, {@code millrace run}; any other line fails the test),
 * and the application then counts the words of a file moved into its input.
 *
 * <p>The README's install step ({@code mvn … -pl runtime -am install}) is checked, not run: run
 * inside this build it would rebuild and rewrite the jars the running build and this test use. The
 * test puts what it installs, the parent pom and the crds and runtime jars and poms of this build,
 * into the local Maven repository the build uses, where the project's offline {@code mvn package}
 * then finds them. {@code <millrace>/bin/millrace run} is run as {@code bin/millrace} runs it,
 * {@code java … Millrace run}, on the class path of this build without the test classes: the script
 * itself would first build the checkout. 34-45 s on a shared, loaded 2-core box: one Maven run, one
 * {@code millrace run} with its driver.
 */
@Tag("process")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OwnApplicationFromReadmeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern MARKER = Pattern.compile("<!-- (own-app-[a-z]+)(?:: (\\S+))? -->");
  private static final Pattern COUNT = Pattern.compile("\\((.+),(\\d+)\\)");
  private static final String TEXT = "to be or not to be\nthat is the question\n";

  // Kept with the driver's log when the test fails.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path project;

  @TempDir Path packed;

  @Test
  void theReadmesOwnApplicationBuildsWithMavenAndCountsABatchUnderMillraceRun() throws Exception {
    Map<String, String> blocks = readmeBlocks();
    assertTrue(
        blocks.get("own-app-install").matches("mvn( -\\S+)* -pl runtime -am install\\s*"),
        "the install step installs the runtime and what it needs: "
            + blocks.get("own-app-install"));
    installThisBuildsRuntime();
    int files = 0;
    for (Map.Entry<String, String> block : blocks.entrySet()) {
      if (block.getKey().startsWith("own-app-file: ")) {
        Path file = project.resolve(block.getKey().substring("own-app-file: ".length()));
        Files.createDirectories(file.getParent());
        Files.writeString(file, block.getValue(), StandardCharsets.UTF_8);
        files++;
      }
    }
    assertEquals(3, files, "the pom, the class and the spec: " + blocks.keySet());

    Process run = null;
    try {
      for (String line : blocks.get("own-app-commands").strip().split("\n")) {
        List<String> words = List.of(line.strip().split("\\s+"));
        if (words.get(0).equals("mvn")) {
          maven(words.subList(1, words.size()));
        } else if (words.get(0).equals("mkdir") && words.get(1).equals("-p")) {
          for (String dir : words.subList(2, words.size())) {
            Files.createDirectories(project.resolve(dir));
          }
        } else if (words.get(0).equals("<millrace>/bin/millrace")
            && words.subList(1, words.size()).equals(List.of("run", "app.yaml"))) {
          run = millraceRun();
        } else {
          fail("the README's commands have a line this test cannot carry out: " + line);
        }
      }
      assertTrue(run != null, "the README's commands never run millrace run");
      assertTrue(Files.isRegularFile(project.resolve("target/my-app.jar")));

      // A file stream counts the files that arrive after it starts: the first (empty) batch's
      // output says it has.
      await(run, "a first batch", batch -> true);
      Path hidden = project.resolve("input/.text");
      Files.writeString(hidden, TEXT, StandardCharsets.UTF_8);
      Files.move(hidden, project.resolve("input/text.txt"), StandardCopyOption.ATOMIC_MOVE);
      Map<String, Integer> counted =
          counts(await(run, "counts", batch -> !counts(batch).isEmpty()));
      assertEquals(expectedCounts(), counted, "the counts of the batch that read the file");

      run.destroy();
      assertTrue(run.waitFor(60, TimeUnit.SECONDS), "millrace run did not stop on SIGTERM");
      assertEquals(0, run.exitValue(), log());
    } finally {
      if (run != null) {
        run.destroyForcibly();
      }
    }
  }

  /** The fenced blocks that follow each own-app marker in README.md, by marker. */
  private static Map<String, String> readmeBlocks() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    Map<String, String> blocks = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher marker = MARKER.matcher(lines.get(i).strip());
      if (!marker.matches()) {
        continue;
      }
      String name = marker.group(1) + (marker.group(2) == null ? "" : ": " + marker.group(2));
      assertTrue(lines.get(i + 1).startsWith("```"), name + " is not followed by a code block");
      StringBuilder block = new StringBuilder();
      int j = i + 2;
      while (!lines.get(j).startsWith("```")) {
        block.append(lines.get(j++)).append('\n');
      }
      assertFalse(blocks.containsKey(name), name + " appears twice");
      blocks.put(name, block.toString());
    }
    for (String required : List.of("own-app-install", "own-app-commands")) {
      assertTrue(blocks.containsKey(required), "README.md has no " + required + " block");
    }
    return blocks;
  }

  /**
   * What the README's install step puts in the local repository, taken from this build: the parent
   * pom and the crds and runtime poms and jars (jars this test runs from, or packed from the class
   * directories it runs from).
   */
  private void installThisBuildsRuntime() throws IOException, URISyntaxException {
    install("millrace-parent", ROOT.resolve("pom.xml"), null);
    install("millrace-crds", ROOT.resolve("crds/pom.xml"), jarOf(StreamingAppSpec.class));
    install("millrace-runtime", ROOT.resolve("runtime/pom.xml"), jarOf(StreamingContext.class));
  }

  private void install(String artifact, Path pom, Path jar) throws IOException {
    Path dir = repository().resolve("dev/millrace/" + artifact + "/0.1.0-SNAPSHOT");
    Files.createDirectories(dir);
    String base = artifact + "-0.1.0-SNAPSHOT";
    // Through a new file moved into place, never by rewriting one another JVM may be reading.
    copy(pom, dir.resolve(base + ".pom"));
    if (jar != null && !jar.equals(dir.resolve(base + ".jar"))) {
      copy(jar, dir.resolve(base + ".jar"));
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Path temp = Files.createTempFile(to.getParent(), "." + to.getFileName(), ".tmp");
    Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The jar {@code type} was loaded from, or one packed from its class directory. */
  private Path jarOf(Class<?> type) throws IOException, URISyntaxException {
    Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isRegularFile(location)) {
      return location;
    }
    Path jar = packed.resolve(type.getSimpleName() + ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(location)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(location.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /** The local Maven repository of the build running this test. */
  private static Path repository() {
    String repository = System.getProperty("millrace.test.maven.repo.local");
    assertTrue(
        repository != null && !repository.isBlank(),
        "the build passes millrace.test.maven.repo.local (see examples/pom.xml)");
    return Path.of(repository);
  }

  /** {@code mvn args} in the project, offline, on the build's local repository. */
  private void maven(List<String> args) throws IOException, InterruptedException {
    String home = System.getProperty("millrace.test.maven.home", "");
    List<String> command = new ArrayList<>();
    command.add(home.isBlank() ? "mvn" : Path.of(home, "bin", "mvn").toString());
    command.addAll(List.of("-o", "-q", "-ntp", "-Dmaven.repo.local=" + repository()));
    command.addAll(args);
    Path log = project.resolve("maven.log");
    Process maven =
        new ProcessBuilder(command)
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(maven.waitFor(4, TimeUnit.MINUTES), "mvn did not finish: " + command);
    assertEquals(0, maven.exitValue(), command + "\n" + Files.readString(log));
  }

  /**
   * {@code millrace run app.yaml} in the project, with the runtime of this build on the class path
   * (as {@code bin/millrace} runs it) and the application only in its jar.
   */
  private Process millraceRun() throws IOException {
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.contains("test-classes"))
            .reduce((a, b) -> a + File.pathSeparator + b)
            .orElseThrow();
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classPath,
            Millrace.class.getName(),
            "run",
            "app.yaml");
    return new ProcessBuilder(command)
        .directory(project.toFile())
        .redirectErrorStream(true)
        .redirectOutput(project.resolve("millrace-run.log").toFile())
        .start();
  }

  /** A batch output of the application that meets {@code condition}, waiting up to 2 minutes. */
  private Path await(Process run, String what, BatchCondition condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if (!run.isAlive()) {
        fail("millrace run ended with " + run.exitValue() + " before " + what + ":\n" + log());
      }
      if (Files.isDirectory(project.resolve("output"))) {
        try (Stream<Path> outputs = Files.list(project.resolve("output"))) {
          for (Path batch : outputs.sorted().toList()) {
            if (Files.exists(batch.resolve("_SUCCESS")) && condition.test(batch)) {
              return batch;
            }
          }
        }
      }
      Thread.sleep(200);
    }
    return fail("no output with " + what + " within 2 minutes:\n" + log());
  }

  /** A test of a complete batch output directory. */
  private interface BatchCondition {
    boolean test(Path batch) throws IOException;
  }

  private static Map<String, Integer> counts(Path batch) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    try (Stream<Path> parts = Files.list(batch)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(part)) {
          Matcher m = COUNT.matcher(line);
          assertTrue(m.matches(), "not a count: " + line);
          counts.merge(m.group(1), Integer.parseInt(m.group(2)), Integer::sum);
        }
      }
    }
    return counts;
  }

  private static Map<String, Integer> expectedCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (String word : TEXT.split("\\s+")) {
      counts.merge(word, 1, Integer::sum);
    }
    return counts;
  }

  private String log() throws IOException {
    StringBuilder all = new StringBuilder(Files.readString(project.resolve("millrace-run.log")));
    Path driver = project.resolve(".millrace/word-count/logs/driver-1.log");
    if (Files.exists(driver)) {
      all.append("\n--- driver-1.log\n").append(Files.readString(driver));
    }
    return all.toString();
  }
}
