package io.github.s3eg;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The jar's {@code Main-Class}: checks the Java version, then runs {@code GatewayMain}.
 *
 * <p>The gateway is compiled for Java 21; an older JVM would stop at its first class with an {@code
 * UnsupportedClassVersionError} and a stack trace. This one class is compiled for Java 8 (its own
 * source directory, {@code src/launcher/java}, see the pom) so that any JVM people still have can
 * run it and say what is needed instead. It names {@code GatewayMain} only by string: a class
 * compiled for Java 8 cannot link against one compiled for 21.
 *
 * <p>It also keeps the start-up free of JDK warnings about {@code sun.misc.Unsafe} (Java 24+, JEP
 * 498): Netty 4.1 probes Unsafe's memory methods when it loads, and the JVM warns about the probe.
 * The quiet and fast way is the JVM option {@code --sun-misc-unsafe-memory-access=allow}, which a
 * jar manifest cannot carry (the container image passes it). Without that option on a JVM that
 * warns, Netty is told not to use Unsafe ({@code io.netty.noUnsafe=true}): no warning, pooled heap
 * buffers instead of direct ones. Any explicit choice of either setting is left alone.
 */
public final class Launcher {

  /** The oldest Java the gateway runs on (the bytecode level of everything else). */
  static final int MINIMUM_JAVA = 21;

  /** The first Java that warns when Unsafe's memory methods are used. */
  private static final int WARNS_ABOUT_UNSAFE = 24;

  private static final String MAIN = "io.github.s3eg.GatewayMain";

  private Launcher() {}

  public static void main(String[] args) throws Throwable {
    int running = featureVersion(System.getProperty("java.specification.version"));
    if (running < MINIMUM_JAVA) {
      System.err.println(tooOld(running, System.getProperty("java.home"), jarPath()));
      System.exit(1);
      return;
    }
    if (running >= WARNS_ABOUT_UNSAFE
        && System.getProperty("sun.misc.unsafe.memory.access") == null
        && System.getProperty("io.netty.noUnsafe") == null) {
      System.setProperty("io.netty.noUnsafe", "true");
    }
    MethodHandle main =
        MethodHandles.publicLookup()
            .findStatic(
                Class.forName(MAIN), "main", MethodType.methodType(void.class, String[].class));
    main.invokeExact(args);
  }

  /** "1.8" → 8, "17" → 17, "25" → 25; 0 when unreadable (treated as too old). */
  static int featureVersion(String specification) {
    if (specification == null) {
      return 0;
    }
    String s = specification.startsWith("1.") ? specification.substring(2) : specification;
    int end = 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
  }

  static String tooOld(int running, String javaHome, String jar) {
    return "s3-encryption-gateway needs Java "
        + MINIMUM_JAVA
        + " or newer (25 recommended), but this is Java "
        + running
        + " ("
        + javaHome
        + ").\n"
        + "Start it with the java of a newer JDK, e.g.\n"
        + "  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64   # where your JDK 21+ is\n"
        + "  \"$JAVA_HOME/bin/java\" -jar "
        + jar
        + "\n"
        + "(docs/troubleshooting.md, \"Java version\")";
  }

  /** Where this jar is, as the user would name it; a placeholder if that cannot be told. */
  private static String jarPath() {
    try {
      File jar =
          new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      String here = new File(".").getCanonicalPath() + File.separator;
      String path = jar.getCanonicalPath();
      return path.startsWith(here) ? path.substring(here.length()) : path;
    } catch (Exception | LinkageError e) {
      return "s3-encryption-gateway.jar";
    }
  }
}
