package dev.millrace.examples;

import dev.millrace.runtime.backend.local.LocalRun;
import dev.millrace.runtime.backend.local.LocalRunOptions;
import dev.millrace.runtime.cli.DemoFlags;
import dev.millrace.runtime.launch.ExitCode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import sun.misc.Signal;

/**
 * The README's first command: a supervised streaming word count that survives a crash. It writes a
 * StreamingApp spec for {@link FileWordCount}, runs it the way {@code millrace run} does (a driver
 * process, restarted from its checkpoint by the Supervisor), drops a file of sentences into the
 * input directory every 300 ms, kills the driver with SIGKILL once mid-stream, and at the end
 * checks the saved output against a direct count of everything it wrote: nothing lost, nothing
 * counted twice. {@code --files N} sets how many files it writes (default 24); Ctrl-C stops it.
 */
public final class Demo {
  private static final String[] SENTENCES = {
    "the quick brown fox jumps over the lazy dog",
    "a stream is a sequence of batches",
    "every batch is processed exactly once",
    "the driver plans each batch before it runs",
    "windows slide over the stream batch by batch",
    "state survives from one batch to the next",
  };
  private static final long TIMEOUT_MS = 120_000;

  private Demo() {}

  /** Runs the demo; {@code --files N} sets how many input files it writes. */
  public static void main(String[] args) throws Exception {
    int files = parseFiles(args);
    PrintStream out = System.out;
    Path work = Files.createTempDirectory("millrace-demo-");
    Path input = Files.createDirectories(work.resolve("input"));
    Path output = Files.createDirectories(work.resolve("output"));
    Path spec = writeSpec(work, input, output);
    out.println("Millrace demo: a supervised word count over files written to " + input);
    out.println("spec " + spec + "; output " + output);
    out.println();

    LocalRun run =
        LocalRun.prepare(
            spec,
            LocalRunOptions.defaults()
                .withRunDirectory(work.resolve("run"))
                .withProgressInterval(Duration.ofSeconds(1)));
    CompletableFuture<Integer> result = new CompletableFuture<>();
    Thread supervisor =
        new Thread(
            () -> {
              try {
                result.complete(run.run());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "demo-supervisor");
    supervisor.start();
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(name), s -> run.requestStop());
    }

    // A file stream counts the files that arrive after it starts: wait for its first batch.
    long waitUntil = System.currentTimeMillis() + TIMEOUT_MS;
    while (batches(run) == 0 && !result.isDone() && System.currentTimeMillis() < waitUntil) {
      Thread.sleep(50);
    }
    Map<String, Integer> expected = new TreeMap<>();
    Random random = new Random(42);
    boolean killed = false;
    for (int f = 0; f < files && !result.isDone(); f++) {
      writeFile(input, f, random, expected);
      if (!killed && f >= files / 3 && batches(run) >= 3) {
        long pid =
            Long.parseLong(Files.readString(run.runDirectory().resolve("driver.pid")).trim());
        out.println();
        out.printf(">>> killing the driver (pid %d) with SIGKILL to show recovery%n%n", pid);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        killed = true;
      }
      Thread.sleep(300);
    }
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    while (!result.isDone()
        && !expected.equals(FileWordCountOutput.savedCounts(output))
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    run.requestStop();
    int code = result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    out.println();
    int exit = report(out, expected, output, run, code);
    deleteRecursively(work);
    System.exit(exit);
  }

  private static int report(
      PrintStream out, Map<String, Integer> expected, Path output, LocalRun run, int code) {
    Map<String, Integer> saved = FileWordCountOutput.savedCounts(output);
    Map<String, Integer> totals = FileWordCountOutput.newestTotals(output);
    long words = expected.values().stream().mapToLong(Integer::intValue).sum();
    if (code != ExitCode.OK.code()) {
      out.println("The run ended with exit code " + code + ": " + run.view().message());
      return code;
    }
    if (!saved.equals(expected) || !totals.equals(expected)) {
      out.printf(
          "MISMATCH: wrote %,d words; the per-batch counts add up to %,d and the running totals"
              + " to %,d. Logs: %s%n",
          words,
          sum(saved),
          sum(totals),
          run.logDirectory().orElse(run.runDirectory().resolve("logs")));
      return ExitCode.APPLICATION_FAILURE.code();
    }
    out.printf(
        "Exact: the demo wrote %,d words (%d distinct). Across %d driver attempts (restarts:"
            + " %d), the per-batch counts saved add up to exactly that count for every word,"
            + " and the running totals restored from the checkpoint equal it too: nothing lost,"
            + " nothing counted twice.%n",
        words, expected.size(), run.view().attempt(), run.view().restartsTotal());
    out.println("Totals: " + top(totals, 5));
    return ExitCode.OK.code();
  }

  private static Path writeSpec(Path work, Path input, Path output) throws IOException {
    String yaml =
        """
        apiVersion: millrace.dev/v1alpha1
        kind: StreamingApp
        metadata:
          name: demo
        spec:
          application:
            mainClass: %s
            args: ["%s", "%s"]
          batchInterval: 1s
          checkpoint:
            dir: checkpoint
            interval: 2s
          driver:
            memory: 512Mi
          restartPolicy:
            backoff: {initial: 1s}
          healthCheck:
            maxBatchDelay: 30s
        """
            .formatted(FileWordCount.class.getName(), input, output);
    Path spec = work.resolve("demo.yaml");
    Files.writeString(spec, yaml, StandardCharsets.UTF_8);
    return spec;
  }

  private static void writeFile(Path dir, int n, Random random, Map<String, Integer> expected)
      throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0, lines = 5 + random.nextInt(20); i < lines; i++) {
      String sentence = SENTENCES[random.nextInt(SENTENCES.length)];
      text.append(sentence).append('\n');
      for (String word : sentence.split(" ")) {
        expected.merge(word, 1, Integer::sum);
      }
    }
    String name = String.format("input-%05d.txt", n);
    Path hidden = dir.resolve("." + name + ".tmp");
    Files.writeString(hidden, text, StandardCharsets.UTF_8);
    Files.move(hidden, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static long batches(LocalRun run) {
    return run.lastReport().map(r -> r.batchesCompleted()).orElse(0L);
  }

  private static long sum(Map<String, Integer> counts) {
    return counts.values().stream().mapToLong(Integer::intValue).sum();
  }

  private static List<Map.Entry<String, Integer>> top(Map<String, Integer> counts, int n) {
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(
        Comparator.comparing((Map.Entry<String, Integer> e) -> -e.getValue())
            .thenComparing(Map.Entry::getKey));
    return sorted.subList(0, Math.min(n, sorted.size()));
  }

  private static int parseFiles(String[] args) {
    return DemoFlags.files(List.of(args));
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete the demo's directory " + dir + ": " + e);
    }
  }
}
