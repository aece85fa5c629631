package dev.rolegate.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.api.testing.CommandOutput;
import dev.rolegate.api.testing.Jar;
import dev.rolegate.api.testing.RunningService;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code rolegate health} against a running node, in process and as the packaged jar. */
class HealthCommandIT {
  static RunningService service;

  @BeforeAll
  static void start() {
    service = RunningService.start();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  static CommandOutput health(Map<String, String> env, String... args) {
    return CommandOutput.capture((out, err) -> HealthCommand.run(args, env, out, err));
  }

  Map<String, String> node() {
    return Map.of("MICRONAUT_SERVER_PORT", Integer.toString(service.port()));
  }

  @Test
  void aReadyNodeAnswersEachProbe() {
    for (String probe : new String[] {"readiness", "liveness", "all"}) {
      CommandOutput r = health(node(), probe);
      assertEquals(0, r.code(), probe + ": " + r.err());
      assertTrue(r.out().contains("\"UP\""), r.out());
    }
    assertEquals(0, health(node()).code(), "readiness by default");
    assertEquals(
        0, health(Map.of(), "http://127.0.0.1:" + service.port() + "/health/readiness").code());
  }

  @Test
  void anAnswerOtherThan200OrNoAnswerIsExit1() throws Exception {
    CommandOutput notFound =
        health(Map.of(), "http://127.0.0.1:" + service.port() + "/health/nope");
    assertEquals(1, notFound.code());
    assertTrue(notFound.err().contains("answered 404"), notFound.err());
    int free;
    try (var s = new java.net.ServerSocket(0)) {
      free = s.getLocalPort();
    }
    CommandOutput closed = health(Map.of("MICRONAUT_SERVER_PORT", Integer.toString(free)));
    assertEquals(1, closed.code());
    assertTrue(closed.err().contains("cannot reach http://127.0.0.1:" + free), closed.err());
  }

  @Test
  void aBadCommandLineIsExit2() {
    assertEquals(2, health(Map.of(), "readiness", "liveness").code());
    CommandOutput ftp = health(Map.of(), "ftp://127.0.0.1/");
    assertEquals(2, ftp.code());
    assertTrue(
        ftp.err().contains("neither readiness, liveness, all nor an http(s) URL"), ftp.err());
    assertEquals(2, health(Map.of(), "ready").code());
    assertEquals(2, health(Map.of(), "http://[bad").code());
  }

  @Test
  void theJarAsksTheNodeOnItsPort() throws Exception {
    CommandOutput r = Jar.run(node(), "health");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"UP\""), r.out());
  }
}
