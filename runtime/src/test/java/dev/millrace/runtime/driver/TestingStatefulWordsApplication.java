package dev.millrace.runtime.driver;

import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairDStream;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The stateful word count the distributed tests run: the words of the text files appearing in the
 * input directory (argument 1), with the {@link TestingWordCountApplication#PAUSE} and {@link
 * TestingWordCountApplication#HANG} lines of {@link TestingWordCountApplication}, saved as lines
 * {@code word count} into the output directory (argument 2) three ways: {@code counts-T.txt} each
 * batch's count of every word, {@code totals-T.txt} the running count of every word seen so far
 * ({@code updateStateByKey}), and {@code windows-T.txt} the count of every word over the last
 * {@value #WINDOW_BATCHES} batches, sliding every batch (the incremental {@code
 * reduceByKeyAndWindow}), without the words whose windowed count is 0.
 */
public final class TestingStatefulWordsApplication implements StreamingApplication {
  static final String COUNTS = "counts";
  static final String TOTALS = "totals";
  static final String WINDOWS = "windows";
  static final int WINDOW_BATCHES = 3;

  @Override
  public void define(StreamingContext ssc, String[] args) {
    if (args.length != 2) {
      throw new ConfigurationException("arguments: input-dir output-dir; got " + List.of(args));
    }
    Duration interval = ssc.batchInterval();
    PairDStream<String, Long> words =
        ssc.textFileStream(args[0])
            .filter(TestingWordCountApplication::countsWords)
            .flatMap(line -> Arrays.asList(line.split(" ")))
            .filter(word -> !word.isEmpty())
            .mapToPair(word -> Pair.of(word, 1L));
    save(words.reduceByKey(Long::sum), args[1], COUNTS);
    save(words.updateStateByKey(TestingStatefulWordsApplication::runningCount), args[1], TOTALS);
    save(
        words.reduceByKeyAndWindow(
            Long::sum,
            (a, b) -> a - b,
            interval.times(WINDOW_BATCHES),
            interval,
            ssc.defaultParallelism(),
            count -> count.value() != 0),
        args[1],
        WINDOWS);
  }

  private static Optional<Long> runningCount(List<Long> ones, Optional<Long> total) {
    return Optional.of(total.orElse(0L) + ones.stream().mapToLong(Long::longValue).sum());
  }

  private static void save(PairDStream<String, Long> counts, String dir, String name) {
    counts.map(count -> count.key() + " " + count.value()).saveAsTextFiles(dir + "/" + name, "txt");
  }
}
