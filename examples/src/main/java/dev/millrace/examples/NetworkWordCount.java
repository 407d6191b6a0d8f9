package dev.millrace.examples;

import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.util.Arrays;

/**
 * Counts the words of each batch of text received from a TCP server, the seed's quick example.
 *
 * <pre>
 *   nc -lk 9999                                          # terminal 1: type lines here
 *   bin/millrace example NetworkWordCount localhost 9999  # terminal 2
 * </pre>
 */
public final class NetworkWordCount implements StreamingApplication {

  @Override
  public void define(StreamingContext ssc, String[] args) {
    Args.require(args, 2, "NetworkWordCount <host> <port>");
    ssc.socketTextStream(args[0], Args.port(args[1]))
        .flatMap(line -> Arrays.asList(line.split(" ")))
        .filter(word -> !word.isEmpty())
        .mapToPair(word -> Pair.of(word, 1))
        .reduceByKey(Integer::sum)
        .print();
  }
}
