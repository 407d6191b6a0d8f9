package dev.millrace.streaming;

import dev.millrace.runtime.driver.ApplicationRunner;
import dev.millrace.runtime.launch.ExitCode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A checkpointed word count run as a real driver process, for {@link DriverCrashTest} to kill with
 * SIGKILL and start again: {@link StreamingContext#getOrCreate} defines the graph and resumes from
 * the checkpoint directory when it holds one; SIGTERM stops it gracefully with exit code 0, as
 * {@code millrace app} does.
 *
 * <p>Graphs, on the words of the text files appearing in the input directory:
 *
 * <ul>
 *   <li>{@code wordcount}: each batch's count per word, saved to {@code <output>/counts-T.txt}.
 *   <li>{@code running}: the same, and the running total per word since the first batch ({@code
 *       updateStateByKey}), saved to {@code <output>/totals-T.txt}.
 * </ul>
 *
 * <p>Prints {@code BATCH <time> done} to standard output after every batch whose outputs ran (not
 * after the batches a recovery replays only to restore state). Logs go to standard error.
 *
 * <p>Arguments: input directory, output directory, checkpoint directory, batch interval in
 * milliseconds, checkpoint interval in batches, {@code wordcount} or {@code running}, and
 * optionally what the file stream does with the files it read ({@code delete} or {@code
 * archive:<dir>}, keeping two checkpoint generations; the default keeps them and ten generations).
 */
public final class TestingCrashDriver {
  static final String COUNTS = "counts";
  static final String TOTALS = "totals";
  static final String SUFFIX = "txt";

  /** The graphs this driver can run. */
  enum Mode {
    WORDCOUNT,
    RUNNING
  }

  private TestingCrashDriver() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 6 && args.length != 7) {
      throw new IllegalArgumentException(
          "arguments: input-dir output-dir checkpoint-dir batch-interval-ms checkpoint-batches"
              + " wordcount|running [delete|archive:<dir>]; got "
              + Arrays.toString(args));
    }
    String input = args[0];
    Path output = Path.of(args[1]);
    String checkpoint = args[2];
    long interval = Long.parseLong(args[3]);
    long checkpointBatches = Long.parseLong(args[4]);
    Mode mode = Mode.valueOf(args[5].toUpperCase(java.util.Locale.ROOT));
    CleanSource cleanSource =
        args.length == 6
            ? CleanSource.off()
            : args[6].equals("delete")
                ? CleanSource.delete()
                : CleanSource.archiveTo(args[6].substring("archive:".length()));

    StreamingContext ssc =
        StreamingContext.getOrCreate(
            checkpoint,
            () -> {
              StreamingContext c =
                  StreamingContext.builder()
                      .master("local[2]")
                      .appName("crash-" + mode.name().toLowerCase(java.util.Locale.ROOT))
                      .batchInterval(Durations.milliseconds(interval))
                      .conf("millrace.checkpoint.interval", checkpointBatches * interval + "ms")
                      // Two generations: a file is removed two checkpoints after its batch.
                      .conf("millrace.checkpoint.retain", args.length == 6 ? "10" : "2")
                      .build();
              define(c, input, output, mode, cleanSource);
              return c;
            });
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            System.out.println("BATCH " + batch.batchTime() + " done");
            System.out.flush();
          }
        });
    ExitCode code = ApplicationRunner.runUntilStopped(ssc);
    System.exit(code.code());
  }

  private static void define(
      StreamingContext ssc, String input, Path output, Mode mode, CleanSource cleanSource) {
    PairDStream<String, Integer> ones =
        ssc.textFileStream(input, cleanSource)
            .flatMap(line -> words(line))
            .mapToPair(word -> Pair.of(word, 1));
    ones.reduceByKey(Integer::sum).saveAsTextFiles(output.resolve(COUNTS).toString(), SUFFIX);
    if (mode == Mode.RUNNING) {
      ones.updateStateByKey(
              (List<Integer> values, Optional<Integer> total) ->
                  Optional.of(total.orElse(0) + values.stream().mapToInt(i -> i).sum()))
          .saveAsTextFiles(output.resolve(TOTALS).toString(), SUFFIX);
    }
  }

  /** The words of a line: its non-empty runs between spaces. */
  static List<String> words(String line) {
    return Arrays.stream(line.split(" ")).filter(w -> !w.isEmpty()).toList();
  }
}
