package dev.millrace.runtime.driver;

import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An application whose {@code define} fails the way its argument says: {@code unreachable} throws
 * an {@link IllegalStateException} as one whose configuration service is down would, {@code
 * refused} an {@link IllegalArgumentException} of its own, and {@code bad-window} asks the engine
 * for a window that is not a multiple of the batch interval.
 */
public final class TestingFailingDefinitionApplication implements StreamingApplication {
  static final String UNREACHABLE = "cannot reach the config service at config.example:443";

  @Override
  public void define(StreamingContext ssc, String[] args) {
    switch (args[0]) {
      case "unreachable" -> throw new IllegalStateException(UNREACHABLE);
      case "refused" -> throw new IllegalArgumentException("the application refuses " + args[0]);
      case "bad-window" ->
          ssc.queueStream(new ConcurrentLinkedQueue<List<String>>())
              .window(Durations.milliseconds(ssc.batchInterval().milliseconds() * 3 / 2))
              .print();
      default -> throw new AssertionError("unknown mode " + args[0]);
    }
  }
}
