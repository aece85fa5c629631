package dev.rolegate.engine.parse;

import java.util.Optional;

/**
 * IAM's size and character rules for policy documents (iam-reference §4). Sizes count characters
 * without whitespace, as IAM does.
 */
public final class PolicyLimits {
  /** Sum of a user's inline policies. */
  public static final int USER_INLINE_TOTAL = 2_048;

  /** Sum of a group's inline policies. */
  public static final int GROUP_INLINE_TOTAL = 5_120;

  /** Sum of a role's inline policies. */
  public static final int ROLE_INLINE_TOTAL = 10_240;

  /** One version of a managed policy. */
  public static final int MANAGED_POLICY_VERSION = 6_144;

  /**
   * A role's trust policy: the most an account's quota can be raised to (its default is 2,048).
   * rolegate cannot know an account's quotas, and refusing a state IAM holds would refuse the
   * account's import (and any later write to what it imported).
   */
  public static final int TRUST_POLICY = 4_096;

  /** Any single document, as the API caps it, whitespace included. */
  public static final int DOCUMENT_CHARACTERS = 131_072;

  /**
   * Managed policies attached to a user or a role: the most an account's quota can be raised to
   * (its default is 10), for the reason given at {@link #TRUST_POLICY}.
   */
  public static final int ATTACHMENTS_PER_USER_OR_ROLE = 20;

  /** Managed policies attached to a group (fixed). */
  public static final int ATTACHMENTS_PER_GROUP = 10;

  /** Groups a user may belong to. */
  public static final int GROUPS_PER_USER = 10;

  /** Versions a managed policy keeps. */
  public static final int VERSIONS_PER_POLICY = 5;

  private PolicyLimits() {}

  /** The document's size as IAM counts it: every character except whitespace. */
  public static int sizeWithoutWhitespace(String document) {
    int n = 0;
    for (int i = 0; i < document.length(); i++) {
      if (!Character.isWhitespace(document.charAt(i))) {
        n++;
      }
    }
    return n;
  }

  /**
   * A problem when the document holds a character IAM refuses (anything but TAB, LF, CR and U+0020
   * to U+00FF) or is longer than the API accepts.
   */
  public static Optional<Problem> characterProblem(String document) {
    return characterProblem(document, true);
  }

  /**
   * As {@link #characterProblem(String)}, the length checked only when {@code capped}: AWS's own
   * managed policies are not bound by what the API accepts from a customer.
   */
  public static Optional<Problem> characterProblem(String document, boolean capped) {
    if (capped && document.length() > DOCUMENT_CHARACTERS) {
      return Optional.of(
          new Problem(
              "",
              "the document has "
                  + document.length()
                  + " characters: IAM accepts at most "
                  + DOCUMENT_CHARACTERS));
    }
    for (int i = 0; i < document.length(); i++) {
      char c = document.charAt(i);
      if (!(c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xFF))) {
        return Optional.of(
            new Problem(
                "",
                String.format(
                    "character U+%04X at offset %d is not allowed in a policy document: IAM"
                        + " accepts TAB, LF, CR and U+0020 to U+00FF",
                    (int) c, i)));
      }
    }
    return Optional.empty();
  }

  /** A problem when the document is larger than the limit, both counted without whitespace. */
  public static Optional<Problem> sizeProblem(String document, int limit, String what) {
    int size = sizeWithoutWhitespace(document);
    return size <= limit
        ? Optional.empty()
        : Optional.of(
            new Problem(
                "",
                what + " has " + size + " characters without whitespace: the limit is " + limit));
  }
}
