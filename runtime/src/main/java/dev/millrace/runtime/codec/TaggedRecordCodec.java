package dev.millrace.runtime.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import dev.millrace.streaming.Pair;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The standard {@link RecordCodec}: a tag byte and a compact payload for the values streams are
 * made of (strings, boxed primitives, {@link Pair}, lists, maps, sets, optionals, big numbers,
 * instants, UUIDs, byte arrays), and Kryo for everything else (user records, POJOs, enums).
 *
 * <p>Bytes are framed as {@code magic(4) crc32c(4) payload}, integers little-endian; the payload is
 * {@code varint count} followed by the records. The checksum turns truncation and bit rot into a
 * {@link RecordCodecException} before anything is parsed, and every length read from the payload is
 * checked against the bytes that remain, so corrupt input never allocates beyond its own size.
 *
 * <p>Lists, sets and maps of the JDK's own unnamed classes ({@code List.of}, {@code Arrays.asList},
 * {@code Collections.unmodifiableMap}, ...) decode as {@link ArrayList}, {@link LinkedHashSet} and
 * {@link LinkedHashMap}: equal, iteration order kept, mutable. Collections of any public class,
 * such as {@code TreeMap} or {@code LinkedList}, keep their class.
 */
final class TaggedRecordCodec implements RecordCodec {
  static final TaggedRecordCodec INSTANCE = new TaggedRecordCodec();

  /** "MRC" and format version 1. */
  private static final int MAGIC = 0x4d524301;

  private static final int HEADER_BYTES = 8;

  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte INT = 2;
  private static final byte LONG = 3;
  private static final byte DOUBLE = 4;
  private static final byte FLOAT = 5;
  private static final byte SHORT = 6;
  private static final byte BYTE = 7;
  private static final byte TRUE = 8;
  private static final byte FALSE = 9;
  private static final byte CHAR = 10;
  private static final byte BYTES = 11;
  private static final byte PAIR = 12;
  private static final byte ARRAY_LIST = 13;
  private static final byte HASH_MAP = 14;
  private static final byte LINKED_HASH_MAP = 15;
  private static final byte HASH_SET = 16;
  private static final byte LINKED_HASH_SET = 17;
  private static final byte OPTIONAL_EMPTY = 18;
  private static final byte OPTIONAL = 19;
  private static final byte BIG_DECIMAL = 20;
  private static final byte BIG_INTEGER = 21;
  private static final byte INSTANT = 22;
  private static final byte UUID_TAG = 23;
  private static final byte KRYO = 127;

  private final Pool<Kryo> kryos = CodecKryo.pool();

  private TaggedRecordCodec() {}

  @Override
  public byte[] encode(List<?> records) {
    Output output = new Output(4096, -1);
    output.setPosition(HEADER_BYTES);
    output.writeVarInt(records.size(), true);
    Kryo kryo = kryos.obtain();
    boolean completed = false;
    try {
      int index = 0;
      for (Object record : records) {
        try {
          write(kryo, output, record);
        } catch (RuntimeException e) {
          // KryoException, or the module system refusing reflection into a JDK class.
          throw notEncodable(index, record, e);
        } catch (StackOverflowError e) {
          throw new RecordCodecException(
              "record #"
                  + index
                  + " of "
                  + record.getClass().getName()
                  + " is too deeply nested or contains itself; records, keys and state values"
                  + " must be trees of values without cycles.",
              e);
        }
        index++;
      }
      completed = true;
    } finally {
      release(kryo, completed);
    }
    byte[] bytes = output.getBuffer();
    int end = output.position();
    CRC32C crc = new CRC32C();
    crc.update(bytes, HEADER_BYTES, end - HEADER_BYTES);
    output.setPosition(0);
    output.writeInt(MAGIC);
    output.writeInt((int) crc.getValue());
    output.setPosition(end);
    return output.toBytes();
  }

  private static RecordCodecException notEncodable(int index, Object record, Exception cause) {
    return new RecordCodecException(
        "record #"
            + index
            + " of "
            + record.getClass().getName()
            + " cannot be encoded: "
            + cause.getMessage()
            + "\nRecords, keys and state values must be data: strings, numbers, Pair, lists,"
            + " maps, sets, Optional, enums, java.time values, or your own records and classes"
            + " made of those. Convert other values (sockets, streams, functions, JDK"
            + " internals) into such data before they leave an operator.",
        cause);
  }

