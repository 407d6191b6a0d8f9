package dev.millrace.runtime.driver;

import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.util.List;

/**
 * Saves every batch of the lines read from a TCP server to {@code <output>/lines-T.txt}. Arguments:
 * {@code <host> <port> <output dir>}.
 */
public final class TestingSocketLinesApplication implements StreamingApplication {
  static final String LINES = "lines";

  @Override
  public void define(StreamingContext ssc, String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("arguments: host port output-dir; got " + List.of(args));
    }
    ssc.socketTextStream(args[0], Integer.parseInt(args[1]))
        .saveAsTextFiles(args[2] + "/" + LINES, "txt");
  }
}
