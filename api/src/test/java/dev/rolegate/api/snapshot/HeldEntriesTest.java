package dev.rolegate.api.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.persistence.store.DecisionInputsReader.PrincipalRef;
import dev.rolegate.persistence.store.DecisionInputsReader.RoleRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link HeldEntries} against a plain map under random changes, looked up by keys equal to the held
 * ones but not the same objects (as a request's are); and {@link KeyText}, whose bytes must tell
 * keys apart exactly as {@code equals} does.
 */
class HeldEntriesTest {
  private static final String[] PARTS = {
    "", "a", "ab", "b", "/", "/a/", "|", "\u00e9", "\u00e9a", "\ud800", "\uffff", "a\u0000", null
  };

  @Test
  void keyTextsAreEqualExactlyWhenTheKeysAre() {
    Random random = new Random(7);
    List<PrincipalRef> principals = new ArrayList<>();
    List<RoleRef> roles = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      principals.add(
          new PrincipalRef(random.nextBoolean(), part(random), part(random), part(random)));
      roles.add(new RoleRef(part(random), part(random), part(random)));
    }
    int equal = 0;
    for (PrincipalRef a : principals) {
      for (PrincipalRef b : principals) {
        boolean same = Arrays.equals(KeyText.of(a), KeyText.of(b));
        assertEquals(a.equals(b), same, a + " and " + b);
        equal += same && a != b ? 1 : 0;
      }
    }
    for (RoleRef a : roles) {
      for (RoleRef b : roles) {
        assertEquals(a.equals(b), Arrays.equals(KeyText.of(a), KeyText.of(b)), a + " and " + b);
      }
    }
    // Keys that differ only in where one part ends and the next begins.
    assertFalse(
        Arrays.equals(
            KeyText.of(new RoleRef("a", "b", "")), KeyText.of(new RoleRef("a", "", "b"))));
    assertTrue(equal > 20, "too few equal pairs to test the other way: " + equal);
  }

  @Test
  void aTableHeldKeyIsFoundByAnEqualKeyAndFollowsEveryChange() {
    PrincipalRef alice = PrincipalRef.user("123456789012", "/", "alice");
    HeldEntries<PrincipalRef, String> held = new HeldEntries<>(Map.of(alice, "v1"), KeyText::of);
    PrincipalRef asked = PrincipalRef.user(copy("123456789012"), copy("/"), copy("alice"));
    assertEquals("v1", held.get(asked));
    held.remove(asked, "other");
    assertEquals("v1", held.get(asked));
    held.remove(asked, "v1");
    assertNull(held.get(asked));
    held.put(asked, "v2");
    assertEquals("v2", held.get(alice));
    held.computeIfPresent(alice, (k, v) -> null);
    assertNull(held.get(asked));
    assertEquals(0, held.size());
  }

  @Test
  void followsAMapUnderRandomChanges() {
    Random random = new Random(11);
    for (int run = 0; run < 50; run++) {
      List<PrincipalRef> universe = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        universe.add(
            new PrincipalRef(
                random.nextBoolean(), "123456789012", random.nextBoolean() ? "/" : "/x/", "p" + i));
      }
      Map<PrincipalRef, Integer> expected = new HashMap<>();
      for (PrincipalRef p : universe.subList(0, random.nextInt(universe.size()))) {
        expected.put(p, random.nextInt(5));
      }
      HeldEntries<PrincipalRef, Integer> held =
          random.nextInt(4) == 0
              ? emptyThenPut(expected)
              : new HeldEntries<>(expected, KeyText::of);
      for (int step = 0; step < 400; step++) {
        PrincipalRef key = fresh(universe.get(random.nextInt(universe.size())));
        int value = random.nextInt(5);
        switch (random.nextInt(6)) {
          case 0 -> {
            held.put(key, value);
            expected.put(key, value);
          }
          case 1 -> {
            held.remove(key, value);
            expected.remove(key, value);
          }
          case 2 -> {
            held.computeIfPresent(key, (k, v) -> v == value ? null : v + 1);
            expected.computeIfPresent(key, (k, v) -> v == value ? null : v + 1);
          }
          case 3 -> {
            held.replaceAll((k, v) -> v + 1);
            expected.replaceAll((k, v) -> v + 1);
          }
          case 4 -> {
            held.removeIf((k, v) -> v % 3 == value % 3);
            expected.values().removeIf(v -> v % 3 == value % 3);
          }
          default -> {}
        }
        for (PrincipalRef p : universe) {
          assertEquals(expected.get(p), held.get(fresh(p)), "run " + run + " step " + step);
          // Looked up beside another key (of the same table here: any table would do).
          PrincipalRef q = universe.get(random.nextInt(universe.size()));
          HeldEntries.Both<Integer, Integer> both = held.getWith(fresh(p), held, fresh(q));
          assertEquals(expected.get(p), both.first(), "run " + run + " step " + step);
          assertEquals(expected.get(q), both.second(), "run " + run + " step " + step);
        }
        assertEquals(expected.size(), held.size());
      }
    }
  }

  @Test
  void aLoadOfManyKeysFindsEachAndNoOther() {
    Map<RoleRef, Integer> loaded = new HashMap<>();
    for (int i = 0; i < 50_000; i++) {
      loaded.put(new RoleRef("123456789012", "/app/" + (i % 7) + "/", "role-" + i), i);
    }
    HeldEntries<RoleRef, Integer> held = new HeldEntries<>(loaded, KeyText::of);
    loaded.forEach(
        (k, v) ->
            assertSame(
                v, held.get(new RoleRef(copy(k.accountId()), copy(k.path()), copy(k.name())))));
    // Side by side with a lookup in another table, keys past their first slot included.
    HeldEntries<PrincipalRef, String> users =
        new HeldEntries<>(Map.of(PrincipalRef.user("123456789012", "/", "u"), "u"), KeyText::of);
    PrincipalRef absent = PrincipalRef.user("123456789012", "/", "v");
    loaded.forEach(
        (k, v) -> {
          RoleRef asked = new RoleRef(copy(k.accountId()), copy(k.path()), copy(k.name()));
          assertSame(v, held.getWith(asked, users, absent).first());
          assertEquals(
              "u", users.getWith(PrincipalRef.user("123456789012", "/", "u"), held, asked).first());
          assertSame(v, users.getWith(absent, held, asked).second());
        });
    assertNull(held.get(new RoleRef("123456789012", "/app/1/", "role-0")));
    assertNull(held.get(new RoleRef("123456789012", "/app/0/", "role-50000")));
    assertArrayEquals(
        KeyText.of(new RoleRef("1", "/", "r")), KeyText.of(new RoleRef(copy("1"), "/", "r")));
  }

  private static HeldEntries<PrincipalRef, Integer> emptyThenPut(
      Map<PrincipalRef, Integer> entries) {
    HeldEntries<PrincipalRef, Integer> held = new HeldEntries<>(KeyText::of);
    entries.forEach(held::put);
    return held;
  }

  private static String part(Random random) {
    return PARTS[random.nextInt(PARTS.length)];
  }

  private static PrincipalRef fresh(PrincipalRef p) {
    return new PrincipalRef(p.isUser(), copy(p.accountId()), copy(p.path()), copy(p.name()));
  }

  /** An equal string that is not the same object. */
  private static String copy(String s) {
    return s == null ? null : new String(s.toCharArray());
  }
}
