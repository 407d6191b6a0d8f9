package dev.millrace.runtime.codec;

import java.util.List;

/**
 * Turns records into bytes and back; thread-safe.
 *
 * <p>Records, keys and state values cross process boundaries and go into checkpoints through this
 * one codec. Nothing of the user's program (no closure, no class) is Java-serialized: the bytes
 * carry data and the names of the data's classes, which the decoding process must have on its class
 * path.
 */
public interface RecordCodec {

  /**
   * Encodes a list of records into one byte array.
   *
   * @param records the records, in order; elements may be {@code null}
   * @return bytes that {@link #decode(byte[])} turns back into an equal list
   * @throws RecordCodecException if a record, or a value inside it, is of a type this codec cannot
   *     encode; the message names the type and what to do instead
   */
  byte[] encode(List<?> records);

  /**
   * Decodes bytes written by {@link #encode(List)}.
   *
   * @param bytes the whole output of one {@code encode} call
   * @return a fresh mutable list of the records, in their original order
   * @throws RecordCodecException if the bytes are truncated or corrupt, or name a class that is not
   *     on this process's class path
   */
  List<Object> decode(byte[] bytes);

  /** The codec the engine uses for checkpoints and data exchange. */
  static RecordCodec standard() {
    return TaggedRecordCodec.INSTANCE;
  }
}
