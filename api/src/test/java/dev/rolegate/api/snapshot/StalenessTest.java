package dev.rolegate.api.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.persistence.store.ChangeFeed.Notice;
import dev.rolegate.persistence.store.DecisionInputsReader.PrincipalRef;
import dev.rolegate.persistence.store.DecisionInputsReader.RoleRef;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A write to an instance profile makes stale only the roles it was and is for. */
class StalenessTest {
  static final String ACCOUNT = "111122223333";

  @Test
  void anInstanceProfileTouchesItsRolesOnly() {
    Notice n =
        new Notice(
            5,
            ACCOUNT,
            Notice.INSTANCE_PROFILE,
            "arn:aws:iam::" + ACCOUNT + ":instance-profile/app",
            List.of("Old-Web", "new-web"));
    assertFalse(Staleness.wholeAccount(n));
    assertTrue(Staleness.touches(n, new RoleRef(ACCOUNT, "/", "old-web")));
    assertTrue(Staleness.touches(n, new RoleRef(ACCOUNT, "/svc/", "NEW-WEB")));
    assertFalse(Staleness.touches(n, new RoleRef(ACCOUNT, "/", "admin")));
    // No principal's policies depend on instance profiles, not even a session of such a role.
    assertFalse(Staleness.touches(n, PrincipalRef.roleSession(ACCOUNT, "new-web"), null));
    assertFalse(Staleness.touches(n, PrincipalRef.user(ACCOUNT, "/", "alice"), null));
    assertEquals(Set.of(), Staleness.named(n));
  }

  @Test
  void whatThisNodeDoesNotKnowTouchesTheWholeAccount() {
    assertTrue(Staleness.wholeAccount(Notice.wholeAccount(6, ACCOUNT)));
    assertTrue(Staleness.wholeAccount(new Notice(7, ACCOUNT, "service-control-policies", ACCOUNT)));
    assertTrue(Staleness.wholeAccount(new Notice(8, ACCOUNT, "something-new", "x")));
  }
}
