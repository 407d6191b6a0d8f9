package dev.millrace.streaming;

/**
 * A streaming application as code: {@link #define} builds the graph of streams and outputs on a
 * context it is given. Every backend (the {@code millrace} command, Kubernetes, YARN) and every
 * process of an application calls it on each start and restart, so it must define the same graph
 * each time and must not start or stop the context itself.
 *
 * <pre>{@code
 * public final class WordCount implements StreamingApplication {
 *   public void define(StreamingContext ssc, String[] args) {
 *     ssc.socketTextStream(args[0], Integer.parseInt(args[1]))
 *         .flatMap(line -> Arrays.asList(line.split(" ")))
 *         .mapToPair(w -> Pair.of(w, 1))
 *         .reduceByKey(Integer::sum)
 *         .print();
 *   }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface StreamingApplication {

  /** Defines the application's streams and output operations on {@code ssc}. */
  void define(StreamingContext ssc, String[] args);
}
