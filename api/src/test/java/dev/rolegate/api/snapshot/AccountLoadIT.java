package dev.rolegate.api.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.api.bench.ScaleAccount;
import dev.rolegate.api.imports.Fixtures;
import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.RunningService;
import dev.rolegate.api.testing.TestDatabase;
import dev.rolegate.engine.eval.PolicySet;
import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.persistence.store.ChangeFeed;
import dev.rolegate.persistence.store.DecisionInputsReader;
import dev.rolegate.persistence.store.DecisionInputsReader.PrincipalRef;
import dev.rolegate.persistence.store.DecisionInputsReader.Read;
import dev.rolegate.persistence.store.DecisionInputsReader.RoleRef;
import dev.rolegate.persistence.store.PrincipalState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loading an account whole ({@link PolicySnapshots#load}) gives every principal and role exactly
 * what reading it on its own gives: same policies in the same order, same boundary and SCP levels,
 * same findings. Checked on the acme import (whole, and filtered so that policies are unknown), and
 * on a random account written through the admin API with shared policies, groups and boundaries,
 * and on the scale benchmark's generated small account (conditions, denies, boundaries, SCPs). The
 * preloader holds a new account's principals without any decision asking for them.
 */
class AccountLoadIT {
  static final String ACME = "231000000001";
  static final String FILTERED = "231000000002";
  static final String RANDOM = "231000000003";
  static final String GENERATED = "231000000005";

  static RunningService service;
  static Api api;
  static PolicySnapshots snapshots;
  static DecisionInputsReader reader;

  @BeforeAll
  static void start() {
    TestDatabase.Database database = TestDatabase.create();
    service = RunningService.startOn(database, Map.of());
    api = service.api();
    snapshots = service.context().getBean(PolicySnapshots.class);
    reader = service.context().getBean(DecisionInputsReader.class);
    importAcme("acme-authorization-details.json", ACME);
    importAcme("acme-without-aws-managed-policies.json", FILTERED);
    put(
        "/v1/accounts/" + ACME + "/service-control-policies",
        "{\"levels\":[[{\"name\":\"root\",\"document\":"
            + policy("Allow", "*", "*")
            + "}],[{\"name\":\"ou\",\"document\":"
            + policy("Deny", "iam:PassRole", "arn:aws:iam::*:role/admin*")
            + "}]]}");
    randomAccount(new Random(7));
    try (Connection c =
        DriverManager.getConnection(database.url(), database.user(), database.password())) {
      ScaleAccount.write(c, GENERATED, ScaleAccount.Shape.SMALL, 5);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  static void importAcme(String fixture, String account) {
    var r =
        api.put(
            "/v1/accounts/" + account + "/authorization-details",
            Fixtures.forAccount(Fixtures.load(fixture), account).toString());
    assertEquals(200, r.status(), r::toString);
  }

  static void put(String path, String body) {
    var r = api.put(path, body);
    assertEquals(200, r.status(), r::toString);
  }

  static String policy(String effect, String action, String resource) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\""
        + effect
        + "\",\"Action\":\""
        + action
        + "\",\"Resource\":\""
        + resource
        + "\"}]}";
  }

  /** Shared policies attached at random to groups, users and roles, some as boundaries. */
  static void randomAccount(Random random) {
    String a = "/v1/accounts/" + RANDOM;
    List<String> actions = List.of("ec2:*", "iam:PassRole", "ec2:AssociateIamInstanceProfile", "*");
    List<String> arns = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      put(
          a + "/policies/p" + i,
          "{\"document\":"
              + policy(
                  random.nextInt(4) == 0 ? "Deny" : "Allow",
                  actions.get(random.nextInt(actions.size())),
                  "*")
              + "}");
      arns.add("\"arn:aws:iam::" + RANDOM + ":policy/p" + i + "\"");
    }
    for (int g = 0; g < 3; g++) {
      put(
          a + "/groups/g" + g,
          "{\"attachedPolicies\":["
              + String.join(",", pick(arns, random))
              + "],\"inlinePolicies\":{\"own\":"
              + policy("Allow", "iam:GetRole", "*")
              + "}}");
    }
    for (int u = 0; u < 12; u++) {
      List<String> groups = new ArrayList<>();
      for (int g = 0; g < 3; g++) {
        if (random.nextBoolean()) {
          groups.add("\"g" + g + "\"");
        }
      }
      put(
          a + "/users/u" + u,
          "{\"path\":\"/team"
              + (u % 3)
              + "/\",\"groups\":["
              + String.join(",", groups)
              + "],\"attachedPolicies\":["
              + String.join(",", pick(arns, random))
              + "]"
              + (random.nextInt(3) == 0
                  ? ",\"permissionsBoundary\":" + arns.get(random.nextInt(arns.size()))
                  : "")
              + (random.nextBoolean()
                  ? ",\"inlinePolicies\":{\"mine\":" + policy("Allow", "ec2:*", "*") + "}"
                  : "")
              + "}");
    }
    String trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    for (int r = 0; r < 4; r++) {
      put(
          a + "/roles/r" + r,
          "{\"path\":\"/apps/\",\"tags\":{\"team\":\"web\",\"env\":\""
              + (r % 2 == 0 ? "prod" : "dev")
              + "\"},\"trustPolicy\":"
              + trust
              + ",\"attachedPolicies\":["
              + String.join(",", pick(arns, random))
              + "]"
              + (r % 2 == 0 ? ",\"permissionsBoundary\":" + arns.get(r) : "")
              + "}");
      put(a + "/instance-profiles/ip" + r, "{\"role\":\"r" + r + "\"}");
    }
  }

  static List<String> pick(List<String> from, Random random) {
    List<String> out = new ArrayList<>();
    for (String s : from) {
      if (random.nextInt(3) == 0) {
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void aLoadedAccountEqualsReadingEachPrincipalOnItsOwn() {
    for (String account : List.of(ACME, FILTERED, RANDOM, GENERATED)) {
      AccountBuild.Built built = snapshots.load(account).orElseThrow();
      long users =
          service.count("SELECT count(*) FROM iam_user WHERE account_id = '" + account + "'");
      long roles =
          service.count("SELECT count(*) FROM iam_role WHERE account_id = '" + account + "'");
      assertTrue(users > 0 && roles > 0, account);
      assertEquals(users + roles, built.principals().size(), account);
      assertEquals(roles, built.roles().size(), account);
      List<String> differences = new ArrayList<>();
      for (Map.Entry<PrincipalRef, ResolvedPrincipal> e : built.principals().entrySet()) {
        Read<PrincipalState> read = reader.principal(e.getKey());
        ResolvedPrincipal alone = Compiler.principal("unused", read.value(), read.revision());
        if (!describe(alone).equals(describe(e.getValue()))) {
          differences.add(
              e.getKey() + ": alone " + describe(alone) + " loaded " + describe(e.getValue()));
        }
      }
      for (Map.Entry<RoleRef, ResolvedRole> e : built.roles().entrySet()) {
        var alone = Compiler.role(reader.role(e.getKey()).value());
        if (!alone.equals(e.getValue().facts())) {
          differences.add(e.getKey() + ": alone " + alone + " loaded " + e.getValue().facts());
        }
      }
      assertEquals(List.of(), differences, account);
    }
  }

  /**
   * A loaded account's role tags come from the load's pool of strings: each once, however often.
   */
  @Test
  void aLoadedAccountsRoleTagsAreSharedStrings() {
    Map<String, String> pool = new HashMap<>();
    int tags = 0;
    for (ResolvedRole r : snapshots.load(RANDOM).orElseThrow().roles().values()) {
      for (Map.Entry<String, String> t : r.facts().orElseThrow().tags().entrySet()) {
        for (String s : List.of(t.getKey(), t.getValue())) {
          assertSame(pool.computeIfAbsent(s, k -> s), s, "tag string " + s);
        }
        tags++;
      }
    }
    assertEquals(8, tags);
  }

  @Test
  void theFilteredImportReportsItsUnknownPoliciesWhenLoaded() {
    AccountBuild.Built built = snapshots.load(FILTERED).orElseThrow();
    assertTrue(
        built.principals().values().stream()
            .anyMatch(p -> p.findings().stream().anyMatch(f -> f.code().equals("policy_unknown"))),
        "the filtered export leaves AWS managed policies unknown");
  }

  @Test
  void thePreloaderHoldsEveryPrincipalWithoutBeingAsked() throws InterruptedException {
    long users = service.count("SELECT count(*) FROM iam_user WHERE account_id = '" + RANDOM + "'");
    long deadline = System.nanoTime() + 10_000_000_000L;
    Optional<ResolvedPrincipal> held = Optional.empty();
    while (System.nanoTime() < deadline) {
      held = snapshots.heldPrincipal(PrincipalRef.user(RANDOM, "/team1/", "u1"));
      if (held.isPresent() && snapshots.held().principals() >= users) {
        break;
      }
      Thread.sleep(20);
    }
    assertTrue(held.isPresent(), "u1 is held without any decision about it");
    assertTrue(held.get().known());
    var status = api.get("/v1/status");
    assertEquals(200, status.status(), status::toString);
    assertTrue(status.json().get("held").get("principals").asLong() >= users, status::toString);
  }

  /**
   * A write drops only the entries built from what it changed, and the preloader reads them again:
   * a user's own write, a managed policy's new version, a group's policies, a role.
   */
  @Test
  void aWriteDropsOnlyWhatItTouchedAndThePreloaderReadsItAgain() throws InterruptedException {
    String account = "231000000004";
    String a = "/v1/accounts/" + account;
    put(a + "/policies/shared", "{\"document\":" + policy("Allow", "ec2:*", "*") + "}");
    put(
        a + "/groups/grp",
        "{\"inlinePolicies\":{\"g\":" + policy("Allow", "iam:GetRole", "*") + "}}");
    put(a + "/users/ua", "{\"attachedPolicies\":[\"arn:aws:iam::" + account + ":policy/shared\"]}");
    put(a + "/users/ub", "{\"inlinePolicies\":{\"own\":" + policy("Allow", "s3:*", "*") + "}}");
    put(a + "/users/uc", "{\"groups\":[\"grp\"]}");
    put(
        a + "/roles/rr",
        "{\"trustPolicy\":"
            + policy("Allow", "sts:AssumeRole", "*")
                .replace("\"Resource\":\"*\"", "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}")
            + "}");
    PrincipalRef ua = PrincipalRef.user(account, "/", "ua");
    PrincipalRef ub = PrincipalRef.user(account, "/", "ub");
    PrincipalRef uc = PrincipalRef.user(account, "/", "uc");
    PrincipalRef rr = PrincipalRef.roleSession(account, "rr");
    List<PrincipalRef> all = List.of(ua, ub, uc, rr);

    // The preloader reads each written principal again after its write.
    Map<PrincipalRef, PrincipalPolicies> before = awaitHeld(all, p -> true);

    put(a + "/users/ub", "{\"inlinePolicies\":{\"extra\":" + policy("Allow", "sqs:*", "*") + "}}");
    assertUnchanged(before, List.of(ua, uc, rr));
    before = awaitHeld(all, p -> !p.equals(ub) || hasPolicy(ub, "user/ub/extra"));

    put(a + "/policies/shared", "{\"document\":" + policy("Deny", "ec2:*", "*") + "}");
    assertUnchanged(before, List.of(ub, uc, rr));
    before = awaitHeld(all, p -> !p.equals(ua) || hasVersion(ua, "v2"));

    put(a + "/groups/grp", "{\"inlinePolicies\":{\"g2\":" + policy("Allow", "kms:*", "*") + "}}");
    assertUnchanged(before, List.of(ua, ub, rr));
    before = awaitHeld(all, p -> !p.equals(uc) || hasPolicy(uc, "group/grp/g2"));

    put(
        a + "/roles/rr",
        "{\"trustPolicy\":"
            + policy("Allow", "sts:AssumeRole", "*")
                .replace("\"Resource\":\"*\"", "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}")
            + ",\"inlinePolicies\":{\"r\":"
            + policy("Allow", "iam:PassRole", "*")
            + "}}");
    assertUnchanged(before, List.of(ua, ub, uc));
    awaitHeld(all, p -> !p.equals(rr) || hasPolicy(rr, "role/rr/r"));
  }

  /**
   * A write this node made is applied when it commits. Its notification comes later, after the
   * written principal may have been read again (with the write): applied again, it would drop that
   * entry and have it read once more (for an import, the whole account). Here the notification is
   * handed over late on purpose, as a busy database or follower may deliver it.
   */
  @Test
  void aLateNotificationOfThisNodesOwnWriteDropsNothing() throws InterruptedException {
    PrincipalRef late = PrincipalRef.user("231000000007", "/", "late");
    long revision = putUserAndAwaitHeld(late);
    Map<PrincipalRef, PrincipalPolicies> before = awaitHeld(List.of(late), p -> true);
    notifyAgain(revision);
    assertUnchanged(before, List.of(late));
  }

  /**
   * A write's notification that comes after this node read the written principal at or after the
   * write's revision drops nothing: the entry holds the write already. That is what happens when
   * another node writes and a decision here reads the principal before the notification arrives;
   * here the node is handed its own write's notification again once it no longer remembers the
   * write as its own.
   */
  @Test
  void aNotificationOfAWriteAlreadyReadDropsNothing() throws InterruptedException {
    PrincipalRef read = PrincipalRef.user("231000000008", "/", "read-first");
    long revision = putUserAndAwaitHeld(read);
    Map<PrincipalRef, PrincipalPolicies> before = awaitHeld(List.of(read), p -> true);
    // A later write, once applied, makes the node forget the first as its own.
    var later = api.put("/v1/accounts/" + read.accountId() + "/users/later", "{}");
    assertEquals(200, later.status(), later::toString);
    long next = later.json().get("revision").asLong();
    assertTrue(
        snapshots.await(next, Duration.ofSeconds(10)),
        "revision " + next + " not applied within 10 s");
    notifyAgain(revision);
    assertUnchanged(before, List.of(read));
  }

  /**
   * Writes the user with one inline policy and waits until this node holds it as of that write;
   * answers the write's revision.
   */
  private static long putUserAndAwaitHeld(PrincipalRef user) throws InterruptedException {
    var r =
        api.put(
            "/v1/accounts/" + user.accountId() + "/users/" + user.name(),
            "{\"inlinePolicies\":{\"own\":" + policy("Allow", "ec2:*", "*") + "}}");
    assertEquals(200, r.status(), r::toString);
    long revision = r.json().get("revision").asLong();
    awaitHeld(List.of(user), p -> true);
    assertTrue(snapshots.heldPrincipal(user).orElseThrow().revision() >= revision);
    return revision;
  }

  /** Hands this node the notification of the write at the revision, as its follower would. */
  private static void notifyAgain(long revision) {
    List<ChangeFeed.Notice> notices = service.context().getBean(ChangeFeed.class).at(revision);
    assertEquals(1, notices.size(), notices::toString);
    notices.forEach(snapshots::notified);
  }

  static boolean hasVersion(PrincipalRef ref, String versionId) {
    return snapshots
        .heldPrincipal(ref)
        .map(
            p ->
                p.policies().identityPolicies().stream()
                    .anyMatch(s -> s.versionId().equals(Optional.of(versionId))))
        .orElse(false);
  }

  static boolean hasPolicy(PrincipalRef ref, String id) {
    return snapshots
        .heldPrincipal(ref)
        .map(p -> p.policies().identityPolicies().stream().anyMatch(s -> s.id().equals(id)))
        .orElse(false);
  }

  /** Waits until every principal is held and passes the check; answers their compiled policies. */
  static Map<PrincipalRef, PrincipalPolicies> awaitHeld(
      List<PrincipalRef> refs, java.util.function.Predicate<PrincipalRef> ready)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      Map<PrincipalRef, PrincipalPolicies> held = new java.util.HashMap<>();
      for (PrincipalRef r : refs) {
        snapshots.heldPrincipal(r).ifPresent(p -> held.put(r, p.policies()));
      }
      if (held.size() == refs.size() && refs.stream().allMatch(ready)) {
        return held;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not held within 10 s: " + refs + ", held " + held.keySet());
      }
      Thread.sleep(10);
    }
  }

  /** The very same compiled policies are held: the write did not touch them. */
  static void assertUnchanged(
      Map<PrincipalRef, PrincipalPolicies> before, List<PrincipalRef> refs) {
    for (PrincipalRef r : refs) {
      Optional<ResolvedPrincipal> now = snapshots.heldPrincipal(r);
      assertTrue(now.isPresent(), r + " was dropped by a write that did not touch it");
      assertTrue(now.get().policies() == before.get(r), r + " was read again");
    }
  }

  /**
   * A change of SCP levels swaps that layer into the held principals, which then equal a fresh
   * read; and levels read before the last ones swapped in (a slower thread applying an older
   * change) do not undo them.
   */
  @Test
  void scpLevelsSwapInPlaceAndAnOlderReadDoesNotUndoANewerOne() {
    String account = "231000000006";
    String a = "/v1/accounts/" + account;
    put(a + "/users/u", "{\"inlinePolicies\":{\"own\":" + policy("Allow", "*", "*") + "}}");
    snapshots.load(account).orElseThrow();
    PrincipalRef u = PrincipalRef.user(account, "/", "u");
    put(
        a + "/service-control-policies",
        "{\"levels\":[[{\"name\":\"first\",\"document\":" + policy("Allow", "*", "*") + "}]]}");
    var older = reader.serviceControlLevels(account);
    put(
        a + "/service-control-policies",
        "{\"levels\":[[{\"name\":\"second\",\"document\":"
            + policy("Allow", "ec2:*", "*")
            + "}]]}");
    var newer = reader.serviceControlLevels(account);
    ResolvedPrincipal held = snapshots.heldPrincipal(u).orElseThrow();
    Read<PrincipalState> read = reader.principal(u);
    assertEquals(
        describe(Compiler.principal("unused", read.value(), read.revision())), describe(held));
    assertEquals("second", held.policies().serviceControlLevels().get(0).policies().get(0).id());
    assertTrue(snapshots.swapIn(account, newer));
    assertTrue(snapshots.swapIn(account, older));
    held = snapshots.heldPrincipal(u).orElseThrow();
    assertEquals("second", held.policies().serviceControlLevels().get(0).policies().get(0).id());
  }

  static List<Object> describe(ResolvedPrincipal p) {
    PrincipalPolicies policies = p.policies();
    return List.of(
        p.known(),
        p.findings(),
        policies.identityPolicies(),
        policies.boundary().map(PolicySet::policies),
        policies.serviceControlLevels().stream().map(PolicySet::policies).toList(),
        policies.serviceControlLevels().stream().map(PolicySet::level).toList(),
        policies.boundary().map(PolicySet::layer));
  }
}
