package dev.rolegate.api.server;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The name this node gives itself in the decision log, so that an auditor or an operator can tell
 * which of several nodes answered a decision: {@code ROLEGATE_NODE_NAME}, else the host's name (a
 * pod's or a container's name under Kubernetes or Compose).
 */
@Context // made at start, so that a name refused stops the start instead of the first decision
public class NodeName {
  /** Long enough for any host or pod name; a log column, not a document. */
  static final int LONGEST = 128;

  private final String name;

  public NodeName(@Value("${rolegate.node-name:}") String configured) {
    this.name = configured.isBlank() ? hostName() : checked(configured.strip());
  }

  public String name() {
    return name;
  }

  private static String checked(String name) {
    if (name.length() > LONGEST || !name.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
      throw new IllegalArgumentException(
          "ROLEGATE_NODE_NAME must be at most "
              + LONGEST
              + " characters without spaces or control characters, not `"
              + name
              + "`");
    }
    return name;
  }

  private static String hostName() {
    String fromEnvironment = System.getenv("HOSTNAME");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return truncated(fromEnvironment.strip());
    }
    try {
      return truncated(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      return "rolegate";
    }
  }

  private static String truncated(String name) {
    return name.length() > LONGEST ? name.substring(0, LONGEST) : name;
  }
}
