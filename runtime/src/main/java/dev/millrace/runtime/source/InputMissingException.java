package dev.millrace.runtime.source;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/**
 * Input that a batch took is gone although the batch still needs it: a recovery must replay the
 * batch, or the batch had not read it yet. Every restart would meet the same gap, so the
 * application stops instead; the launcher exits with the documented code for it (66) and
 * supervisors do not restart it. The message names the input, the batch and the way out.
 *
 * <p>Sources outside the runtime extend it for their own kind of gone input (Kafka offsets that
 * retention deleted before they were read), naming what is gone as the cause's file.
 */
public class InputMissingException extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  /** Input described by {@code message} is gone, as {@code cause} reported. */
  public InputMissingException(String message, NoSuchFileException cause) {
    super(message, cause);
  }

  @Override
  public NoSuchFileException getCause() {
    return (NoSuchFileException) super.getCause();
  }
}
