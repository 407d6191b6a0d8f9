package dev.millrace.examples;

import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairDStream;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Counts the words of new files in a directory: each batch's counts go to {@code
 * <output>/counts-T.txt}, and running totals over all batches ({@code updateStateByKey}) to {@code
 * <output>/totals-T.txt}. Both outputs are exactly-once under supervision: the file source replays
 * its recorded plans after a crash, the totals resume from the checkpoint, and a re-run batch
 * replaces its output directory. Both directories may be local paths or Hadoop file system URIs
 * ({@code hdfs://namenode:8020/words/in hdfs://namenode:8020/words/out}).
 *
 * <pre>
 *   bin/millrace run examples/apps/file-word-count.yaml   # supervised, from a spec
 * </pre>
 */
public final class FileWordCount implements StreamingApplication {
  /** Prefix of the per-batch counts in the output directory. */
  public static final String COUNTS = "counts";

  /** Prefix of the running totals in the output directory. */
  public static final String TOTALS = "totals";

  /** Suffix of both outputs. */
  public static final String SUFFIX = "txt";

  @Override
  public void define(StreamingContext ssc, String[] args) {
    Args.require(args, 2, "FileWordCount <input directory> <output directory>");
    // Not Path.of: it would turn hdfs://nn:8020/out into hdfs:/nn:8020/out.
    String output = args[1].endsWith("/") ? args[1] : args[1] + "/";
    createIfLocal(args[0]);
    PairDStream<String, Integer> ones =
        ssc.textFileStream(args[0])
            .flatMap(line -> Arrays.asList(line.split(" ")))
            .filter(word -> !word.isEmpty())
            .mapToPair(word -> Pair.of(word, 1));
    ones.reduceByKey(Integer::sum).saveAsTextFiles(output + COUNTS, SUFFIX);
    ones.updateStateByKey(
            (List<Integer> values, Optional<Integer> total) ->
                Optional.of(total.orElse(0) + values.size()))
        .saveAsTextFiles(output + TOTALS, SUFFIX);
  }

  /** Creates a local input directory, so a first run need not prepare it. */
  private static void createIfLocal(String directory) {
    if (!directory.contains("://")) {
      try {
        Files.createDirectories(Path.of(directory));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the input directory " + directory, e);
      }
    }
  }
}
