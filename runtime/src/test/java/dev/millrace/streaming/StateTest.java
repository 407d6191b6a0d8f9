package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StateTest {
  private final TestingStreams t = new TestingStreams();

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void updateStateByKeyKeepsRunningCountsAcrossBatches() {
    Random rnd = new Random(7);
    List<List<String>> input = new ArrayList<>();
    for (int b = 0; b < 12; b++) {
      List<String> batch = new ArrayList<>();
      int size = b == 4 ? 0 : rnd.nextInt(40);
      for (int i = 0; i < size; i++) {
        batch.add("w" + rnd.nextInt(15));
      }
      input.add(batch);
    }
    PairDStream<String, Integer> running =
        t.queue(input)
            .mapToPair(w -> Pair.of(w, 1))
            .updateStateByKey(
                (List<Integer> values, Optional<Integer> state) ->
                    Optional.of(
                        state.orElse(0) + values.stream().mapToInt(Integer::intValue).sum()),
                3);
    TestingStreams.Collected<Pair<String, Integer>> out = t.collect(running);
    t.runBatches(input.size());

    Map<String, Integer> expected = new HashMap<>();
    for (int k = 1; k <= input.size(); k++) {
      for (String w : input.get(k - 1)) {
        expected.merge(w, 1, Integer::sum);
      }
      assertEquals(expected, References.asMap(out.batch(k)), "running counts after batch " + k);
    }
  }

  @Test
  void updateFunctionSeesEveryKeyEachBatchAndEmptyDropsIt() {
    // State: how many consecutive batches a key has been silent; dropped after two.
    List<List<String>> input =
        List.of(List.of("a", "b"), List.of("a"), List.of(), List.of("b"), List.of());
    PairDStream<String, Integer> silence =
        t.queue(input)
            .mapToPair(w -> Pair.of(w, 1))
            .updateStateByKey(
                (List<Integer> values, Optional<Integer> quiet) -> {
                  if (!values.isEmpty()) {
                    return Optional.of(0);
                  }
                  int q = quiet.orElse(0) + 1;
                  return q >= 2 ? Optional.empty() : Optional.of(q);
                });
    TestingStreams.Collected<Pair<String, Integer>> out = t.collect(silence);
    t.runBatches(5);

    assertEquals(Map.of("a", 0, "b", 0), References.asMap(out.batch(1)));
    assertEquals(Map.of("a", 0, "b", 1), References.asMap(out.batch(2)));
    assertEquals(Map.of("a", 1), References.asMap(out.batch(3)), "b silent twice: dropped");
    assertEquals(Map.of("b", 0), References.asMap(out.batch(4)), "b returns as a new key");
    assertEquals(Map.of("b", 1), References.asMap(out.batch(5)));
  }

  @Test
  void stateIsComputedEvenInBatchesNoOutputReadsDirectly() {
    List<List<String>> input = List.of(List.of("x"), List.of("x"), List.of("x"), List.of("x"));
    PairDStream<String, Integer> running =
        t.queue(input)
            .mapToPair(w -> Pair.of(w, 1))
            .updateStateByKey(
                (List<Integer> v, Optional<Integer> s) -> Optional.of(s.orElse(0) + v.size()));
    // The only output reads the state every second batch.
    TestingStreams.Collected<Pair<String, Integer>> out =
        t.collect(running.window(Durations.seconds(2), Durations.seconds(2)));
    t.runBatches(4);
    assertEquals(List.of(Pair.of("x", 1), Pair.of("x", 2)), out.batch(2));
    assertEquals(List.of(Pair.of("x", 3), Pair.of("x", 4)), out.batch(4));
  }
}
