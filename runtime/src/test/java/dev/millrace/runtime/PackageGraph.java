package dev.millrace.runtime;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.PackageMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dependencies between packages of compiled classes, each edge with the class-to-class
 * dependencies that make it, and its cycles as strongly connected components.
 *
 * <p>Why not ArchUnit's {@code slices().should().beFreeOfCycles()}: on the runtime's graph of issue
 * 16, ArchUnit 1.5.0 listed thirteen cycles but not {@code recovery <-> scheduler}, which it does
 * find when given those two packages alone. A component is one finding per tangle, found whole by
 * Tarjan's algorithm, and the classes it lists are all that must move to untangle it.
 */
final class PackageGraph {
  /** Package name (as its pattern's group names it) to the packages it uses, with class pairs. */
  private final SortedMap<String, SortedMap<String, SortedSet<String>>> edges;

  private PackageGraph(SortedMap<String, SortedMap<String, SortedSet<String>>> edges) {
    this.edges = edges;
  }

  /**
   * The graph of the packages of {@code classes} that match one of {@code patterns}, each named by
   * the pattern's first group ({@code "dev.millrace.runtime.(**)"} names {@code
   * dev.millrace.runtime.backend.local} "backend.local"); classes elsewhere are left out, and so
   * are paths through them.
   */
  static PackageGraph of(JavaClasses classes, List<String> patterns) {
    List<PackageMatcher> matchers = patterns.stream().map(PackageMatcher::of).toList();
    SortedMap<String, SortedMap<String, SortedSet<String>>> edges = new TreeMap<>();
    for (JavaClass origin : classes) {
      Optional<String> from = packageOf(origin, matchers);
      if (from.isEmpty()) {
        continue;
      }
      edges.computeIfAbsent(from.get(), name -> new TreeMap<>());
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        JavaClass target = dependency.getTargetClass();
        Optional<String> to = packageOf(target, matchers);
        if (to.isPresent() && !to.get().equals(from.get())) {
          edges
              .get(from.get())
              .computeIfAbsent(to.get(), name -> new TreeSet<>())
              .add(topLevelName(origin) + " -> " + topLevelName(target));
        }
      }
    }
    return new PackageGraph(edges);
  }

  /**
   * This graph without the dependency of package {@code from} on package {@code to}: a seam the
   * design allows, such as the user's API calling the engine's entry point.
   */
  PackageGraph without(String from, String to) {
    SortedMap<String, SortedMap<String, SortedSet<String>>> kept = new TreeMap<>();
    edges.forEach((origin, targets) -> kept.put(origin, new TreeMap<>(targets)));
    SortedMap<String, SortedSet<String>> targets = kept.get(from);
    if (targets != null) {
      targets.remove(to);
    }
    return new PackageGraph(kept);
  }

  /** The class-to-class dependencies of package {@code from} on package {@code to}. */
  SortedSet<String> dependencies(String from, String to) {
    return edges.getOrDefault(from, new TreeMap<>()).getOrDefault(to, new TreeSet<>());
  }

  /** The packages in the graph, in name order. */
  SortedSet<String> packages() {
    return new TreeSet<>(edges.keySet());
  }

  /** Each set of packages of which every one reaches every other, two packages or more. */
  List<SortedSet<String>> cycles() {
    return new Tarjan().components().stream().filter(component -> component.size() > 1).toList();
  }

  /**
   * {@code cycles}, one paragraph each: its packages, then each dependency between two of them with
   * the classes that make it; empty when there is none.
   */
  String describe(List<SortedSet<String>> cycles) {
    StringBuilder text = new StringBuilder();
    for (SortedSet<String> cycle : cycles) {
      text.append("  {").append(String.join(", ", cycle)).append("}\n");
      for (String from : cycle) {
        edges.get(from).entrySet().stream()
            .filter(edge -> cycle.contains(edge.getKey()))
            .forEach(
                edge ->
                    text.append("    ")
                        .append(from)
                        .append(" -> ")
                        .append(edge.getKey())
                        .append(": ")
                        .append(String.join(", ", edge.getValue()))
                        .append('\n'));
      }
    }
    return text.toString();
  }

  private static Optional<String> packageOf(JavaClass javaClass, List<PackageMatcher> matchers) {
    return matchers.stream()
        .map(matcher -> matcher.match(javaClass.getPackageName()))
        .flatMap(Optional::stream)
        .findFirst()
        .map(match -> match.getGroup(1));
  }

  /**
   * Nested classes are named by the file a reader opens: {@code BatchScheduler$Loop} as its top.
   */
  private static String topLevelName(JavaClass javaClass) {
    String simpleName = javaClass.getName().substring(javaClass.getPackageName().length() + 1);
    int nested = simpleName.indexOf('$');
    return nested < 0 ? simpleName : simpleName.substring(0, nested);
  }

  /** Tarjan's strongly connected components over {@link #edges}. */
  private final class Tarjan {
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> lowLink = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final List<SortedSet<String>> components = new ArrayList<>();

    List<SortedSet<String>> components() {
      for (String node : edges.keySet()) {
        if (!index.containsKey(node)) {
          visit(node);
        }
      }
      return components;
    }

    private void visit(String node) {
      index.put(node, index.size());
      lowLink.put(node, index.get(node));
      stack.push(node);
      for (String next : edges.getOrDefault(node, new TreeMap<>()).keySet()) {
        if (!index.containsKey(next)) {
          visit(next);
          lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
        } else if (stack.contains(next)) {
          lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
        }
      }
      if (lowLink.get(node).equals(index.get(node))) {
        SortedSet<String> component = new TreeSet<>();
        String member;
        do {
          member = stack.pop();
          component.add(member);
        } while (!member.equals(node));
        components.add(component);
      }
    }
  }
}
