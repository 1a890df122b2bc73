package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The worked examples' route files are copies of the jar's with edits added: every line of the
 * jar's file must still be in the example's copy, in order (indentation and comments aside, since
 * an edit may wrap a step in a doTry or a choice). A step added to the jar's routes later and
 * missing from a copy fails here, naming the example and the line, so an example never silently
 * runs an older pipeline.
 */
class ExampleRoutesFollowTheJarsTest {

  private static final Path JAR_ROUTES = Path.of("src/main/resources/routes");

  @Test
  void everyLineOfTheJarsRouteFileIsInEachExamplesCopyInOrder() throws IOException {
    List<Path> copies;
    try (Stream<Path> walk = Files.walk(ExampleFolder.EXAMPLES)) {
      copies =
          walk.filter(p -> p.getParent() != null && p.getParent().endsWith("routes"))
              .filter(p -> Files.exists(JAR_ROUTES.resolve(p.getFileName())))
              .sorted()
              .toList();
    }
    assertThat(copies).as("the examples' copies of the jar's route files").isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (Path copy : copies) {
      String missing = firstMissingLine(lines(JAR_ROUTES.resolve(copy.getFileName())), lines(copy));
      if (missing != null) {
        problems.add(copy + " lacks (or reorders) the jar's line: " + missing);
      }
    }
    assertThat(problems)
        .as("copy the jar's route file again and re-apply the example's # EXAMPLE edits")
        .isEmpty();
  }

  /** The first line of {@code jar} not found, in order, in {@code copy}; null if all are. */
  private static String firstMissingLine(List<String> jar, List<String> copy) {
    int at = 0;
    for (String line : jar) {
      int found = -1;
      for (int i = at; i < copy.size(); i++) {
        if (copy.get(i).equals(line)) {
          found = i;
          break;
        }
      }
      if (found < 0) {
        return line;
      }
      at = found + 1;
    }
    return null;
  }

  private static List<String> lines(Path file) throws IOException {
    // Comments aside too: an edit may say why a step moved.
    return Files.readAllLines(file).stream()
        .map(l -> l.replaceFirst("(^|\\s)#.*$", "").strip())
        .filter(l -> !l.isEmpty())
        .toList();
  }
}
