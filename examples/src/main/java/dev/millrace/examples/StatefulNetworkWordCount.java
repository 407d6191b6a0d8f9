package dev.millrace.examples;

import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A running count of every word ever received from a TCP server, kept with updateStateByKey.
 *
 * <pre>bin/millrace example StatefulNetworkWordCount localhost 9999</pre>
 */
public final class StatefulNetworkWordCount implements StreamingApplication {

  @Override
  public void define(StreamingContext ssc, String[] args) {
    Args.require(args, 2, "StatefulNetworkWordCount <host> <port>");
    ssc.socketTextStream(args[0], Args.port(args[1]))
        .flatMap(line -> Arrays.asList(line.split(" ")))
        .filter(word -> !word.isEmpty())
        .mapToPair(word -> Pair.of(word, 1))
        .updateStateByKey(StatefulNetworkWordCount::addCounts)
        .print();
  }

  static Optional<Integer> addCounts(List<Integer> newCounts, Optional<Integer> runningCount) {
    int sum = runningCount.orElse(0);
    for (int c : newCounts) {
      sum += c;
    }
    return Optional.of(sum);
  }
}
