package dev.millrace.streaming;

/**
 * A clock that moves only when told to: the way to test a streaming application batch by batch.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(0);
 * StreamingContext ssc = StreamingContext.builder()
 *     .master("local[2]").appName("test").batchInterval(Durations.seconds(1)).clock(clock).build();
 * ... define the graph, ssc.start() ...
 * clock.advance(1000);   // batch time 1000 is generated and processed
 * }</pre>
 */
public final class ManualClock implements Clock {
  private long now;

  /** A clock that reads {@code startMillis} until advanced. */
  public ManualClock(long startMillis) {
    this.now = startMillis;
  }

  @Override
  public synchronized long millis() {
    return now;
  }

  /** Moves time forward by {@code ms} and wakes everything waiting for a time now reached. */
  public synchronized void advance(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException(
          "a manual clock only moves forward, got advance(" + ms + ")");
    }
    now += ms;
    notifyAll();
  }

  /** Sets the time, which must not be earlier than the current one. */
  public synchronized void setTime(long millis) {
    if (millis < now) {
      throw new IllegalArgumentException(
          "a manual clock only moves forward: it reads " + now + ", setTime(" + millis + ")");
    }
    now = millis;
    notifyAll();
  }

  @Override
  public synchronized long waitUntil(long targetMillis) throws InterruptedException {
    while (now < targetMillis) {
      wait();
    }
    return now;
  }
}
