package dev.millrace.examples;

import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.util.Arrays;

/**
 * Word counts over the last 30 seconds, every 10 seconds, from a TCP server: the seed's windowed
 * example, computed incrementally with an inverse function (counts of batches leaving the window
 * are subtracted rather than the whole window recounted).
 *
 * <pre>bin/millrace example WindowedNetworkWordCount localhost 9999 [windowSeconds slideSeconds]
 * </pre>
 */
public final class WindowedNetworkWordCount implements StreamingApplication {

  @Override
  public void define(StreamingContext ssc, String[] args) {
    Args.require(args, 2, "WindowedNetworkWordCount <host> <port> [windowSeconds slideSeconds]");
    long window = args.length > 2 ? Long.parseLong(args[2]) : 30;
    long slide = args.length > 3 ? Long.parseLong(args[3]) : 10;
    ssc.socketTextStream(args[0], Args.port(args[1]))
        .flatMap(line -> Arrays.asList(line.split(" ")))
        .filter(word -> !word.isEmpty())
        .mapToPair(word -> Pair.of(word, 1))
        .reduceByKeyAndWindow(
            Integer::sum, (a, b) -> a - b, Durations.seconds(window), Durations.seconds(slide))
        .print();
  }
}
