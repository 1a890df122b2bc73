package io.github.s3eg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.pipeline.RouteValidator;
import io.github.s3eg.pipeline.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step of the gateway's routes, deleted in turn and moved in turn, as an operator might: the
 * start-up check refuses each deletion except the few steps that may go (listed here with why), and
 * refuses every move of a step before the step it depends on. The routes are the jar's own, loaded
 * into a Camel model that is never started (the run-time side is {@code RoutesFromAFolderTest}).
 */
class RouteEditsTest {

  /**
   * Steps whose deletion the check accepts, and why that is safe: nothing later needs them, and a
   * request never gets a wrong answer without them (a backend step refuses a body it was not given,
   * the request fails before anything is stored or served).
   */
  private static final Set<String> REMOVABLE =
      Set.of(
          "fillCache", // the cache then never fills
          "etagNotRecorded", // a failed self-copy then fails the request instead of being logged
          "indexNotWritten", // a failed index write then fails the Complete instead
          "copiedPlaintextMismatch", // copyObjectResponse refuses to answer success anyway
          "plannedRangeFailed", // the refused range is then asked for again, and refused again
          // Request builders: without them the backend step gets no request of its type and
          // fails before sending anything.
          "planRead",
          "headObjectRequest",
          "deleteObjectRequest",
          "deleteIndexRequest",
          "copySourceRequest",
          "rewrapRequest",
          "serverSideCopied",
          "partwiseCopyStart",
          "partwiseCopyNext",
          "partwiseCopyComplete",
          "partwiseCopyIndex",
          "partwiseCopyAbort",
          "reencryptRead",
          "checkCopiedPlaintext",
          "recordCopiedEtag",
          "createMultipartUploadRequest",
          "uploadRecord",
          "abortUnrecordedUpload",
          "uploadRecordName",
          "partIndex",
          "abortMultipartUploadRequest",
          "listPartsRequest",
          "listMultipartUploadsRequest",
          "createBucketRequest",
          "deleteBucketRequest",
          "completeUpload",
          "objectAttributesRequest",
          // The second call of a step that asks for reads in a loop: without it the loop hands
          // the backend step its own answer, which it refuses (not a request of its type).
          "openUpload#1",
          "openUpload#3",
          "openUpload#5",
          "listStoredParts#1",
          "locateCiphertext#1",
          "locateCiphertext#3",
          "locateCiphertext#5",
          "locateSource#1",
          "listPartChecksums#1",
          "listPartChecksums#3",
          "listPartChecksums#5",
          "listIndexes#1",
          "deleteIndexes#1",
          "partChecksumDeletes#1",
          "partChecksumDeletes#3",
          "openAbortedUpload#1",
          // checkWriteConditions: Complete's #0-#2, PutObject's #3-#5, CopyObject's #6-#8
          "checkWriteConditions#1",
          "checkWriteConditions#2",
          "checkWriteConditions#4",
          "checkWriteConditions#5",
          "checkWriteConditions#7",
          "checkWriteConditions#8",
          // Bookkeeping after the object is complete or the upload aborted, in a doTry whose
          // catch only logs (bookkeepingNotFinished): the route already tolerates its failure,
          // which is what deleting it amounts to: hidden records stay behind (DeleteBucket
          // removes them), a multipart object shows no checksum on GET/HEAD, and an upload begun
          // as format v3 completes without an index, so its object is refused as tampered, never
          // served wrong.
          "completedIndex",
          "checksumRecord",
          "partChecksumDeletes#0",
          "partChecksumDeletes#2",
          "listPartChecksums#2",
          // Notes the copy's index in this instance's cache and the copy's time: without it the
          // index is read from the backend on first use and LastModified is the answer's time.
          "partwiseCopied",
          // The source HEAD's doCatch: without it the source's 404 is swallowed and
          // resolveSourceKey, given no HEAD, fails the copy (500); nothing is copied.
          "copySourceMissing",
          // HeadObject's doCatch, the same way: resolveKey, given no HEAD, fails (500).
          "readFailed",
          // A browser upload is then answered as the PutObject it is (200 with its ETag) instead
          // of the form's success_action_status or redirect: stored and answered correctly.
          "browserUploadResponse",
          // The second call of a step that asks for one read: without it the fact it provides
          // is never provided, and the copy's answer fails (500) before claiming success.
          "sourceTags#1",
          "copyVersion#1",
          // The bucket's features: the second and third calls of the look-up (the same way).
          "bucketFeatures#1",
          "bucketFeatures#2");

