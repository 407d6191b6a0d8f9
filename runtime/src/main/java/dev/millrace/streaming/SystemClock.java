package dev.millrace.streaming;

/** The wall clock, sleeping in short steps so a wait reacts to interrupts promptly. */
final class SystemClock implements Clock {
  static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  @Override
  public long millis() {
    return System.currentTimeMillis();
  }

  @Override
  public long waitUntil(long targetMillis) throws InterruptedException {
    long now = millis();
    while (now < targetMillis) {
      Thread.sleep(Math.min(targetMillis - now, 100));
      now = millis();
    }
    return now;
  }
}
