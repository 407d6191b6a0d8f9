package dev.millrace.bench.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The packed count and oldest timestamp both engines reduce in the delay measurement. */
class CountSinceTest {
  private static final long BASE = 1_796_000_000_000L;

  @Test
  void mergingSumsTheCountsAndKeepsTheOldestTimestamp() {
    long a = CountSince.one(BASE + 500, BASE);
    long b = CountSince.one(BASE + 20, BASE);
    long c = CountSince.one(BASE + 4_000_000_000L, BASE);

    long merged = CountSince.merge(CountSince.merge(a, c), b);

    assertEquals("3," + (BASE + 20), CountSince.format(merged, BASE));
    assertEquals(BASE + 20, CountSince.oldest(CountSince.format(merged, BASE)));
  }

  @Test
  void aTimestampBeforeTheBaseIsRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CountSince.one(BASE - 1, BASE));
    assertEquals(
        "record timestamp "
            + (BASE - 1)
            + " is not within 49 days after the base "
            + BASE
            + ": run the latency measurement on a fresh topic",
        e.getMessage());
  }
}
