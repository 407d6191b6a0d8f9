package dev.millrace.runtime.backend.local;

import dev.millrace.streaming.DStream;
import dev.millrace.streaming.PairDStream;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The application the local backend's tests supervise, run by real driver processes. Arguments:
 * {@code <mode> <input dir> <output dir>}. Modes:
 *
 * <ul>
 *   <li>{@code count}: words of new files counted per batch ({@code counts-T.txt}) and as running
 *       totals ({@code totals-T.txt}, {@code updateStateByKey});
 *   <li>{@code crash}: its first batch fails, on every start;
 *   <li>{@code hang-once}: like {@code count}, but the first driver to see a batch with input
 *       blocks in its output forever (a marker file in the output directory records that it
 *       happened, so the next attempt does not);
 *   <li>{@code socket}: like {@code count}, reading the lines of the TCP server at {@code
 *       host:port} given in place of the input directory;
 *   <li>{@code slow}: like {@code count}, but every batch takes 500 ms more, longer than the tests'
 *       batch interval, so the batches fall behind;
 *   <li>{@code break-on-stop}: like {@code count}, but every batch takes 300 ms in its output, and
 *       one that finds a graceful stop under way (SIGTERM) fails, as a last batch whose Hadoop
 *       {@code chmod} a terminal's Ctrl-C killed did.
 * </ul>
 */
public final class TestingSupervisedApp implements StreamingApplication {
  static final String COUNTS = "counts";
  static final String TOTALS = "totals";
  static final String SUFFIX = "txt";
  static final String HUNG_MARKER = "hung-once";

  @Override
  public void define(StreamingContext ssc, String[] args) {
    String mode = args[0];
    String input = args[1];
    Path output = Path.of(args[2]);
    DStream<String> lines =
        mode.equals("socket")
            ? ssc.socketTextStream(
                input.substring(0, input.lastIndexOf(':')),
                Integer.parseInt(input.substring(input.lastIndexOf(':') + 1)))
            : ssc.textFileStream(input);
    PairDStream<String, Integer> ones =
        lines
            .flatMap(line -> Arrays.asList(line.split(" ")))
            .filter(word -> !word.isEmpty())
            .mapToPair(word -> dev.millrace.streaming.Pair.of(word, 1));
    if (mode.equals("crash")) {
      ones.foreachBatch(
          b -> {
            throw new IllegalStateException("TestingSupervisedApp crashes on purpose");
          });
    }
    if (mode.equals("slow")) {
      ones.foreachBatch(b -> sleep(500));
    }
    if (mode.equals("break-on-stop")) {
      ones.count().foreachBatch(b -> breakIfStopping());
    }
    if (mode.equals("hang-once")) {
      ones.count().foreachBatch(b -> hangOnceIfData(b.collect().get(0), output));
    }
    ones.reduceByKey(Integer::sum).saveAsTextFiles(output.resolve(COUNTS).toString(), SUFFIX);
    ones.updateStateByKey(
            (List<Integer> values, Optional<Integer> total) ->
                Optional.of(total.orElse(0) + values.size()))
        .saveAsTextFiles(output.resolve(TOTALS).toString(), SUFFIX);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void breakIfStopping() {
    // Long enough that a batch is always under way when the stop arrives.
    sleep(300);
    // The thread the driver's SIGTERM handler starts to stop gracefully.
    if (Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("millrace-signal-stop"))) {
      throw new IllegalStateException("TestingSupervisedApp's last batch breaks while stopping");
    }
  }

  private static void hangOnceIfData(long records, Path output) {
    if (records == 0) {
      return;
    }
    try {
      Files.createFile(output.resolve(HUNG_MARKER));
    } catch (FileAlreadyExistsException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // A hung batch ignores interrupts too: only SIGKILL ends it.
      }
    }
  }
}
