package dev.rolegate.api.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeNameTest {
  @Test
  void aConfiguredNameIsTakenAsGivenLessItsEnds() {
    assertEquals("rolegate-2.eu-west-1", new NodeName(" rolegate-2.eu-west-1 ").name());
  }

  @Test
  void withoutOneTheHostsNameIsTaken() {
    String name = new NodeName("").name();
    assertFalse(name.isBlank());
    assertTrue(name.length() <= NodeName.LONGEST, name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"two words", "tab\there", "bell\u0007"})
  void aNameWithSpacesOrControlCharactersIsRefusedNamingTheSetting(String name) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new NodeName(name));
    assertTrue(e.getMessage().startsWith("ROLEGATE_NODE_NAME must be"), e.getMessage());
  }

  @Test
  void aNameLongerThanAHostNameIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new NodeName("n".repeat(129)));
    assertEquals(128, new NodeName("n".repeat(128)).name().length());
  }
}
