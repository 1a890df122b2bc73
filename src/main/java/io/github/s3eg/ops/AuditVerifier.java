package io.github.s3eg.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code verify-audit FILE}: checks an audit log's hash chain from the first line to the last.
 * Prints {@code OK (N events)} or the first bad line's number and what is wrong with it.
 *
 * <p>What it cannot see: lines cut off the end of the file (the last remaining line is still
 * consistent), or a file rewritten wholesale with a recomputed chain. Ship the log off the host (or
 * keep the last hash elsewhere) where that matters.
 */
public final class AuditVerifier {

  /** The outcome: {@code badLine} is 0 when the chain is intact. */
  public record Result(long lines, long badLine, String problem) {
    public boolean ok() {
      return badLine == 0;
    }
  }

  private AuditVerifier() {}

  public static Result verify(Path file) throws IOException {
    long number = 0;
    AuditChain.Link previous = null;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        try {
          AuditChain.Link link = AuditChain.parse(line);
          AuditChain.checkFollows(previous, link);
          previous = link;
        } catch (IllegalArgumentException e) {
          return new Result(number, number, e.getMessage());
        }
      }
    }
    return new Result(number, 0, null);
  }

  /** The command: exit status 0 when the chain is intact, 1 when not, 2 on a usage error. */
  public static int run(String[] args, PrintStream out) {
    if (args.length != 2) {
      out.println("usage: verify-audit FILE");
      return 2;
    }
    try {
      Result result = verify(Path.of(args[1]));
      if (result.ok()) {
        out.println("OK (" + result.lines() + " events)");
        return 0;
      }
      out.println("BAD line " + result.badLine() + ": " + result.problem());
      return 1;
    } catch (IOException e) {
      out.println("cannot read " + args[1] + ": " + e.getMessage());
      return 2;
    }
  }
}
