package dev.millrace.runtime.stream;

import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.Duration;

/** The rules a window's length and slide must follow, with messages that name the values. */
public final class Windows {
  private Windows() {}

  /**
   * Checks that {@code length} and {@code slide} are positive multiples of the parent's slide.
   *
   * @return the parent's graph, so node constructors can validate before registering
   */
  public static StreamGraph validate(
      String operation, StreamNode<?> parent, Duration length, Duration slide) {
    validate(operation, parent.slide(), length, slide);
    return parent.graph;
  }

  /**
   * Checks that {@code length} and {@code slide} are positive multiples of {@code unit}, the slide
   * of the stream windowed.
   */
  public static void validate(String operation, Duration unit, Duration length, Duration slide) {
    if (!length.isMultipleOf(unit)) {
      throw new ConfigurationException(
          operation
              + "(): the window length "
              + length
              + " must be a positive multiple of the stream's batch interval "
              + unit
              + ", for example "
              + unit.times(Math.max(1, length.div(unit))));
    }
    if (!slide.isMultipleOf(unit)) {
      throw new ConfigurationException(
          operation
              + "(): the slide interval "
              + slide
              + " must be a positive multiple of the stream's batch interval "
              + unit
              + ", for example "
              + unit.times(Math.max(1, slide.div(unit))));
    }
  }

  /** {@code operation(length=Lms, slide=Sms)}, plus {@code extra} if any: a window's shape. */
  static String shape(String operation, Duration length, Duration slide, String extra) {
    return operation
        + "(length="
        + length.milliseconds()
        + "ms, slide="
        + slide.milliseconds()
        + "ms"
        + extra
        + ")";
  }
}
