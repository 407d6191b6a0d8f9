package dev.millrace.runtime;

import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.source.ReceiverInput;
import dev.millrace.runtime.source.ReceiverLifecycle;
import dev.millrace.runtime.source.ReceiverSettings;
import dev.millrace.streaming.Receiver;
import java.util.List;

/**
 * Joins an application's {@link Receiver} to the {@link ReceiverInput} that runs it: the input's
 * lifecycle calls reach the receiver's {@code onStart} and {@code onStop} (through {@link
 * Receivers}), and the receiver's {@code store}, {@code restart} and {@code reportError} reach the
 * input. It lives at the engine's entry point because both the API and the source room see it from
 * here, the source room never depending on the entry point.
 *
 * @param <T> record type
 */
final class ReceiverBinding<T> implements ReceiverHost<T>, ReceiverLifecycle {
  private final Receiver<T> receiver;
  private ReceiverInput<T> input; // set once, before the input starts

  private ReceiverBinding(Receiver<T> receiver) {
    this.receiver = receiver;
  }

  /** The input running {@code receiver}, as {@link ReceiverInput#of} describes it. */
  static <T> ReceiverInput<T> input(
      Receiver<T> receiver,
      int partitions,
      ReceiverSettings settings,
      CheckpointStore store,
      String sourceId) {
    ReceiverBinding<T> binding = new ReceiverBinding<>(receiver);
    binding.input = ReceiverInput.of(binding, partitions, settings, store, sourceId);
    return binding.input;
  }

  @Override
  public String name() {
    return receiver.name();
  }

  @Override
  public void onStart() {
    Receivers.start(receiver, this);
  }

  @Override
  public void onStop() {
    Receivers.stop(receiver);
  }

  @Override
  public void store(List<? extends T> records) {
    input.store(records);
  }

  @Override
  public void restart(String message, Throwable error) {
    input.restart(message, error);
  }

  @Override
  public void reportError(String message, Throwable error) {
    input.reportError(message, error);
  }

  @Override
  public boolean isStopped() {
    return input.isStopped();
  }
}
