package dev.millrace.runtime.driver;

import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.util.List;

/**
 * An application reading lines from a socket (arguments: host and port) and printing how many each
 * batch received: a source that needs a write-ahead log in the checkpoint directory.
 */
public final class TestingSocketApplication implements StreamingApplication {
  @Override
  public void define(StreamingContext ssc, String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("arguments: host port; got " + List.of(args));
    }
    ssc.socketTextStream(args[0], Integer.parseInt(args[1])).count().print();
  }
}
