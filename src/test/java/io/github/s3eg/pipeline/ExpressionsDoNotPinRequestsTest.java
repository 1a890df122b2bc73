package io.github.s3eg.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.component.bean.BeanComponent;
import org.apache.camel.component.bean.DefaultParameterMappingStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * Routes read the request state through Simple expressions ({@code ${exchangeProperty.s3eg.open}}),
 * which Camel evaluates with its bean binding. Camel caches a class's bean information per
 * <em>instance</em> when one of its public methods takes a parameter the binding fills by type (an
 * {@code Exchange}, a {@code Message}, …) or carries a Camel annotation; the cache (1,000 entries)
 * then kept each request's state alive with its buffers, and a gateway under sustained load ran out
 * of heap. These tests keep that from coming back.
 */
class ExpressionsDoNotPinRequestsTest {

  @Test
  void evaluatingARouteExpressionOnManyRequestsKeepsOneBeanInfo() throws Exception {
    try (CamelContext camel = new DefaultCamelContext()) {
      camel.start();
      BeanComponent beans = camel.getComponent("bean", BeanComponent.class);
      Expression open =
          camel.resolveLanguage("simple").createExpression("${exchangeProperty.s3eg.open}");
      open.init(camel);
      Expression probe =
          camel.resolveLanguage("simple").createExpression("${exchangeProperty.s3eg.probe}");
      probe.init(camel);

      int afterFirst = -1;
      for (int i = 0; i < 50; i++) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(RequestState.PROPERTY, new RequestState(null));
        assertThat(open.evaluate(exchange, Boolean.class)).isFalse();
        assertThat(probe.evaluate(exchange, String.class)).isNull();
        if (i == 0) {
          afterFirst = beans.getCurrentBeanCacheSize();
        }
      }
      assertThat(afterFirst).as("the expressions did go through the bean cache").isPositive();
      assertThat(beans.getCurrentBeanCacheSize())
          .as("bean cache entries after 50 requests' states")
          .isEqualTo(afterFirst);
    }
  }

  @Test
  void noClassAnExpressionCanReachHasAMethodCamelBindsPerInstance() {
    List<String> offenders = new ArrayList<>();
    Set<Class<?>> reachable = reachableFrom(RequestState.class);
    assertThat(reachable)
        .as("the walk reaches the classes routes read")
        .contains(RequestState.class, io.github.s3eg.s3.S3Request.class, CopySteps.Work.class);
    for (Class<?> type : reachable) {
      for (Method method : type.getMethods()) {
        if (method.getDeclaringClass() == Object.class) {
          continue;
        }
        for (int i = 0; i < method.getParameterCount(); i++) {
          Class<?> parameter = method.getParameterTypes()[i];
          boolean boundByType =
              DefaultParameterMappingStrategy.INSTANCE.getDefaultParameterTypeExpression(parameter)
                  != null;
          boolean camelAnnotated =
              java.util.Arrays.stream(method.getParameterAnnotations()[i])
                  .anyMatch(a -> a.annotationType().getName().startsWith("org.apache.camel."));
          if (boundByType || camelAnnotated) {
            offenders.add(
                type.getName() + "." + method.getName() + "(" + parameter.getName() + ")");
          }
        }
        if (method.isAnnotationPresent(org.apache.camel.Handler.class)) {
          offenders.add(type.getName() + "." + method.getName() + " (@Handler)");
        }
      }
    }
    assertThat(offenders).as("public methods Camel binds per instance").isEmpty();
  }

  /** The gateway's classes reachable from {@code root} through public no-argument accessors. */
  private static Set<Class<?>> reachableFrom(Class<?> root) {
    Set<Class<?>> seen = new LinkedHashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      Class<?> type = todo.pop();
      if (!seen.add(type)) {
        continue;
      }
      for (Method method : type.getMethods()) {
        if (method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())) {
          for (Class<?> next : gatewayTypesIn(method.getGenericReturnType())) {
            if (!seen.contains(next)) {
              todo.push(next);
            }
          }
        }
      }
    }
    return seen;
  }

  private static List<Class<?>> gatewayTypesIn(Type type) {
    List<Class<?>> found = new ArrayList<>();
    if (type instanceof Class<?> c) {
      Class<?> element = c.isArray() ? c.getComponentType() : c;
      if (element.getName().startsWith("io.github.s3eg.")) {
        found.add(element);
      }
    } else if (type instanceof ParameterizedType p) {
      found.addAll(gatewayTypesIn(p.getRawType()));
      for (Type argument : p.getActualTypeArguments()) {
        found.addAll(gatewayTypesIn(argument));
      }
    }
    return found;
  }
}
