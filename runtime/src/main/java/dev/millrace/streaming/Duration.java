package dev.millrace.streaming;

/**
 * A length of time in whole milliseconds: a batch interval, a window length or a slide interval.
 *
 * <p>Create one with {@link Durations}. Window lengths and slide intervals must be multiples of the
 * batch interval of the stream they apply to; {@link #isMultipleOf(Duration)} is the rule used.
 *
 * @param milliseconds the length in milliseconds, at least 0
 */
public record Duration(long milliseconds) implements Comparable<Duration> {

  /** Checks that the length is not negative. */
  public Duration {
    if (milliseconds < 0) {
      throw new ConfigurationException(
          "a duration cannot be negative, got " + milliseconds + " ms");
    }
  }

  /** Whether this duration is a whole, non-zero multiple of {@code other}. */
  public boolean isMultipleOf(Duration other) {
    return other.milliseconds > 0 && milliseconds > 0 && milliseconds % other.milliseconds == 0;
  }

  /** This duration plus {@code other}. */
  public Duration plus(Duration other) {
    return new Duration(Math.addExact(milliseconds, other.milliseconds));
  }

  /** This duration times {@code factor}. */
  public Duration times(long factor) {
    return new Duration(Math.multiplyExact(milliseconds, factor));
  }

  /** How many times {@code other} fits into this duration, rounded down. */
  public long div(Duration other) {
    return milliseconds / other.milliseconds;
  }

  @Override
  public int compareTo(Duration other) {
    return Long.compare(milliseconds, other.milliseconds);
  }

  /** For example {@code 1000 ms}. */
  @Override
  public String toString() {
    return milliseconds + " ms";
  }
}
