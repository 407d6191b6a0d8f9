package dev.millrace.kafka;

import dev.millrace.runtime.config.ConfigOption;
import dev.millrace.streaming.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * The Kafka client settings a user passes through the options of the input or the output, checked
 * the same way for both: a setting Millrace decides itself is refused with the reason, and a key
 * that is neither an option nor a setting of the clients is refused as a likely typo.
 *
 * @param kind what the options are called in messages, e.g. {@code Kafka output option}
 * @param ownKind what one of Millrace's own options is called, e.g. {@code an output option}
 * @param clients the clients whose settings may pass, e.g. {@code producer or admin client}
 * @param example a setting of those clients, for the message
 * @param ownedContext why Millrace decides some settings itself, before each reason; may be empty
 */
record ClientSettings(
    String kind, String ownKind, String clients, String example, String ownedContext) {

  /**
   * The entries of {@code conf} that are not among {@code own} options, each a setting of {@code
   * clientKeys} not in {@code owned} (setting → reason), unless {@code allowed} accepts its value.
   *
   * @throws ConfigurationException naming the first entry refused, and why
   */
  Map<String, String> passthrough(
      Map<String, String> conf,
      List<ConfigOption<?>> own,
      Map<String, String> owned,
      BiPredicate<String, String> allowed,
      Set<String> clientKeys) {
    Set<String> ownKeys = own.stream().map(ConfigOption::key).collect(Collectors.toSet());
    Map<String, String> passthrough = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(conf).entrySet()) {
      String key = entry.getKey();
      if (ownKeys.contains(key)) {
        continue;
      }
      String why = owned.get(key);
      if (why != null && !allowed.test(key, entry.getValue())) {
        throw new ConfigurationException(
            kind
                + " "
                + key
                + "="
                + entry.getValue()
                + " cannot be set: "
                + ownedContext
                + why
                + ". Remove it.");
      }
      if (!clientKeys.contains(key)) {
        throw new ConfigurationException(
            kind
                + " "
                + key
                + "="
                + entry.getValue()
                + " is neither "
                + ownKind
                + " ("
                + String.join(", ", new TreeSet<>(ownKeys))
                + ") nor a Kafka "
                + clients
                + " setting: correct its name, for example "
                + example
                + ".");
      }
      passthrough.put(key, entry.getValue());
    }
    return Map.copyOf(passthrough);
  }

  /**
   * The class named {@code text}, which must implement {@code type}, loaded through the thread's
   * context class loader (the application's) when there is one.
   *
   * @throws IllegalArgumentException if it is not on the class path or not a {@code type}
   */
  @SuppressWarnings("unchecked")
  static <T> Class<? extends T> implementing(String text, Class<T> type) {
    Class<?> found;
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      found =
          Class.forName(
              text, false, loader != null ? loader : ClientSettings.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("class " + text + " is not on the class path");
    }
    if (!type.isAssignableFrom(found)) {
      throw new IllegalArgumentException("class " + text + " does not implement " + type.getName());
    }
    return (Class<? extends T>) found;
  }
}
