package dev.millrace.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.streaming.Pair;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private final RecordCodec codec = RecordCodec.standard();

  record Click(String user, long ts) {}

  record Session(
      String user, List<Click> clicks, Map<String, Integer> pages, Optional<Level> level) {}

  enum Level {
    LOW,
    HIGH
  }

  enum Operation {
    PLUS {
      @Override
      int apply(int a, int b) {
        return a + b;
      }
    };

    abstract int apply(int a, int b);
  }

  /** A user class that is neither Serializable nor constructible without arguments. */
  static final class Counter {
    private final String name;
    private long count;

    Counter(String name, long count) {
      this.name = name;
      this.count = count;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Counter c && name.equals(c.name) && count == c.count;
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, count);
    }
  }

  record Holder(Object value) {}

  /** Not static: each instance holds the test object that created it. */
  class Inner {
    final int value;

    Inner(int value) {
      this.value = value;
    }
  }

  private List<Object> roundTrip(List<?> records) {
    return codec.decode(codec.encode(records));
  }

  private void assertRoundTrips(List<?> records) {
    List<Object> decoded = roundTrip(records);
    assertEquals(records, decoded);
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i) != null) {
        assertSame(records.get(i).getClass(), decoded.get(i).getClass(), "class of record " + i);
      }
    }
  }

  @Test
  void roundTripsNullAndEveryBoxedPrimitiveKeepingItsClass() {
    assertRoundTrips(
        Arrays.asList(
            null,
            42,
            Integer.MIN_VALUE,
            Long.MAX_VALUE,
            -1L,
            3.25d,
            Double.NaN,
            -0.0d,
            1.5f,
            (short) -7,
            (byte) 0x80,
            true,
            false,
            'x',
            '\uffff'));
  }

  @Test
  void roundTripsStringsIncludingNonBmpUnicodeAndLoneSurrogates() {
    assertRoundTrips(
        List.of("", "word", "naïve café", "日本語", "emoji \uD83D\uDE00 and 𝄞", "lone \uD800 half"));
  }

  @Test
  void roundTripsByteArraysByContent() {
    List<Object> decoded = roundTrip(List.of(new byte[0], new byte[] {1, -2, 127}));
    assertArrayEquals(new byte[0], (byte[]) decoded.get(0));
    assertArrayEquals(new byte[] {1, -2, 127}, (byte[]) decoded.get(1));
  }

  @Test
  void roundTripsPairsWithAnyKeysAndValues() {
    assertRoundTrips(
        List.of(
            Pair.of("word", 3L),
            Pair.of(7, List.of("a", "b")),
            Pair.of(Pair.of("nested", 1), new Click("ann", 5L))));
    assertRoundTrips(Arrays.asList(Pair.of(null, null)));
  }

  @Test
  void decodesListsOfEveryKindAsEqualMutableArrayLists() {
    List<List<?>> lists =
        List.of(
            List.of(),
            List.of(1),
            List.of(1, 2, 3),
            Arrays.asList("a", null),
            new ArrayList<>(List.of("x")),
            Collections.unmodifiableList(new ArrayList<>(List.of(1L))),
            Collections.emptyList(),
            Collections.singletonList("one"),
            List.of(1, 2, 3, 4).subList(1, 3),
            List.of("s").stream().toList());
    List<Object> decoded = roundTrip(lists);
    assertEquals(lists, decoded);
    for (Object list : decoded) {
      assertSame(ArrayList.class, list.getClass());
    }
  }

  @Test
  void keepsTheClassOfPublicCollections() {
    assertRoundTrips(
        List.of(
            new LinkedList<>(List.of(1, 2)),
            new TreeMap<>(Map.of("b", 2, "a", 1)),
            new java.util.TreeSet<>(Set.of(3, 1))));
  }

  @Test
  void roundTripsMapsKeepingTheirIterationOrderWhereTheyHaveOne() {
    Map<String, Integer> linked = new LinkedHashMap<>();
    linked.put("z", 1);
    linked.put("a", 2);
    assertRoundTrips(List.of(new HashMap<>(Map.of("k", 1L, "j", 2L)), linked));
    assertEquals(
        List.copyOf(linked.keySet()),
        List.copyOf(((Map<?, ?>) roundTrip(List.of(linked)).get(0)).keySet()));

    Map<String, Integer> immutable = Map.of("a", 1, "b", 2, "c", 3);
    Map<?, ?> decoded = (Map<?, ?>) roundTrip(List.of(immutable)).get(0);
    assertEquals(immutable, decoded);
    assertEquals(List.copyOf(immutable.keySet()), List.copyOf(decoded.keySet()));
    assertSame(LinkedHashMap.class, decoded.getClass());
    assertEquals(Map.of(), roundTrip(List.of(Map.of())).get(0));
  }

  @Test
  void roundTripsSetsOptionalsBigNumbersInstantsAndUuids() {
    assertRoundTrips(
        List.of(
            new HashSet<>(Set.of(1, 2)),
            new LinkedHashSet<>(List.of("b", "a")),
            Optional.empty(),
            Optional.of("x"),
            new BigDecimal("-12345678901234567890.000123"),
            BigDecimal.ZERO,
            new BigInteger("-98765432109876543210987654321"),
            BigInteger.ZERO,
            Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
            Instant.MIN,
            UUID.randomUUID(),
            LocalDate.of(2024, 2, 29),
            Duration.ofMillis(1500)));
    Object decodedSet = roundTrip(List.of(Set.of("a", "b"))).get(0);
    assertEquals(Set.of("a", "b"), decodedSet);
    assertSame(LinkedHashSet.class, decodedSet.getClass());
  }

  @Test
  void roundTripsEnums() {
    assertRoundTrips(List.of(Level.HIGH, Level.LOW, Pair.of(Level.LOW, 1)));
  }

  @Test
  void roundTripsUserRecordsWithNestedCollectionsOfJdkClasses() {
    Session session =
        new Session(
            "ann",
            List.of(new Click("ann", 1L), new Click("ann", 2L)),
            Map.of("home", 3),
            Optional.of(Level.HIGH));
    assertRoundTrips(List.of(session, new Click("bob", -1L), new Click(null, 0L)));
  }

  @Test
  void roundTripsUserClassesThatAreNotSerializableAndHaveNoDefaultConstructor() {
    assertRoundTrips(List.of(new Counter("clicks", 12), Pair.of("k", new Counter("x", -1))));
  }

  @Test
  void decodesJdkViewsInsideUserRecordsAsEqualCopies() {
    Holder holder =
        new Holder(
            List.of(
                Collections.unmodifiableList(new ArrayList<>(List.of(1, 2))),
                Collections.unmodifiableMap(new HashMap<>(Map.of("a", 1))),
                new HashMap<>(Map.of("k", 1)).keySet(),
                Collections.unmodifiableSet(new HashSet<>(Set.of("s")))));
    assertEquals(holder.toString(), roundTrip(List.of(holder)).get(0).toString());
  }

  @Test
  void roundTripsDeeplyNestedCombinations() {
    Object nested = "leaf";
    for (int depth = 0; depth < 200; depth++) {
      nested =
          switch (depth % 4) {
            case 0 -> List.of(nested, depth);
            case 1 -> Map.of("d" + depth, nested);
            case 2 -> Pair.of(depth, nested);
            default -> Optional.of(nested);
          };
    }
    assertRoundTrips(List.of(nested));
  }

  @Test
  void encodesAnEmptyListAndDecodesAMutableList() {
    List<Object> decoded = roundTrip(List.of());
    assertEquals(List.of(), decoded);
    decoded.add("more");
    assertEquals(1, decoded.size());
  }

  @Test
  void roundTripsALargeList() {
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < 300_000; i++) {
      records.add(i % 3 == 0 ? Pair.of("word" + i, (long) i) : new Click("u" + i, i));
    }
    assertEquals(records, roundTrip(records));
  }

  @Test
  void encodersAndDecodersOnSeveralThreadsDoNotInterfere() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 200; round++) {
                    List<Object> records =
                        List.of(
                            Pair.of("t" + thread, (long) round),
                            new Click("t" + thread, round),
                            new Counter("c" + thread, round),
                            Map.of(thread, List.of(round)));
                    assertEquals(records, roundTrip(records));
                  }
                  return null;
                }));
      }
      for (Future<?> result : results) {
        result.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyTruncationOfEncodedBytesIsRejectedWithAUsefulMessage() {
    byte[] bytes =
        codec.encode(List.of(Pair.of("word", 1L), new Click("ann", 2L), List.of(1, 2), "tail"));
    for (int length = 0; length < bytes.length; length++) {
      byte[] truncated = Arrays.copyOf(bytes, length);
      RecordCodecException e =
          assertThrows(RecordCodecException.class, () -> codec.decode(truncated));
      assertTrue(e.getMessage().startsWith("cannot decode " + length + " bytes"), e.getMessage());
    }
  }

  @Test
  void damagedBytesAreRejectedByTheChecksum() {
    byte[] bytes = codec.encode(List.of(Pair.of("word", 1L), new Click("ann", 2L)));
    for (int i = 0; i < bytes.length; i++) {
      byte[] damaged = bytes.clone();
      damaged[i] ^= 0x10;
      assertThrows(RecordCodecException.class, () -> codec.decode(damaged));
    }
    RecordCodecException e =
        assertThrows(
            RecordCodecException.class, () -> codec.decode("not records at all".getBytes()));
    assertTrue(e.getMessage().contains("magic number"), e.getMessage());
  }

  @Test
  void hugeLengthsBehindAValidChecksumAreRejectedWithoutAllocating() {
    byte[] hugeCount = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
    byte[] hugeList = {1, 13, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f};
    byte[] hugeBytes = {1, 11, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f};
    byte[] hugeString = {1, 1, (byte) 0xbf, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    byte[] hugeMap = {1, 14, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 0};
    for (byte[] payload : List.of(hugeCount, hugeList, hugeBytes, hugeString, hugeMap)) {
      RecordCodecException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5),
              () -> assertThrows(RecordCodecException.class, () -> codec.decode(framed(payload))));
      assertTrue(e.getMessage().contains("bytes left"), e.getMessage());
    }
  }

  @Test
  void aClassMissingFromTheClassPathIsNamedWithWhatToDo() {
    byte[] bytes = codec.encode(List.of(new Click("ann", 1L)));
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    // Kryo writes an ASCII class name with the high bit set on its last character.
    int at = text.indexOf("$Clic");
    assertTrue(at > 0, "class name in the bytes");
    byte[] payload = Arrays.copyOfRange(bytes, 8, bytes.length);
    payload[at + 1 - 8] = 'X';
    RecordCodecException e =
        assertThrows(RecordCodecException.class, () -> codec.decode(framed(payload)));
    assertTrue(e.getMessage().contains("RecordCodecTest$Xlick"), e.getMessage());
    assertTrue(e.getMessage().contains("application jar"), e.getMessage());
    assertEquals(List.of(new Click("ann", 1L)), roundTrip(List.of(new Click("ann", 1L))));
  }

  @Test
  void anUnknownTypeTagIsRejectedNamingIt() {
    RecordCodecException e =
        assertThrows(RecordCodecException.class, () -> codec.decode(framed(new byte[] {1, 99})));
    assertTrue(e.getMessage().contains("unknown type tag 99"), e.getMessage());
  }

  @Test
  void aLambdaIsRefusedWithAMessageNamingItsClass() {
    Function<String, Integer> length = String::length;
    RecordCodecException e =
        assertThrows(
            RecordCodecException.class, () -> codec.encode(List.of("ok", new Holder(length))));
    assertTrue(e.getMessage().contains("record #1 of " + Holder.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains(length.getClass().getName()), e.getMessage());
    assertTrue(e.getMessage().contains("keep functions in the program"), e.getMessage());
  }

  @Test
  void anInnerClassIsRefusedBecauseItCarriesItsEnclosingObject() {
    RecordCodecException e =
        assertThrows(RecordCodecException.class, () -> codec.encode(List.of(new Inner(1))));
    assertTrue(e.getMessage().contains(Inner.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("static nested class"), e.getMessage());
  }

  @Test
  void anAnonymousMapTravelsAsAPlainCopyWithoutItsEnclosingObject() {
    Map<String, Integer> doubleBrace =
        new HashMap<>() {
          {
            put("a", 1);
          }
        };
    Object decoded = roundTrip(List.of(new Holder(doubleBrace))).get(0);
    assertEquals(new Holder(Map.of("a", 1)), decoded);
  }

  @Test
  void enumConstantsWithBodiesRoundTrip() {
    assertRoundTrips(List.of(Operation.PLUS, Pair.of(Operation.PLUS, 1)));
  }

  @Test
  void aJdkClassClosedToReflectionIsRefusedWithAMessageNamingIt() {
    RecordCodecException e =
        assertThrows(
            RecordCodecException.class, () -> codec.encode(List.of(ByteBuffer.allocate(4))));
    assertTrue(e.getMessage().contains("java.nio.HeapByteBuffer"), e.getMessage());
    assertTrue(e.getMessage().contains("Convert other values"), e.getMessage());
  }

  @Test
  void aListThatContainsItselfIsRefused() {
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    RecordCodecException e =
        assertThrows(RecordCodecException.class, () -> codec.encode(List.of(cyclic)));
    assertTrue(e.getMessage().contains("without cycles"), e.getMessage());
  }

  @Test
  void decodingTheSameBytesTwiceGivesIndependentLists() {
    byte[] bytes = codec.encode(List.of(new ArrayList<>(List.of(1))));
    List<Object> first = codec.decode(bytes);
    first.clear();
    assertEquals(List.of(List.of(1)), codec.decode(bytes));
    assertNull(codec.decode(codec.encode(Collections.singletonList(null))).get(0));
  }

  /** Wraps a payload in the codec's frame with a valid checksum, as a forger would. */
  private static byte[] framed(byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload);
    return ByteBuffer.allocate(8 + payload.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(0x4d524301)
        .putInt((int) crc.getValue())
        .put(payload)
        .array();
  }

  @Test
  void classesAreResolvedWithTheContextClassLoaderThatLoadedTheApplication() throws Exception {
    String name = Parcel.class.getName();
    byte[] classFile;
    try (java.io.InputStream in =
        RecordCodecTest.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
      classFile = in.readAllBytes();
    }
    ClassLoader application =
        new ClassLoader(RecordCodecTest.class.getClassLoader()) {
          @Override
          protected Class<?> loadClass(String className, boolean resolve)
              throws ClassNotFoundException {
            synchronized (getClassLoadingLock(className)) {
              if (!className.equals(name)) {
                return super.loadClass(className, resolve);
              }
              Class<?> loaded = findLoadedClass(className);
              return loaded != null
                  ? loaded
                  : defineClass(className, classFile, 0, classFile.length);
            }
          }
        };
    Class<?> parcel = application.loadClass(name);
    Object record = parcel.getConstructor(String.class).newInstance("socks");
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(application);
    List<Object> decoded;
    try {
      decoded = codec.decode(codec.encode(List.of(record)));
    } finally {
      thread.setContextClassLoader(before);
    }
    assertSame(parcel, decoded.get(0).getClass());
    assertEquals(record, decoded.get(0));
  }
}
