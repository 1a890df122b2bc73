package io.github.s3eg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No cycles between the gateway's packages: each depends only on packages that do not depend back
 * on it, so that a package can be read, tested and changed without the rest. Dependencies are read
 * from the main sources (imports and fully qualified names); a package's sub-packages count as the
 * package ({@code keys.kmip} is part of {@code keys}, {@code s3.auth} of {@code s3}).
 */
class PackageCyclesTest {

  private static final Path SOURCES = Path.of("src/main/java/io/github/s3eg");
  private static final Pattern REFERENCE =
      Pattern.compile("\\bio\\.github\\.s3eg\\.([a-z][a-z0-9]*)(?:\\.[a-z][a-z0-9]*)*\\.[A-Z]");

  @Test
  void thePackagesHaveNoCycles() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    assertThat(graph).as("packages found").containsKeys("pipeline", "ops", "crypto", "keys");
    assertThat(cycles(graph)).as("package cycles in %s", graph).isEmpty();
  }

  @Test
  void theScanSeesACycle() {
    // The check itself: a cycle of three is found.
    Map<String, Set<String>> graph =
        Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertThat(cycles(graph)).containsExactly(List.of("a", "b", "c"));
  }

  /** Top-level package → the top-level packages its sources name. */
  static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Path relative = SOURCES.relativize(file);
        String from = relative.getNameCount() == 1 ? "(root)" : relative.getName(0).toString();
        Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          if (!m.group(1).equals(from)) {
            to.add(m.group(1));
          }
        }
      }
    }
    return graph;
  }

  /** The strongly connected components with more than one package (Tarjan), each sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new TreeMap<>();
    Map<String, Integer> low = new TreeMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<List<String>> found = new ArrayList<>();
    int[] counter = {0};
    for (String node : new TreeSet<>(graph.keySet())) {
      if (!index.containsKey(node)) {
        connect(node, graph, index, low, stack, onStack, found, counter);
      }
    }
    return found;
  }

  private static void connect(
      String node,
      Map<String, Set<String>> graph,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<List<String>> found,
      int[] counter) {
    index.put(node, counter[0]);
    low.put(node, counter[0]);
    counter[0]++;
    stack.push(node);
    onStack.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, graph, index, low, stack, onStack, found, counter);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      List<String> component = new ArrayList<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        component.sort(null);
        found.add(component);
      }
    }
  }
}
