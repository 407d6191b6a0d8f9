package dev.millrace.streaming;

import static dev.millrace.streaming.References.concat;
import static dev.millrace.streaming.References.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowTest {
  private final TestingStreams t = new TestingStreams();

  @AfterEach
  void stop() {
    t.close();
  }

  /** Batch k holds the records k*100 .. k*100+k-1, so every record names its batch. */
  private static List<List<Integer>> numberedBatches(int n) {
    List<List<Integer>> batches = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      List<Integer> b = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        b.add(k * 100 + i);
      }
      batches.add(b);
    }
    return batches;
  }

  @Test
  void windowOfLengthThreeSlidingByTwoCoversTheSeedsBatches() {
    List<List<Integer>> input = numberedBatches(9);
    TestingStreams.Collected<Integer> out =
        t.collect(
            t.queue(input).window(Durations.milliseconds(3000), Durations.milliseconds(2000)));
    t.runBatches(9);

    for (int k = 1; k <= 9; k++) {
      if (k % 2 == 1) {
        assertNull(out.batch(k), "a window sliding by 2 batches has no batch at batch " + k);
      } else {
        assertEquals(
            sorted(concat(input, k - 2, k)),
            sorted(out.batch(k)),
            "the window at batch " + k + " holds batches " + Math.max(1, k - 2) + ".." + k);
      }
    }
  }

  @Test
  void countAndReduceByWindowAggregateTheWindowsRecords() {
    List<List<Integer>> input = numberedBatches(7);
    DStream<Integer> s = t.queue(input);
    TestingStreams.Collected<Long> counts =
        t.collect(s.countByWindow(Durations.seconds(3), Durations.seconds(1)));
    TestingStreams.Collected<Integer> sums =
        t.collect(s.reduceByWindow(Integer::sum, Durations.seconds(4), Durations.seconds(2)));
    t.runBatches(7);

    for (int k = 1; k <= 7; k++) {
      assertEquals(List.of((long) concat(input, k - 2, k).size()), counts.batch(k), "batch " + k);
    }
    for (int k = 2; k <= 6; k += 2) {
      int expected = concat(input, k - 3, k).stream().mapToInt(Integer::intValue).sum();
      assertEquals(List.of(expected), sums.batch(k), "batch " + k);
    }
  }

  private static List<List<Pair<String, Long>>> randomPairs(long seed, int batches, int keys) {
    Random rnd = new Random(seed);
    List<List<Pair<String, Long>>> input = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<Pair<String, Long>> batch = new ArrayList<>();
      // Some batches empty, some with few keys, so keys enter and leave windows.
      int size = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(60);
      for (int i = 0; i < size; i++) {
        batch.add(Pair.of("k" + rnd.nextInt(keys), (long) rnd.nextInt(10)));
      }
      input.add(batch);
    }
    return input;
  }

  @ParameterizedTest(name = "length {0} batches, slide {1}, seed {2}")
  @CsvSource({"3,1,1", "3,2,2", "5,1,3", "4,2,4", "6,3,5", "2,2,6", "2,3,7", "1,1,8"})
  void incrementalWindowedReduceEqualsPlainWindowedReduceAndReference(
      int lengthBatches, int slideBatches, long seed) {
    int n = 24;
    List<List<Pair<String, Long>>> input = randomPairs(seed, n, 12);
    PairDStream<String, Long> pairs = PairDStream.of(t.queue(input));
    Duration len = Durations.seconds(lengthBatches);
    Duration slide = Durations.seconds(slideBatches);
    TestingStreams.Collected<Pair<String, Long>> plain =
        t.collect(pairs.reduceByKeyAndWindow(Long::sum, len, slide));
    TestingStreams.Collected<Pair<String, Long>> incremental =
        t.collect(pairs.reduceByKeyAndWindow(Long::sum, (a, b) -> a - b, len, slide));
    TestingStreams.Collected<Pair<String, Long>> counted =
        t.collect(pairs.map(Pair::key).countByValueAndWindow(len, slide, 3));
    t.runBatches(n);

    for (int k = slideBatches; k <= n; k += slideBatches) {
      List<Pair<String, Long>> window = concat(input, k - lengthBatches + 1, k);
      Map<String, Long> expected = References.reduceByKey(window, Long::sum);
      assertEquals(expected, References.asMap(plain.batch(k)), "plain window at batch " + k);
      assertEquals(
          expected, References.asMap(incremental.batch(k)), "incremental window at batch " + k);
      Map<String, Long> expectedCounts =
          window.stream().collect(Collectors.groupingBy(Pair::key, Collectors.counting()));
      assertEquals(expectedCounts, References.asMap(counted.batch(k)), "counts at batch " + k);
    }
  }

  @Test
  void incrementalWindowFilterHidesKeysButKeepsTheirValuesExact() {
    List<List<Pair<String, Long>>> input =
        List.of(
            List.of(Pair.of("a", 5L), Pair.of("b", 1L)),
            List.of(Pair.of("a", -5L)),
            List.of(Pair.of("a", 2L)),
            List.of());
    TestingStreams.Collected<Pair<String, Long>> out =
        t.collect(
            PairDStream.of(t.queue(input))
                .reduceByKeyAndWindow(
                    Long::sum,
                    (a, b) -> a - b,
                    Durations.seconds(3),
                    Durations.seconds(1),
                    2,
                    p -> p.value() != 0));
    t.runBatches(4);

    assertEquals(Map.of("a", 5L, "b", 1L), References.asMap(out.batch(1)));
    assertEquals(Map.of("b", 1L), References.asMap(out.batch(2)), "a sums to 0 and is filtered");
    assertEquals(Map.of("a", 2L, "b", 1L), References.asMap(out.batch(3)));
    assertEquals(Map.of("a", -3L), References.asMap(out.batch(4)), "b left the window");
  }

  @Test
  void windowArgumentsThatAreNotMultiplesOfTheBatchIntervalAreRefused() {
    DStream<Integer> s = t.queue(List.of());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> s.window(Durations.milliseconds(2500), Durations.seconds(1)));
    assertTrue(e.getMessage().contains("2500 ms"), e.getMessage());
    assertTrue(e.getMessage().contains("1000 ms"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> s.countByWindow(Durations.seconds(2), Durations.milliseconds(1500)));
    assertTrue(e.getMessage().startsWith("countByWindow()"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PairDStream.of(s.map(x -> Pair.of(x, x)))
                .reduceByKeyAndWindow(
                    Integer::sum, (a, b) -> a - b, Durations.seconds(0), Durations.seconds(1)));
  }

  @Test
  void windowsOfWindowsSlideOnTheInnerWindowsSlide() {
    List<List<Integer>> input = numberedBatches(8);
    DStream<Integer> inner = t.queue(input).window(Durations.seconds(2), Durations.seconds(2));
    TestingStreams.Collected<Integer> outer =
        t.collect(inner.window(Durations.seconds(4), Durations.seconds(4)));
    assertThrows(IllegalArgumentException.class, () -> inner.window(Durations.seconds(3)));
    t.runBatches(8);
    assertEquals(sorted(concat(input, 1, 4)), sorted(outer.batch(4)));
    assertEquals(sorted(concat(input, 5, 8)), sorted(outer.batch(8)));
  }
}