  private static DefaultCamelContext beans;

  @BeforeAll
  static void buildTheSteps() throws Exception {
    GatewayConfig config =
        GatewayConfig.from(
            Map.of(
                "LISTEN_ADDR", "127.0.0.1:0",
                "BACKEND_ENDPOINT", "http://127.0.0.1:9",
                "BACKEND_ACCESS_KEY", "a",
                "BACKEND_SECRET_KEY", "b",
                "AUTH_ACCESS_KEY", "client",
                "AUTH_SECRET_KEY", "client-secret-0123456789",
                "ENCRYPTION_PASSWORD", "route-edits-password-0123"),
            new Properties());
    beans = new DefaultCamelContext();
    GatewayAssembly.bind(config, Clock.systemUTC(), beans);
  }

  @AfterAll
  static void close() throws Exception {
    GatewayAssembly assembly =
        beans.getRegistry().lookupByNameAndType(GatewayAssembly.BEAN, GatewayAssembly.class);
    assembly.close();
    beans.close();
  }

  /** One step of one route: its name and which occurrence of it in the whole route set. */
  record Edit(String step, int occurrence) {
    @Override
    public String toString() {
      return step + "#" + occurrence;
    }
  }

  static List<Edit> steps() throws Exception {
    List<Edit> edits = new ArrayList<>();
    try (DefaultCamelContext context = load()) {
      List<ProcessDefinition> all = processSteps(context);
      Map<String, Integer> seen = new java.util.HashMap<>();
      for (ProcessDefinition p : all) {
        int n = seen.merge(p.getRef(), 1, Integer::sum) - 1;
        edits.add(new Edit(p.getRef(), n));
      }
    }
    return edits;
  }

  @ParameterizedTest(name = "delete {0}")
  @MethodSource("steps")
  void deletingAStepIsRefusedUnlessItMayGo(Edit edit) throws Exception {
    try (DefaultCamelContext context = load()) {
      ProcessDefinition node = find(context, edit);
      assertThat(containing(context, node).remove(node)).isTrue();
      Throwable refused = catchThrowable(() -> RouteValidator.validate(context));
      if (REMOVABLE.contains(edit.step()) || REMOVABLE.contains(edit.toString())) {
        assertThat(refused).as("deleting %s", edit).isNull();
      } else {
        assertThat(refused)
            .as("deleting %s", edit)
            .isInstanceOf(RouteValidator.UnsafeRoutesException.class);
      }
    }
  }

  @ParameterizedTest(name = "move {0} before its predecessor")
  @MethodSource("steps")
  void movingAStepBeforeTheStepItNeedsIsRefused(Edit edit) throws Exception {
    try (DefaultCamelContext context = load()) {
      ProcessDefinition node = find(context, edit);
      List<ProcessorDefinition<?>> siblings = containing(context, node);
      int at = siblings.indexOf(node);
      if (at == 0 || !(siblings.get(at - 1) instanceof ProcessDefinition previous)) {
        return; // nothing before it to swap with in its list
      }
      Collections.swap(siblings, at, at - 1);
      Throwable refused = catchThrowable(() -> RouteValidator.validate(context));
      Object moved = beans.getRegistry().lookupByName(edit.step());
      Object before = beans.getRegistry().lookupByName(previous.getRef());
      boolean dependsOnIt =
          moved instanceof Step m
              && before instanceof Step b
              && m.requires().stream().anyMatch(b.provides()::contains);
      if (dependsOnIt) {
        assertThat(refused)
            .as("moving %s before %s, which it needs", edit, previous.getRef())
            .isInstanceOf(RouteValidator.UnsafeRoutesException.class);
      }
    }
  }

