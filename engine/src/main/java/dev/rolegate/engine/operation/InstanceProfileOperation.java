package dev.rolegate.engine.operation;

import java.util.Optional;

/**
 * The three EC2 calls that change an instance's role (iam-reference §1). Associate and replace pass
 * a role, so they also need {@code iam:PassRole}; disassociate passes none.
 */
public enum InstanceProfileOperation {
  ASSOCIATE("associate", "ec2:AssociateIamInstanceProfile", true),
  REPLACE("replace", "ec2:ReplaceIamInstanceProfileAssociation", true),
  DISASSOCIATE("disassociate", "ec2:DisassociateIamInstanceProfile", false);

  private final String wireName;
  private final String ec2Action;
  private final boolean passesRole;

  InstanceProfileOperation(String wireName, String ec2Action, boolean passesRole) {
    this.wireName = wireName;
    this.ec2Action = ec2Action;
    this.passesRole = passesRole;
  }

  public String wireName() {
    return wireName;
  }

  /** The EC2 action checked on the instance ARN. */
  public String ec2Action() {
    return ec2Action;
  }

  /** Whether the call passes a role, and so needs {@code iam:PassRole} on it. */
  public boolean passesRole() {
    return passesRole;
  }

  public static Optional<InstanceProfileOperation> fromWireName(String name) {
    for (InstanceProfileOperation o : values()) {
      if (o.wireName.equals(name)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }
}