  @Override
  public List<Object> decode(byte[] bytes) {
    if (bytes.length < HEADER_BYTES + 1) {
      throw corrupt(bytes, "only " + bytes.length + " bytes, too short for any encoded batch");
    }
    Input input = new Input(bytes);
    if (input.readInt() != MAGIC) {
      throw corrupt(bytes, "they do not start with the record codec's magic number");
    }
    int expectedCrc = input.readInt();
    CRC32C crc = new CRC32C();
    crc.update(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES);
    if ((int) crc.getValue() != expectedCrc) {
      throw corrupt(bytes, "their checksum does not match (truncated or damaged)");
    }
    Kryo kryo = kryos.obtain();
    boolean completed = false;
    try {
      int count = readLength(input);
      List<Object> records = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        records.add(read(kryo, input));
      }
      if (input.position() != bytes.length) {
        throw corrupt(bytes, (bytes.length - input.position()) + " bytes follow the last record");
      }
      completed = true;
      return records;
    } catch (RecordCodecException e) {
      throw e;
    } catch (KryoException e) {
      if (e.getCause() instanceof ClassNotFoundException) {
        throw new RecordCodecException(
            "the bytes hold records of a class this process cannot load: "
                + e.getMessage()
                + "\nPut the application jar that defines it on this process's class path (the"
                + " same build that wrote the bytes).",
            e);
      }
      throw corrupt(bytes, e.getMessage(), e);
    } catch (RuntimeException | StackOverflowError e) {
      // Whatever parsing garbage throws: bad lengths, unknown tags, impossible values.
      throw corrupt(bytes, e.toString(), e);
    } finally {
      release(kryo, completed);
    }
  }

  /** Pools a Kryo for reuse, unless a failure may have left it half-way through an object. */
  private void release(Kryo kryo, boolean completed) {
    if (completed) {
      kryo.reset();
      kryos.free(kryo);
    }
  }

  private static RecordCodecException corrupt(byte[] bytes, String reason) {
    return corrupt(bytes, reason, null);
  }

  private static RecordCodecException corrupt(byte[] bytes, String reason, Throwable cause) {
    return new RecordCodecException(
        "cannot decode "
            + bytes.length
            + " bytes of records: "
            + reason
            + ". The bytes were not written by RecordCodec.encode of a compatible build, or were"
            + " damaged in storage or transit; restore them from their source.",
        cause);
  }

  /** The tag each class is written with, decided once per class. */
  private static final ClassValue<Byte> TAGS =
      new ClassValue<>() {
        @Override
        protected Byte computeValue(Class<?> type) {
          return tagOf(type);
        }
      };

  private static byte tagOf(Class<?> type) {
    if (type == String.class) {
      return STRING;
    } else if (type == Long.class) {
      return LONG;
    } else if (type == Integer.class) {
      return INT;
    } else if (type == Pair.class) {
      return PAIR;
    } else if (type == Double.class) {
      return DOUBLE;
    } else if (type == Boolean.class) {
      return TRUE;
    } else if (type == Float.class) {
      return FLOAT;
    } else if (type == Short.class) {
      return SHORT;
    } else if (type == Byte.class) {
      return BYTE;
    } else if (type == Character.class) {
      return CHAR;
    } else if (type == byte[].class) {
      return BYTES;
    } else if (type == BigDecimal.class) {
      return BIG_DECIMAL;
    } else if (type == BigInteger.class) {
      return BIG_INTEGER;
    } else if (type == Instant.class) {
      return INSTANT;
    } else if (type == UUID.class) {
      return UUID_TAG;
    } else if (type == Optional.class) {
      return OPTIONAL;
    } else if (type == ArrayList.class
        || (List.class.isAssignableFrom(type) && isJdkInternal(type))) {
      return ARRAY_LIST;
    } else if (type == HashMap.class) {
      return HASH_MAP;
    } else if (type == LinkedHashMap.class
        || (Map.class.isAssignableFrom(type) && isJdkInternal(type))) {
      return LINKED_HASH_MAP;
    } else if (type == HashSet.class) {
      return HASH_SET;
    } else if (type == LinkedHashSet.class
        || (Set.class.isAssignableFrom(type) && isJdkInternal(type))) {
      return LINKED_HASH_SET;
    }
    return KRYO;
  }

  private void write(Kryo kryo, Output out, Object value) {
    if (value == null) {
      out.writeByte(NULL);
      return;
    }
    byte tag = TAGS.get(value.getClass());
    switch (tag) {
      case STRING:
        out.writeByte(STRING);
        out.writeString((String) value);
        break;
      case LONG:
        out.writeByte(LONG);
        out.writeVarLong((Long) value, false);
        break;
      case INT:
        out.writeByte(INT);
        out.writeVarInt((Integer) value, false);
        break;
      case PAIR:
        Pair<?, ?> pair = (Pair<?, ?>) value;
        out.writeByte(PAIR);
        write(kryo, out, pair.key());
        write(kryo, out, pair.value());
        break;
      case DOUBLE:
        out.writeByte(DOUBLE);
        out.writeDouble((Double) value);
        break;
      case TRUE:
        out.writeByte((Boolean) value ? TRUE : FALSE);
        break;
      case FLOAT:
        out.writeByte(FLOAT);
        out.writeFloat((Float) value);
        break;
      case SHORT:
        out.writeByte(SHORT);
        out.writeShort((Short) value);
        break;
      case BYTE:
        out.writeByte(BYTE);
        out.writeByte((Byte) value);
        break;
      case CHAR:
        out.writeByte(CHAR);
        out.writeChar((Character) value);
        break;
      case BYTES:
        byte[] array = (byte[]) value;
        out.writeByte(BYTES);
        out.writeVarInt(array.length, true);
        out.writeBytes(array);
        break;
      case BIG_DECIMAL:
        BigDecimal decimal = (BigDecimal) value;
        out.writeByte(BIG_DECIMAL);
        out.writeVarInt(decimal.scale(), false);
        writeBigInteger(out, decimal.unscaledValue());
        break;
      case BIG_INTEGER:
        out.writeByte(BIG_INTEGER);
        writeBigInteger(out, (BigInteger) value);
        break;
      case INSTANT:
        Instant instant = (Instant) value;
        out.writeByte(INSTANT);
        out.writeVarLong(instant.getEpochSecond(), false);
        out.writeVarInt(instant.getNano(), true);
        break;
      case UUID_TAG:
        UUID uuid = (UUID) value;
        out.writeByte(UUID_TAG);
        out.writeLong(uuid.getMostSignificantBits());
        out.writeLong(uuid.getLeastSignificantBits());
        break;
      case OPTIONAL:
        Optional<?> optional = (Optional<?>) value;
        if (optional.isEmpty()) {
          out.writeByte(OPTIONAL_EMPTY);
        } else {
          out.writeByte(OPTIONAL);
          write(kryo, out, optional.get());
        }
        break;
      case ARRAY_LIST:
      case HASH_SET:
      case LINKED_HASH_SET:
        out.writeByte(tag);
        writeElements(kryo, out, (Collection<?>) value);
        break;
      case HASH_MAP:
      case LINKED_HASH_MAP:
        out.writeByte(tag);
        writeEntries(kryo, out, (Map<?, ?>) value);
        break;
      default:
        out.writeByte(KRYO);
        kryo.writeClassAndObject(out, value);
    }
  }

  /**
   * A collection class users cannot name or construct ({@code List.of}, {@code Arrays.asList},
   * unmodifiable views): only its contents matter.
   */
  private static boolean isJdkInternal(Class<?> type) {
    return !Modifier.isPublic(type.getModifiers()) && type.getName().startsWith("java.util.");
  }

  private void writeElements(Kryo kryo, Output out, Collection<?> elements) {
    out.writeVarInt(elements.size(), true);
    for (Object element : elements) {
      write(kryo, out, element);
    }
  }

  private void writeEntries(Kryo kryo, Output out, Map<?, ?> map) {
    out.writeVarInt(map.size(), true);
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      write(kryo, out, entry.getKey());
      write(kryo, out, entry.getValue());
    }
  }

  private static void writeBigInteger(Output out, BigInteger value) {
    byte[] magnitude = value.toByteArray();
    out.writeVarInt(magnitude.length, true);
    out.writeBytes(magnitude);
  }

  private Object read(Kryo kryo, Input in) {
    byte tag = in.readByte();
    switch (tag) {
      case NULL:
        return null;
      case STRING:
        return readString(in);
      case LONG:
        return in.readVarLong(false);
      case INT:
        return in.readVarInt(false);
      case PAIR:
        Object key = read(kryo, in);
        return new Pair<>(key, read(kryo, in));
      case DOUBLE:
        return in.readDouble();
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      case FLOAT:
        return in.readFloat();
      case SHORT:
        return in.readShort();
      case BYTE:
        return in.readByte();
      case CHAR:
        return in.readChar();
      case BYTES:
        return in.readBytes(readLength(in));
      case BIG_DECIMAL:
        int scale = in.readVarInt(false);
        return new BigDecimal(readBigInteger(in), scale);
      case BIG_INTEGER:
        return readBigInteger(in);
      case INSTANT:
        long seconds = in.readVarLong(false);
        return Instant.ofEpochSecond(seconds, in.readVarInt(true));
      case UUID_TAG:
        long mostSignificant = in.readLong();
        return new UUID(mostSignificant, in.readLong());
      case OPTIONAL_EMPTY:
        return Optional.empty();
      case OPTIONAL:
        return Optional.of(read(kryo, in));
      case ARRAY_LIST:
        int listSize = readLength(in);
        return readElements(kryo, in, listSize, new ArrayList<>(listSize));
      case HASH_SET:
        int setSize = readLength(in);
        return readElements(kryo, in, setSize, new HashSet<>(mapCapacity(setSize)));
      case LINKED_HASH_SET:
        int linkedSetSize = readLength(in);
        return readElements(
            kryo, in, linkedSetSize, new LinkedHashSet<>(mapCapacity(linkedSetSize)));
      case HASH_MAP:
        int mapSize = readLength(in);
        return readEntries(kryo, in, mapSize, new HashMap<>(mapCapacity(mapSize)));
      case LINKED_HASH_MAP:
        int linkedMapSize = readLength(in);
        return readEntries(
            kryo, in, linkedMapSize, new LinkedHashMap<>(mapCapacity(linkedMapSize)));
      case KRYO:
        return kryo.readClassAndObject(in);
      default:
        throw new IllegalStateException(
            "unknown type tag " + tag + " at byte " + (in.position() - 1));
    }
  }

  /** A hash capacity that holds {@code size} entries without rehashing. */
  private static int mapCapacity(int size) {
    return (int) Math.min(Integer.MAX_VALUE, size * 4L / 3 + 1);
  }

  private <C extends Collection<Object>> C readElements(Kryo kryo, Input in, int size, C target) {
    for (int i = 0; i < size; i++) {
      target.add(read(kryo, in));
    }
    return target;
  }

  private Map<Object, Object> readEntries(
      Kryo kryo, Input in, int size, Map<Object, Object> target) {
    for (int i = 0; i < size; i++) {
      Object key = read(kryo, in);
      target.put(key, read(kryo, in));
    }
    return target;
  }

  /** A non-negative length that fits in the bytes still unread. */
  private static int readLength(Input in) {
    int length = in.readVarInt(true);
    int remaining = in.limit() - in.position();
    if (length < 0 || length > remaining) {
      throw new IllegalStateException(
          "a length of "
              + length
              + " at byte "
              + in.position()
              + " exceeds the "
              + remaining
              + " bytes left");
    }
    return length;
  }

  /**
   * Kryo's string reader sizes its buffer by the character count it reads; check that count against
   * the bytes left first (every character takes at least one byte).
   */
  private static String readString(Input in) {
    int position = in.position();
    if (position < in.limit() && (in.getBuffer()[position] & 0x80) != 0) {
      int charCountPlusOne = in.readVarIntFlag(true);
      int remaining = in.limit() - in.position();
      if (charCountPlusOne - 1 > remaining) {
        throw new IllegalStateException(
            "a string of "
                + (charCountPlusOne - 1)
                + " characters at byte "
                + position
                + " exceeds the "
                + remaining
                + " bytes left");
      }
      in.setPosition(position);
    }
    return in.readString();
  }

  private static BigInteger readBigInteger(Input in) {
    return new BigInteger(in.readBytes(readLength(in)));
  }
}