  // ---- helpers

  /** The jar's route files loaded into a context holding the gateway's steps (never started). */
  private static DefaultCamelContext load() throws Exception {
    DefaultCamelContext context = new DefaultCamelContext();
    beans.getRegistry().findByTypeWithName(Object.class).forEach(context.getRegistry()::bind);
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/routes"))) {
      for (Path file : files.sorted().toList()) {
        PluginHelper.getRoutesLoader(context)
            .loadRoutes(
                ResourceHelper.fromString(file.getFileName().toString(), Files.readString(file)));
      }
    }
    return context;
  }

  private static ProcessDefinition find(DefaultCamelContext context, Edit edit) {
    int n = 0;
    for (ProcessDefinition p : processSteps(context)) {
      if (p.getRef().equals(edit.step()) && n++ == edit.occurrence()) {
        return p;
      }
    }
    throw new IllegalStateException("no " + edit);
  }

  /** The list of outputs that holds {@code node}. */
  private static List<ProcessorDefinition<?>> containing(
      DefaultCamelContext context, ProcessorDefinition<?> node) {
    Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
    for (RouteDefinition route : model.getRouteDefinitions()) {
      List<ProcessorDefinition<?>> list = containing(route.getOutputs(), node);
      if (list != null) {
        return list;
      }
    }
    throw new IllegalStateException("not in any route: " + node);
  }

  private static List<ProcessorDefinition<?>> containing(
      List<ProcessorDefinition<?>> nodes, ProcessorDefinition<?> node) {
    if (nodes.contains(node)) {
      return nodes;
    }
    for (ProcessorDefinition<?> n : nodes) {
      List<ProcessorDefinition<?>> inner;
      if (!(n instanceof org.apache.camel.model.ChoiceDefinition)) {
        // A choice's outputs are a list made for the call: its branches hold the real ones.
        inner = containing(n.getOutputs(), node);
        if (inner != null) {
          return inner;
        }
      }
      if (n instanceof org.apache.camel.model.ChoiceDefinition choice) {
        for (org.apache.camel.model.WhenDefinition when : choice.getWhenClauses()) {
          inner = containing(when.getOutputs(), node);
          if (inner != null) {
            return inner;
          }
        }
        if (choice.getOtherwise() != null) {
          inner = containing(choice.getOtherwise().getOutputs(), node);
          if (inner != null) {
            return inner;
          }
        }
      }
      if (n instanceof org.apache.camel.model.TryDefinition attempt) {
        for (org.apache.camel.model.CatchDefinition c : attempt.getCatchClauses()) {
          inner = containing(c.getOutputs(), node);
          if (inner != null) {
            return inner;
          }
        }
        if (attempt.getFinallyClause() != null) {
          inner = containing(attempt.getFinallyClause().getOutputs(), node);
          if (inner != null) {
            return inner;
          }
        }
      }
    }
    return null;
  }

  private static List<ProcessDefinition> processSteps(DefaultCamelContext context) {
    List<ProcessDefinition> found = new ArrayList<>();
    Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
    for (RouteDefinition route : model.getRouteDefinitions()) {
      collect(route.getOutputs(), found);
    }
    return found;
  }

  private static void collect(List<ProcessorDefinition<?>> nodes, List<ProcessDefinition> found) {
    for (ProcessorDefinition<?> node : nodes) {
      if (node instanceof ProcessDefinition p && p.getRef() != null) {
        found.add(p);
      }
      collect(node.getOutputs(), found);
    }
  }
}
