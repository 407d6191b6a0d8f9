package dev.millrace.streaming;

import static dev.millrace.streaming.References.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JoinTest {
  private final TestingStreams t = new TestingStreams();

  @AfterEach
  void stop() {
    t.close();
  }

  private static List<List<Pair<Integer, String>>> random(long seed, String tag) {
    Random rnd = new Random(seed);
    List<List<Pair<Integer, String>>> batches = new ArrayList<>();
    for (int b = 0; b < 4; b++) {
      List<Pair<Integer, String>> batch = new ArrayList<>();
      for (int i = 0; i < rnd.nextInt(30); i++) {
        batch.add(Pair.of(rnd.nextInt(10), tag + i));
      }
      batches.add(batch);
    }
    return batches;
  }

  @Test
  void joinLeftOuterJoinAndCogroupMatchNestedLoopReferences() {
    List<List<Pair<Integer, String>>> left = random(1, "l");
    List<List<Pair<Integer, String>>> right = random(2, "r");
    PairDStream<Integer, String> a = PairDStream.of(t.queue(left));
    PairDStream<Integer, String> b = PairDStream.of(t.queue(right));
    TestingStreams.Collected<Pair<Integer, Pair<String, String>>> join = t.collect(a.join(b, 3));
    TestingStreams.Collected<Pair<Integer, Pair<String, Optional<String>>>> outer =
        t.collect(a.leftOuterJoin(b));
    TestingStreams.Collected<Pair<Integer, Pair<List<String>, List<String>>>> cogroup =
        t.collect(a.cogroup(b, 4));
    t.runBatches(4);

    for (int k = 1; k <= 4; k++) {
      List<Pair<Integer, Pair<String, String>>> expectedJoin = new ArrayList<>();
      List<Pair<Integer, Pair<String, Optional<String>>>> expectedOuter = new ArrayList<>();
      for (Pair<Integer, String> l : left.get(k - 1)) {
        boolean matched = false;
        for (Pair<Integer, String> r : right.get(k - 1)) {
          if (l.key().equals(r.key())) {
            expectedJoin.add(Pair.of(l.key(), Pair.of(l.value(), r.value())));
            expectedOuter.add(Pair.of(l.key(), Pair.of(l.value(), Optional.of(r.value()))));
            matched = true;
          }
        }
        if (!matched) {
          expectedOuter.add(Pair.of(l.key(), Pair.of(l.value(), Optional.empty())));
        }
      }
      assertEquals(sorted(expectedJoin), sorted(join.batch(k)), "join, batch " + k);
      assertEquals(sorted(expectedOuter), sorted(outer.batch(k)), "leftOuterJoin, batch " + k);

      java.util.Map<Integer, Pair<List<String>, List<String>>> groups = new java.util.HashMap<>();
      for (Pair<Integer, String> l : left.get(k - 1)) {
        groups
            .computeIfAbsent(l.key(), x -> Pair.of(new ArrayList<>(), new ArrayList<>()))
            .key()
            .add(l.value());
      }
      for (Pair<Integer, String> r : right.get(k - 1)) {
        groups
            .computeIfAbsent(r.key(), x -> Pair.of(new ArrayList<>(), new ArrayList<>()))
            .value()
            .add(r.value());
      }
      java.util.Map<Integer, Pair<List<String>, List<String>>> actual =
          References.asMap(cogroup.batch(k));
      assertEquals(groups.keySet(), actual.keySet(), "cogroup keys, batch " + k);
      for (Integer key : groups.keySet()) {
        assertEquals(sorted(groups.get(key).key()), sorted(actual.get(key).key()));
        assertEquals(sorted(groups.get(key).value()), sorted(actual.get(key).value()));
      }
    }
  }
}
