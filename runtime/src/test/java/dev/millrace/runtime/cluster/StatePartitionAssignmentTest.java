package dev.millrace.runtime.cluster;

import static dev.millrace.runtime.cluster.StatePartitionAssignment.NONE;
import static dev.millrace.runtime.cluster.StatePartitionAssignment.assign;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatePartitionAssignmentTest {

  @Test
  void partitionsWithoutAnOwnerAreSpreadEvenlyOverTheLiveSessions() {
    long[] owners = assign(new long[] {NONE, NONE, NONE, NONE, NONE}, List.of(7L, 9L), Map.of());

    assertEquals(Map.of(7L, 3, 9L, 2), loads(owners));
  }

  @Test
  void aLostOwnersPartitionsGoToTheLeastLoadedAndTheOthersStay() {
    long[] owners = assign(new long[] {1, 2, 3, 1, 2, 3}, List.of(1L, 2L), Map.of());

    assertEquals(1, owners[0]);
    assertEquals(2, owners[1]);
    assertEquals(1, owners[3]);
    assertEquals(2, owners[4]);
    assertEquals(Map.of(1L, 3, 2L, 3), loads(owners));
  }

  @Test
  void aJoiningSessionTakesItsShareAndNoMore() {
    long[] before = {1, 1, 1, 2, 2, 2};

    long[] after = assign(before, List.of(1L, 2L, 3L), Map.of());

    assertEquals(Map.of(1L, 2, 2L, 2, 3L, 2), loads(after));
    int moved = 0;
    for (int p = 0; p < before.length; p++) {
      moved += before[p] == after[p] ? 0 : 1;
    }
    assertEquals(2, moved);
  }

  @Test
  void partitionsGoWhereFewestPartitionsOfOtherStatesAre() {
    // A first state put 2 partitions on session 1 and 1 on session 2; a third session joined.
    long[] owners =
        assign(new long[] {NONE, NONE, NONE}, List.of(1L, 2L, 3L), Map.of(1L, 2, 2L, 1));

    assertEquals(Map.of(2L, 1, 3L, 2), loads(owners));
  }

  @Test
  void withNoLiveSessionNoPartitionHasAnOwner() {
    assertArrayEquals(new long[] {NONE, NONE}, assign(new long[] {4, 5}, List.of(), Map.of()));
  }

  @Test
  void randomMembershipsAlwaysGiveBalancedStableAssignments() {
    Random random = new Random(42);
    for (int round = 0; round < 2_000; round++) {
      int partitions = 1 + random.nextInt(12);
      List<Long> live = new ArrayList<>();
      for (long s = 1; s <= 6; s++) {
        if (random.nextBoolean()) {
          live.add(s);
        }
      }
      long[] current = new long[partitions];
      for (int p = 0; p < partitions; p++) {
        current[p] = random.nextInt(7);
      }
      Map<Long, Integer> others = new HashMap<>();
      for (long s = 1; s <= 6; s++) {
        others.put(s, random.nextInt(4));
      }
      long[] next = assign(current, live, others);

      assertArrayEquals(next, assign(current, live, others), "not deterministic");
      assertArrayEquals(
          next, assign(next, live, others), "an assignment is not its own fixed point");
      if (live.isEmpty()) {
        continue;
      }
      Map<Long, Integer> loads = loads(next);
      live.forEach(s -> loads.putIfAbsent(s, 0));
      assertTrue(loads.keySet().stream().allMatch(live::contains), loads + " vs " + live);
      Map<Long, Integer> total = new HashMap<>();
      for (long s : live) {
        total.put(s, loads.get(s) + others.getOrDefault(s, 0));
      }
      int least = total.values().stream().min(Integer::compare).orElseThrow();
      for (long s : live) {
        assertTrue(
            loads.get(s) == 0 || total.get(s) - least <= 1,
            "session " + s + " keeps partitions while loaded above the least: " + total);
      }
    }
  }

  private static Map<Long, Integer> loads(long[] owners) {
    Map<Long, Integer> loads = new HashMap<>();
    for (long owner : owners) {
      loads.merge(owner, 1, Integer::sum);
    }
    return loads;
  }
}
