package dev.millrace.runtime.driver;

import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.util.Arrays;
import java.util.List;

/**
 * The word count the distributed tests run: for the text files appearing in the input directory
 * (argument 1), each batch's count of every word, saved as lines {@code word count} to {@code
 * <output>/counts-T.txt} (argument 2). A line {@value #PAUSE} counts nothing and holds up the task
 * reading it for {@link #PAUSE_MILLIS}, so that a test can kill an executor while it runs a task.
 */
public final class TestingWordCountApplication implements StreamingApplication {
  static final String COUNTS = "counts";
  static final String PAUSE = "pause";
  static final long PAUSE_MILLIS = 2_000;

  @Override
  public void define(StreamingContext ssc, String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("arguments: input-dir output-dir; got " + List.of(args));
    }
    ssc.textFileStream(args[0])
        .filter(TestingWordCountApplication::countsWords)
        .flatMap(line -> Arrays.asList(line.split(" ")))
        .filter(word -> !word.isEmpty())
        .mapToPair(word -> Pair.of(word, 1L))
        .reduceByKey(Long::sum)
        .map(count -> count.key() + " " + count.value())
        .saveAsTextFiles(args[1] + "/" + COUNTS, "txt");
  }

  private static boolean countsWords(String line) {
    if (!line.equals(PAUSE)) {
      return true;
    }
    try {
      Thread.sleep(PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
