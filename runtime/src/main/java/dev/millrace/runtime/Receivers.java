package dev.millrace.runtime;

import dev.millrace.streaming.Receiver;
import java.util.Objects;

/**
 * The engine's side of an application's {@link Receiver}: attaching the input that runs it and
 * calling its {@code onStart} and {@code onStop}, which the application does not call itself.
 *
 * <p>{@code Receiver} registers its side here when it is loaded (the pattern of {@link Contexts}),
 * so that the public receiver hands out no engine type and the engine needs no public door into it.
 */
public final class Receivers {
  private static volatile Access access;

  private Receivers() {}

  /** What the API lets the engine do with a receiver; implemented once, inside the API. */
  public interface Access {
    /** Attaches {@code host} to {@code receiver} and calls its {@code onStart}. */
    <T> void start(Receiver<T> receiver, ReceiverHost<T> host);

    /** Calls {@code receiver}'s {@code onStop}. */
    void stop(Receiver<?> receiver);
  }

  /**
   * Registers the API's side; once, by {@code Receiver}.
   *
   * @throws IllegalStateException if one is registered already
   */
  public static synchronized void register(Access api) {
    if (access != null) {
      throw new IllegalStateException("the receiver API's access is registered once");
    }
    access = Objects.requireNonNull(api, "api");
  }

  /** Attaches {@code host} to {@code receiver} and calls its {@code onStart}. */
  public static <T> void start(Receiver<T> receiver, ReceiverHost<T> host) {
    access().start(receiver, host);
  }

  /** Calls {@code receiver}'s {@code onStop}. */
  public static void stop(Receiver<?> receiver) {
    access().stop(receiver);
  }

  private static Access access() {
    // Every caller passes a receiver, so Receiver is initialized and has registered.
    return Objects.requireNonNull(access, "Receiver registers its access when loaded");
  }
}
