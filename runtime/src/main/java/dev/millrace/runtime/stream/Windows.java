package dev.millrace.runtime.stream;

import dev.millrace.streaming.Duration;

/** The rules a window's length and slide must follow, with messages that name the values. */
final class Windows {
  private Windows() {}

  static void validate(String operation, StreamNode<?> parent, Duration length, Duration slide) {
    Duration unit = parent.slide();
    if (!length.isMultipleOf(unit)) {
      throw new IllegalArgumentException(
          operation
              + "(): the window length "
              + length
              + " must be a positive multiple of the stream's batch interval "
              + unit
              + ", for example "
              + unit.times(Math.max(1, length.div(unit))));
    }
    if (!slide.isMultipleOf(unit)) {
      throw new IllegalArgumentException(
          operation
              + "(): the slide interval "
              + slide
              + " must be a positive multiple of the stream's batch interval "
              + unit
              + ", for example "
              + unit.times(Math.max(1, slide.div(unit))));
    }
  }
}
