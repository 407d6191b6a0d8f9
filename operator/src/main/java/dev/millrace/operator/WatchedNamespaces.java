package dev.millrace.operator;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The namespaces whose StreamingApps the operator runs: all of them, or a list.
 *
 * @param names the namespaces; empty means all
 */
public record WatchedNamespaces(Set<String> names) {
  /** The environment variable {@link OperatorMain} reads them from. */
  public static final String ENV = "MILLRACE_WATCH_NAMESPACES";

  /** Copies the set. */
  public WatchedNamespaces {
    names = Set.copyOf(names);
  }

  /** Every namespace. */
  public static WatchedNamespaces all() {
    return new WatchedNamespaces(Set.of());
  }

  /**
   * A comma-separated list such as {@code team-a,team-b}; {@code null}, blank or {@code *} means
   * every namespace.
   *
   * @throws IllegalArgumentException if a name is not a Kubernetes namespace name
   */
  public static WatchedNamespaces parse(String list) {
    if (list == null || list.isBlank() || list.trim().equals("*")) {
      return all();
    }
    Set<String> names = new LinkedHashSet<>();
    for (String name : Arrays.stream(list.split(",")).map(String::trim).toList()) {
      if (name.isEmpty()) {
        continue;
      }
      if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new IllegalArgumentException(
            ENV
                + " lists '"
                + name
                + "', which is no namespace name (lower-case letters, digits and '-', at most 63);"
                + " write e.g. team-a,team-b, or leave it empty to watch every namespace");
      }
      names.add(name);
    }
    return names.isEmpty() ? all() : new WatchedNamespaces(names);
  }

  /** Whether every namespace is watched. */
  public boolean isAll() {
    return names.isEmpty();
  }
}
