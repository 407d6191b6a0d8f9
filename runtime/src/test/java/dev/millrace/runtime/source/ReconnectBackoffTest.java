package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

  @Test
  void doublesFromOneHundredMillisecondsUpToTwoSeconds() {
    ReconnectBackoff backoff = new ReconnectBackoff();
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      delays.add(backoff.nextDelayMillis());
    }

    assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L), delays);
  }

  @Test
  void startsAgainFromOneHundredMillisecondsAfterReset() {
    ReconnectBackoff backoff = new ReconnectBackoff();
    for (int i = 0; i < 10; i++) {
      backoff.nextDelayMillis();
    }

    backoff.reset();

    assertEquals(100L, backoff.nextDelayMillis());
    assertEquals(200L, backoff.nextDelayMillis());
  }
}
