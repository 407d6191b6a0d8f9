package dev.millrace.runtime.stream;

import dev.millrace.runtime.source.QueueSource;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Input streams for graph tests: a queue stream that takes one of the given lists per batch. */
final class TestingQueues {
  private TestingQueues() {}

  /** An input of {@code graph} whose k-th batch is {@code batches[k]}, then empty batches. */
  @SafeVarargs
  static <T> InputNode<T> queueInput(StreamGraph graph, List<T>... batches) {
    Queue<List<T>> queue = new ConcurrentLinkedQueue<>(List.of(batches));
    return new InputNode<>(graph, "queueStream", QueueSource.input(queue, true, 2));
  }

  /** An output that does nothing, so that the graph may start. */
  static <T> OutputOperation<T> ignoring(StreamNode<T> stream) {
    return new OutputOperation<>("foreachBatch", stream, (data, time) -> {});
  }
}
