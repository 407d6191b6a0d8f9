package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.dataset.Dataset;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Queue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class QueueSourceTest {

  @Test
  void takesEveryWaitingListWithoutALimit() {
    InputSource<Integer> source = QueueSource.input(queueOf(range(0, 3), range(3, 5)), false, 2);

    assertEquals(range(0, 5), records(source.take(1000, false)));
  }

  @Test
  void cutsBatchesAtTheRateTimesTheIntervalAndCarriesTheRestOverInOrder() {
    InputSource<Integer> source =
        QueueSource.input(queueOf(range(0, 250), range(250, 300)), false, 2);
    source.updateRateLimit(new RateLimit(100, 1000));

    assertEquals(range(0, 100), records(source.take(1000, false)));
    assertEquals(range(100, 200), records(source.take(2000, false)));
    assertEquals(range(200, 300), records(source.take(3000, false)));
    assertEquals(List.of(), records(source.take(4000, false)));
  }

  @Test
  void oneAtATimeTakesTheRestOfACutListBeforeTheNextList() {
    InputSource<Integer> source =
        QueueSource.input(queueOf(range(0, 150), range(150, 160)), true, 1);
    source.updateRateLimit(new RateLimit(100, 1000));

    assertEquals(range(0, 100), records(source.take(1000, false)));
    assertEquals(range(100, 150), records(source.take(2000, false)));
    assertEquals(range(150, 160), records(source.take(3000, false)));
  }

  @Test
  void theLastBatchOfAGracefulStopTakesTheRestOfACutListButNoNewList() {
    InputSource<Integer> source =
        QueueSource.input(queueOf(range(0, 150), range(150, 160)), false, 1);
    source.updateRateLimit(new RateLimit(100, 1000));
    source.take(1000, false);

    assertTrue(source.hasBufferedInput());
    assertEquals(range(100, 150), records(source.take(2000, true)));
    assertFalse(source.hasBufferedInput());
  }

  @Test
  void aBatchIsReadAgainFromItsLoggedPlanWithItsPartitions() {
    InputSource<Integer> source = QueueSource.input(queueOf(range(0, 5)), false, 2);
    Dataset<Integer> taken = source.take(1000, false);

    Dataset<Integer> replayed = source.replay(1000, source.encodePlan(taken));

    assertEquals(range(0, 5), records(replayed));
    assertEquals(2, replayed.numPartitions());
  }

  /** Before the queue stream was a {@code Source}, a plan was one codec list of the records. */
  @Test
  void aPlanAnEarlierBuildLoggedAsOneListOfTheRecordsIsReadAgain() {
    InputSource<Integer> source = QueueSource.input(new LinkedList<>(), false, 2);

    Dataset<Integer> replayed = source.replay(1000, RecordCodec.standard().encode(range(0, 5)));

    assertEquals(range(0, 5), records(replayed));
    assertEquals(2, replayed.numPartitions());
  }

  @SafeVarargs
  private static Queue<List<Integer>> queueOf(List<Integer>... lists) {
    return new LinkedList<>(List.of(lists));
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  private static <T> List<T> records(Dataset<T> ds) {
    List<T> all = new ArrayList<>();
    for (int p = 0; p < ds.numPartitions(); p++) {
      all.addAll(ds.collectPartition(p));
    }
    return all;
  }
}
