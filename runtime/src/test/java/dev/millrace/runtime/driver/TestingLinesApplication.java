package dev.millrace.runtime.driver;

import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.DStream;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.util.List;
import java.util.Optional;

/**
 * The application the driver tests run from a jar. On the lines of the text files appearing in the
 * input directory (argument 1), it saves each batch's lines to {@code <output>/lines-T.txt} and the
 * running count of all lines, kept as a {@link LineTally} state, to {@code <output>/tally-T.txt}
 * (argument 2). The state's class exists only in the application's jar in a driver process, so a
 * recovery decodes it only if the driver's class loading works.
 */
public final class TestingLinesApplication implements StreamingApplication {
  static final String LINES = "lines";
  static final String TALLY = "tally";
  static final String SUFFIX = "txt";

  /** How many lines the application has read, over every attempt. */
  public record LineTally(long lines) {}

  @Override
  public void define(StreamingContext ssc, String[] args) {
    if (args.length != 2) {
      throw new ConfigurationException("arguments: input-dir output-dir; got " + List.of(args));
    }
    DStream<String> lines = ssc.textFileStream(args[0]);
    lines.saveAsTextFiles(args[1] + "/" + LINES, SUFFIX);
    lines
        .mapToPair(line -> Pair.of(LINES, 1))
        .updateStateByKey(
            (List<Integer> ones, Optional<LineTally> tally) ->
                Optional.of(new LineTally(tally.map(LineTally::lines).orElse(0L) + ones.size())))
        .saveAsTextFiles(args[1] + "/" + TALLY, SUFFIX);
  }
}
