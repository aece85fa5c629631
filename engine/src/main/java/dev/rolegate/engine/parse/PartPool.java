package dev.rolegate.engine.parse;

import dev.rolegate.engine.policy.ActionClause;
import dev.rolegate.engine.policy.Condition;
import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.policy.PrincipalClause;
import dev.rolegate.engine.policy.ResourceClause;
import dev.rolegate.engine.policy.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Equal parsed parts held once. A caller that parses many documents together (a store loading an
 * account whole) passes one pool to every parse ({@link PolicyParser#parse(
 * com.fasterxml.jackson.databind.JsonNode, dev.rolegate.engine.policy.PolicyKind, PartPool)}), and
 * each distinct Action and Resource clause, Sid and condition list is then one object however many
 * statements hold it: across a large account most of them repeat ({@code s3:GetObject} on a
 * bucket). A million statements held some five million objects more without it (with the action
 * arrays {@link dev.rolegate.engine.eval.SharedParts} shares by clause). Parts are immutable
 * records and lists, so sharing them changes no answer.
 *
 * <p>Safe for threads that parse in parallel. It holds every part it was given: keep one only as
 * long as its documents are parsed together.
 */
public final class PartPool {
  /** Shares nothing: each parse keeps its own parts. */
  static final PartPool NONE = new PartPool(null);

  private final ConcurrentHashMap<Object, Object> parts;

  public PartPool() {
    this(new ConcurrentHashMap<>());
  }

  private PartPool(ConcurrentHashMap<Object, Object> parts) {
    this.parts = parts;
  }

  /**
   * The pool's part equal to this one, which it becomes when new. Only records, strings, optionals
   * and immutable lists are given, whose equals implies the same kind (a list equals only a list),
   * so the part handed back is of the caller's type. Most parts are seen before: a lock-free get
   * first, then a put only for the new ones.
   */
  @SuppressWarnings("unchecked")
  public <T> T shared(T part) {
    if (parts == null) {
      return part;
    }
    Object known = parts.get(part);
    if (known != null) {
      return (T) known;
    }
    known = parts.putIfAbsent(part, part);
    return known != null ? (T) known : part;
  }

  /**
   * A statement whose Sid, clauses and condition list come from the pool: what both ways of reading
   * a policy build ({@link PolicyParser}, {@link DirectReader}). No Sid and no conditions are one
   * object already.
   */
  Statement statement(
      int index,
      Optional<String> sid,
      Effect effect,
      ActionClause action,
      ResourceClause resource,
      Optional<PrincipalClause> principal,
      List<Condition> conditions) {
    return new Statement(
        index,
        sid.isEmpty() ? sid : shared(sid),
        effect,
        shared(action),
        shared(resource),
        principal,
        conditions.isEmpty() ? List.of() : shared(List.copyOf(conditions)));
  }
}
