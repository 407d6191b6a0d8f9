package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReceiverRestartsTest {
  private final ReceiverRestarts restarts = new ReceiverRestarts(3, 60_000);

  @Test
  void eachFailureWithinTheWindowDoublesTheDelayUntilTheBudgetIsSpent() {
    assertEquals(OptionalLong.of(500), restarts.failed(1_000));
    assertEquals(OptionalLong.of(1_000), restarts.failed(2_000));
    assertEquals(OptionalLong.of(2_000), restarts.failed(4_000));
    assertEquals(OptionalLong.empty(), restarts.failed(7_000));
    assertEquals(4, restarts.failuresInWindow());
  }

  @Test
  void failuresOlderThanTheWindowNoLongerCount() {
    restarts.failed(0);
    restarts.failed(10_000);
    restarts.failed(20_000);

    assertEquals(OptionalLong.of(2_000), restarts.failed(60_000), "the failure at 0 has left");
    assertEquals(3, restarts.failuresInWindow());
    assertEquals(OptionalLong.of(500), restarts.failed(200_000));
  }

  @Test
  void theDelayIsCapped() {
    ReceiverRestarts many = new ReceiverRestarts(100, 60_000);
    long last = 0;
    for (int i = 0; i < 50; i++) {
      last = many.failed(i).getAsLong();
    }
    assertEquals(ReceiverRestarts.MAX_DELAY_MILLIS, last);
  }

  @Test
  void noRestartsAllowedGivesUpAtTheFirstFailure() {
    assertEquals(OptionalLong.empty(), new ReceiverRestarts(0, 1_000).failed(5));
  }

  @Test
  void aNegativeBudgetIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ReceiverRestarts(-1, 1_000));
    assertThrows(IllegalArgumentException.class, () -> new ReceiverRestarts(1, 0));
  }
}
