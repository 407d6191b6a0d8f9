package dev.millrace.runtime.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * The Kryo that encodes user types (records, POJOs, enums) for {@link TaggedRecordCodec}.
 *
 * <p>Configured for data, not programs: classes need no registration (their names go into the bytes
 * once per {@code encode}), no reference tracking (records are trees), classes without a
 * no-argument constructor are instantiated without one, and lambdas and inner classes are refused
 * instead of dragging the program's objects along. Not thread-safe; {@link #pool()} hands out one
 * instance per thread.
 */
public final class CodecKryo extends Kryo {

  private CodecKryo() {
    setRegistrationRequired(false);
    setReferences(false);
    // One class table per encode/decode call; the codec resets after each call.
    setAutoReset(false);
    setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
  }

  /**
   * The thread's context class loader: a driver loads the application's jars into a class loader of
   * their own and makes it the context class loader of the threads that run batches, so classes
   * named in the bytes are found there. Kryo's own loader, the fallback, sees only the class path.
   */
  @Override
  public ClassLoader getClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : super.getClassLoader();
  }

  /**
   * A thread-safe pool of configured instances; borrowers must {@link #reset()} before release.
   * Public for the codec benchmark in {@code bench}, which measures Kryo alone with this
   * configuration against the tagged codec.
   */
  public static Pool<Kryo> pool() {
    return new Pool<>(true, false, 4 * Runtime.getRuntime().availableProcessors()) {
      @Override
      protected Kryo create() {
        return new CodecKryo();
      }
    };
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Serializer getDefaultSerializer(Class type) {
    if (type.isHidden() || type.isSynthetic()) {
      throw new KryoException(
          "class "
              + type.getName()
              + " is a lambda or other generated class: it is part of the program, not data."
              + " Keep plain values (records, strings, numbers, collections) in records and"
              + " state, and keep functions in the program.");
    }
    Serializer serializer = super.getDefaultSerializer(type);
    // Views and wrappers of the JDK (Collections.unmodifiableList, HashMap.keySet, ...) have no
    // constructor Kryo could call and are not open to reflection; they travel as plain copies,
    // as do anonymous subclasses ("double brace" maps), whose enclosing object stays behind.
    if (serializer.getClass() == CollectionSerializer.class && !isConstructible(type)) {
      return new CopyingCollectionSerializer();
    }
    if (serializer.getClass() == MapSerializer.class && !isConstructible(type)) {
      return new CopyingMapSerializer();
    }
    if (capturesEnclosingInstance(type)) {
      throw new KryoException(
          "class "
              + type.getName()
              + " is an anonymous or inner class: its objects carry the enclosing object of"
              + " the program along. Make it a top-level or static nested class, or a record.");
    }
    return serializer;
  }

  private static boolean capturesEnclosingInstance(Class<?> type) {
    boolean innerOrLocal = type.isAnonymousClass() || type.isLocalClass() || type.isMemberClass();
    return innerOrLocal
        && !Modifier.isStatic(type.getModifiers())
        && !type.isEnum()
        && !Enum.class.isAssignableFrom(type)
        && !type.isRecord()
        && Arrays.stream(type.getDeclaredFields()).anyMatch(Field::isSynthetic);
  }

  private static boolean isConstructible(Class<?> type) {
    if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
      return false;
    }
    try {
      return Modifier.isPublic(type.getConstructor().getModifiers());
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** Reads a list, set or other collection the JDK does not let us construct as a mutable copy. */
  @SuppressWarnings("rawtypes")
  private static final class CopyingCollectionSerializer extends CollectionSerializer<Collection> {
    @Override
    protected Collection create(
        Kryo kryo, Input input, Class<? extends Collection> type, int size) {
      int capacity = Math.min(size, input.limit() - input.position());
      if (List.class.isAssignableFrom(type)) {
        return new ArrayList<>(capacity);
      }
      if (Set.class.isAssignableFrom(type)) {
        return new LinkedHashSet<>(capacity);
      }
      return new ArrayList<>(capacity);
    }
  }

  /** Reads a map the JDK does not let us construct as a mutable, order-preserving copy. */
  @SuppressWarnings("rawtypes")
  private static final class CopyingMapSerializer extends MapSerializer<Map> {
    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      return new LinkedHashMap<>(Math.min(size, input.limit() - input.position()));
    }
  }
}
