package dev.millrace.runtime.source;

/**
 * What a {@link ReceiverInput} calls on the receiver it runs: an application's {@code Receiver}
 * (through the engine's binding to it) or the engine's own socket receiver. The receiver calls the
 * input back to store, restart and report errors.
 */
public interface ReceiverLifecycle {

  /** A short name for logs, messages and the status. */
  String name();

  /** Starts receiving; must not block. */
  void onStart();

  /** Stops receiving: releases what {@link #onStart} opened. */
  void onStop();
}
