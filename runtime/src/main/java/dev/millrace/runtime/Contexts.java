package dev.millrace.runtime;

import dev.millrace.streaming.StreamingContext;
import java.util.Objects;

/**
 * The engine's side of a user's {@link StreamingContext}, for Millrace's own process mains (the
 * driver and executor of the launch contract) and tests: the description the context recorded, how
 * its engine is to run, and the engine it started. An application never needs this: its context
 * starts its own engine.
 *
 * <p>The user's API registers its side here when {@code StreamingContext} is loaded (the pattern of
 * the JDK's {@code SharedSecrets}), so that nothing public in {@code dev.millrace.streaming} hands
 * out engine types, and the API depends on the engine only through this package.
 */
public final class Contexts {
  private static volatile Access access;

  private Contexts() {}

  /** What the API lets the engine see of a context; implemented once, inside the API. */
  public interface Access {
    /** The description {@code context} records. */
    GraphDescription description(StreamingContext context);

    /** Makes {@code context} start its engine with {@code launch}; before start only. */
    void launchWith(StreamingContext context, EngineLaunch launch);

    /** The engine {@code context} started, or null before start. */
    Engine engine(StreamingContext context);
  }

  /**
   * Registers the API's side; once, by {@code StreamingContext}.
   *
   * @throws IllegalStateException if one is registered already
   */
  public static synchronized void register(Access api) {
    if (access != null) {
      throw new IllegalStateException("the streaming API's access is registered once");
    }
    access = Objects.requireNonNull(api, "api");
  }

  /** The description {@code context} records. */
  public static GraphDescription description(StreamingContext context) {
    return access().description(context);
  }

  /**
   * Makes {@code context} start its engine with {@code launch} instead of {@link
   * EngineLaunch#inProcess()}. Call before {@code start()}.
   */
  public static void launchWith(StreamingContext context, EngineLaunch launch) {
    access().launchWith(context, launch);
  }

  /** The engine {@code context} started, or null before start. */
  public static Engine engine(StreamingContext context) {
    return access().engine(context);
  }

  private static Access access() {
    // Every caller passes a context, so StreamingContext is initialized and has registered.
    return Objects.requireNonNull(access, "StreamingContext registers its access when loaded");
  }
}
