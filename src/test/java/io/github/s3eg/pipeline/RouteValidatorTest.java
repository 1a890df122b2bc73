package io.github.s3eg.pipeline;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * {@link RouteValidator} on small route sets, loaded into a Camel model that is never started:
 * steps before what they need, operation routes reached before authentication, and what a {@code
 * choice} or {@code filter} makes certain.
 */
class RouteValidatorTest {

  private static final String ENTRY =
      """
      - routeConfiguration:
          id: errors
          onException:
            - onException:
                exception:
                  - java.lang.Throwable
                handled:
                  constant: "true"
                steps:
                  - process: {ref: sendError}
      - route:
          id: entry
          from:
            uri: platform-http:/
            steps:
              - process: {ref: parseRequest}
              %s
              - to: direct:op
              - process: {ref: sendResponse}
      """;

  @Test
  void stepsInContractOrderPass() throws Exception {
    assertThatCode(
            () ->
                validate(
                    entry("- process: {ref: authenticate}"),
                    op("- process: {ref: resolveKey}", "- process: {ref: decrypt}")))
        .doesNotThrowAnyException();
  }

  @Test
  void aStepBeforeWhatItNeedsIsRefusedNamingRouteAndStep() {
    assertThatThrownBy(
            () ->
                validate(
                    entry("- process: {ref: authenticate}"),
                    op("- process: {ref: decrypt}", "- process: {ref: resolveKey}")))
        .hasMessageContaining("route 'op': step 'decrypt' needs what 'resolveKey' provides");
  }

  @Test
  void anOperationReachedBeforeAuthenticationIsRefused() {
    assertThatThrownBy(
            () -> validate(entry(""), op("- process: {ref: resolveKey}", "- log: hello")))
        .hasMessageContaining("route 'op': step 'resolveKey' needs what 'authenticate' provides")
        .hasMessageContaining("route 'op': step 'log' needs what 'authenticate' provides");
  }

  @Test
  void aStepProvidedInOnlyOneBranchOfAChoiceIsNotCertainAfterIt() {
    String choice =
        """
        - choice:
                      when:
                        - simple: "${header.x} == 'y'"
                          steps:
                            - process: {ref: resolveKey}
                      otherwise:
                        steps:
                          - log: no key
        """;
    assertThatThrownBy(
            () ->
                validate(
                    entry("- process: {ref: authenticate}"),
                    op(choice.strip(), "- process: {ref: decrypt}")))
        .hasMessageContaining("step 'decrypt' needs what 'resolveKey' provides");
  }

  @Test
  void withoutAnyHttpRouteNothingServes() {
    assertThatThrownBy(() -> validate(op("- log: alone", "- log: again")))
        .hasMessageContaining("no route takes the S3 requests");
  }

  // ---- helpers

  private static String entry(String afterParse) {
    return ENTRY.formatted(afterParse);
  }

  private static String op(String first, String second) {
    return """
        - route:
            id: op
            from:
              uri: direct:op
              steps:
                %s
                %s
        """
        .formatted(first, second);
  }

  private static void validate(String... files) throws Exception {
    try (DefaultCamelContext context = new DefaultCamelContext()) {
      context.getRegistry().bind("parseRequest", new ParseRequest(null, false));
      context.getRegistry().bind("sendError", new SendError(null));
      context.getRegistry().bind("sendResponse", new SendResponse(null));
      context.getRegistry().bind("authenticate", new Authenticate(null).step());
      context.getRegistry().bind("resolveKey", step("resolveKey", Fact.DATA_KEY));
      context
          .getRegistry()
          .bind(
              "decrypt",
              Step.named("decrypt")
                  .requires(Fact.DATA_KEY)
                  .provides(Fact.PLAINTEXT, Fact.RESPONSE)
                  .does((s, e) -> {}));
      int i = 0;
      for (String yaml : files) {
        PluginHelper.getRoutesLoader(context)
            .loadRoutes(ResourceHelper.fromString("routes" + i++ + ".yaml", yaml));
      }
      RouteValidator.validate(context);
    }
  }

  private static Step step(String name, Fact provides) {
    return Step.named(name).provides(provides).does((s, e) -> {});
  }
}
