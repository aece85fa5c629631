package dev.rolegate.persistence.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.persistence.account.AccountState.InstanceProfile;
import dev.rolegate.persistence.store.ChangeFeed.Notice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a write notifies, and how a node reads it back, including an older node's payloads. */
class NoticeTest {
  static final String PROFILE = "arn:aws:iam::111122223333:instance-profile/web/app";

  @Test
  void aNoticeSurvivesItsPayload() {
    for (Notice n :
        List.of(
            new Notice(7, "111122223333", "user", "arn:aws:iam::111122223333:user/ops/alice"),
            Notice.wholeAccount(8, "111122223333"),
            new Notice(9, "111122223333", Notice.INSTANCE_PROFILE, PROFILE, List.of("a+b", "c")),
            new Notice(10, "111122223333", Notice.INSTANCE_PROFILE, PROFILE, List.of()))) {
      assertEquals(n, Notice.parse(n.payload()), n.payload());
    }
  }

  @Test
  void anInstanceProfileNamesTheRolesItWasAndIsFor() {
    ObjectMapper json = new ObjectMapper();
    var before = json.valueToTree(new InstanceProfile("app", "/web/", "AIPA1", List.of("old")));
    var after = json.valueToTree(new InstanceProfile("app", "/web/", "AIPA1", List.of("new")));
    assertEquals(
        List.of("old", "new"),
        Notice.of(3, "111122223333", Notice.INSTANCE_PROFILE, PROFILE, before, after).roles());
    assertEquals(
        List.of("old"),
        Notice.of(4, "111122223333", Notice.INSTANCE_PROFILE, PROFILE, before, null).roles());
    assertEquals(List.of(), Notice.of(5, "111122223333", "user", "arn:x", before, after).roles());
  }

  /** An older node's notice of an instance profile does not name its roles: all may be stale. */
  @Test
  void payloadsOfOlderNodesStandForTheWholeAccount() {
    assertEquals(
        Notice.wholeAccount(11, "111122223333"),
        Notice.parse("11 111122223333 " + Notice.INSTANCE_PROFILE + " " + PROFILE));
    assertEquals(Notice.wholeAccount(12, "111122223333"), Notice.parse("12 111122223333"));
  }
}
