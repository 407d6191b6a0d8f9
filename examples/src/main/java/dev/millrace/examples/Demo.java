package dev.millrace.examples;

import dev.millrace.runtime.cli.ApplicationRunner;
import dev.millrace.runtime.cli.ExitCode;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.DStream;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairDStream;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The README's first command: a file-stream word count over input it writes itself while running. A
 * writer thread drops a file of sentences into a fresh directory every 400 ms (written under a
 * hidden name, then moved in atomically); each one-second batch counts the words of the new files
 * and a running total across batches. Stops after {@code --batches N} (default 10) or on Ctrl-C.
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

  private Demo() {}

  /** Runs the demo; {@code --batches N} sets how many batches to run. */
  public static void main(String[] args) throws Exception {
    int batches = parseBatches(args);
    Path input = Files.createTempDirectory("millrace-demo-");
    PrintStream out = System.out;
    out.println("Millrace demo: counting words of files written to " + input);
    out.println("Each batch (1 s) reads the files that arrived since the last one.");
    out.println();

    StreamingContext ssc = new StreamingContext("local[2]", "demo", Durations.seconds(1));
    DStream<String> lines = ssc.textFileStream(input.toString());
    PairDStream<String, Integer> counts =
        lines
            .flatMap(line -> Arrays.asList(line.split(" ")))
            .mapToPair(word -> Pair.of(word, 1))
            .reduceByKey(Integer::sum);
    PairDStream<String, Integer> totals =
        counts.updateStateByKey(
            (List<Integer> values, Optional<Integer> total) ->
                Optional.of(total.orElse(0) + values.stream().mapToInt(Integer::intValue).sum()));

    AtomicLong linesThisBatch = new AtomicLong();
    lines.count().foreachBatch(b -> linesThisBatch.set(b.collect().get(0)));
    counts.foreachBatch(
        b -> {
          out.println("-------------------------------------------");
          out.println("Time: " + b.time() + " ms   (" + linesThisBatch.get() + " new lines)");
          out.println("-------------------------------------------");
          top(b.collect(), 5).forEach(p -> out.println(p));
        });
    totals.foreachBatch(
        b -> {
          List<Pair<String, Integer>> all = b.collect();
          long words = all.stream().mapToLong(Pair::value).sum();
          out.println("running total: " + words + " words, top " + top(all, 3));
          out.println();
        });

    AtomicInteger done = new AtomicInteger();
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            if (done.incrementAndGet() == batches) {
              out.println("Ran " + batches + " batches; stopping gracefully.");
              ssc.stop(true);
            }
          }
        });

    Thread writer = new Thread(() -> writeFiles(input), "demo-input-writer");
    writer.setDaemon(true);
    writer.start();
    ExitCode code;
    try {
      code = ApplicationRunner.runUntilStopped(ssc);
    } finally {
      writer.interrupt();
      deleteRecursively(input);
    }
    if (code != ExitCode.OK) {
      System.exit(code.code());
    }
  }

  private static List<Pair<String, Integer>> top(List<Pair<String, Integer>> counts, int n) {
    List<Pair<String, Integer>> sorted = new ArrayList<>(counts);
    sorted.sort(
        Comparator.comparing((Pair<String, Integer> p) -> -p.value()).thenComparing(Pair::key));
    return sorted.subList(0, Math.min(n, sorted.size()));
  }

  private static void writeFiles(Path dir) {
    Random random = new Random();
    int file = 0;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = 5 + random.nextInt(20); i < n; i++) {
          text.append(SENTENCES[random.nextInt(SENTENCES.length)]).append('\n');
        }
        String name = String.format("input-%05d.txt", file++);
        Path hidden = dir.resolve("." + name + ".tmp");
        Files.writeString(hidden, text, StandardCharsets.UTF_8);
        Files.move(hidden, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(400);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      if (Files.exists(dir)) {
        throw new UncheckedIOException("demo input writer failed in " + dir, e);
      }
    }
  }

  private static int parseBatches(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--batches") && i + 1 < args.length) {
        int n = Integer.parseInt(args[i + 1]);
        if (n < 1) {
          throw new IllegalArgumentException("--batches must be at least 1, got " + n);
        }
        return n;
      }
      throw new IllegalArgumentException(
          "unknown demo argument '" + args[i] + "'; usage: millrace demo [--batches N]");
    }
    return 10;
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete the demo's input directory " + dir + ": " + e);
    }
  }
}
