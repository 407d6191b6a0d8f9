package dev.millrace.runtime.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HashPartitionerTest {

  @Test
  void placesEachKeyInTheSamePartitionEveryTimeAndInEveryPartitionerOfTheSameCount() {
    HashPartitioner one = new HashPartitioner(4);
    HashPartitioner other = new HashPartitioner(4);
    for (int i = 0; i < 200; i++) {
      String key = "word-" + i;
      int p = one.partition(key);
      assertEquals(p, one.partition(key), key);
      assertEquals(p, other.partition(key), key);
      assertEquals(p, one.partition(new String(key)), "an equal key, another instance: " + key);
    }
  }

  @Test
  void spreadsKeysOverEveryPartition() {
    HashPartitioner partitioner = new HashPartitioner(4);
    Set<Integer> used = new TreeSet<>();
    for (int i = 0; i < 100; i++) {
      used.add(partitioner.partition("word-" + i));
    }
    assertEquals(Set.of(0, 1, 2, 3), used);
  }

  @Test
  void spreadsKeysThatDifferOnlyInTheirHighBits() {
    // Multiples of 2^16 have identical low bits: without spreading the high bits they would all
    // land in partition 0.
    HashPartitioner partitioner = new HashPartitioner(4);
    List<Integer> partitions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      partitions.add(partitioner.partition(i << 16));
    }
    assertEquals(List.of(0, 1, 2, 3), partitions);
  }

  @Test
  void putsNullInPartitionZeroAndNegativeHashesInARealPartition() {
    HashPartitioner partitioner = new HashPartitioner(3);
    assertEquals(0, partitioner.partition(null));
    for (int key : new int[] {-1, -7, Integer.MIN_VALUE, Integer.MIN_VALUE + 1}) {
      int p = partitioner.partition(key);
      assertTrue(p >= 0 && p < 3, key + " went to partition " + p);
    }
  }

  @Test
  void refusesFewerThanOnePartitionNamingTheCount() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new HashPartitioner(0));
    assertEquals("the number of partitions must be at least 1, got 0", e.getMessage());
  }
}
