-- The policy store, its revision counter and change log, the decision log and API tokens.
-- Names are compared case-insensitively within an account, as IAM does: unique indexes on lower(name).

CREATE TABLE store_revision (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    revision  bigint  NOT NULL
);
COMMENT ON TABLE store_revision IS 'One row: the global revision, bumped in the same transaction as every write. The row lock serialises writers, so revisions follow commit order.';
INSERT INTO store_revision (singleton, revision) VALUES (true, 0);

CREATE TABLE account (
    account_id        text   PRIMARY KEY CHECK (account_id ~ '^[0-9]{12}$'),
    modified_revision bigint NOT NULL
);
COMMENT ON TABLE account IS 'An AWS account whose IAM state is stored; every entity belongs to one.';

CREATE TABLE managed_policy (
    id                 bigserial PRIMARY KEY,
    account_id         text    NOT NULL REFERENCES account ON DELETE CASCADE,
    arn                text    NOT NULL,
    name               text    NOT NULL,
    path               text    NOT NULL,
    unique_id          text,
    aws_managed        boolean NOT NULL,
    description        text,
    default_version_id text,
    modified_revision  bigint  NOT NULL,
    UNIQUE (account_id, arn)
);
COMMENT ON TABLE managed_policy IS 'Customer and AWS managed policies usable in an account. AWS managed ones are stored per account, as imported.';
COMMENT ON COLUMN managed_policy.default_version_id IS 'Null when the policy is unknown: attached by an imported entity but absent from the imported document. It is never evaluated as empty.';
CREATE UNIQUE INDEX managed_policy_name_key ON managed_policy (account_id, lower(name)) WHERE NOT aws_managed;

CREATE TABLE managed_policy_version (
    policy_id        bigint NOT NULL REFERENCES managed_policy ON DELETE CASCADE,
    version_id       text   NOT NULL,
    document         jsonb  NOT NULL,
    created_revision bigint NOT NULL,
    PRIMARY KEY (policy_id, version_id)
);
COMMENT ON TABLE managed_policy_version IS 'Up to five versions per policy; managed_policy.default_version_id names the one that is evaluated.';

CREATE TABLE iam_user (
    id                 bigserial PRIMARY KEY,
    account_id         text   NOT NULL REFERENCES account ON DELETE CASCADE,
    name               text   NOT NULL,
    path               text   NOT NULL,
    unique_id          text   NOT NULL,
    boundary_policy_id bigint REFERENCES managed_policy,
    tags               jsonb  NOT NULL DEFAULT '{}',
    modified_revision  bigint NOT NULL
);
CREATE UNIQUE INDEX iam_user_name_key ON iam_user (account_id, lower(name));
COMMENT ON COLUMN iam_user.modified_revision IS 'The revision of the last write to the user or anything it owns (inline policies, attachments, groups): its ETag.';

CREATE TABLE iam_group (
    id                bigserial PRIMARY KEY,
    account_id        text   NOT NULL REFERENCES account ON DELETE CASCADE,
    name              text   NOT NULL,
    path              text   NOT NULL,
    unique_id         text   NOT NULL,
    modified_revision bigint NOT NULL
);
CREATE UNIQUE INDEX iam_group_name_key ON iam_group (account_id, lower(name));

CREATE TABLE group_membership (
    group_id bigint NOT NULL REFERENCES iam_group ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES iam_user ON DELETE CASCADE,
    position int    NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_membership_user ON group_membership (user_id);
COMMENT ON COLUMN group_membership.position IS 'Order of the group in the user''s group list, kept so that reads return what was written.';

CREATE TABLE iam_role (
    id                   bigserial PRIMARY KEY,
    account_id           text   NOT NULL REFERENCES account ON DELETE CASCADE,
    name                 text   NOT NULL,
    path                 text   NOT NULL,
    unique_id            text   NOT NULL,
    description          text,
    trust_policy         jsonb  NOT NULL,
    boundary_policy_id   bigint REFERENCES managed_policy,
    tags                 jsonb  NOT NULL DEFAULT '{}',
    modified_revision    bigint NOT NULL
);
CREATE UNIQUE INDEX iam_role_name_key ON iam_role (account_id, lower(name));

-- An inline policy or an attachment belongs to exactly one user, group or role.
CREATE TABLE inline_policy (
    id       bigserial PRIMARY KEY,
    user_id  bigint REFERENCES iam_user ON DELETE CASCADE,
    group_id bigint REFERENCES iam_group ON DELETE CASCADE,
    role_id  bigint REFERENCES iam_role ON DELETE CASCADE,
    name     text  NOT NULL,
    position int   NOT NULL,
    document jsonb NOT NULL,
    CHECK (num_nonnulls(user_id, group_id, role_id) = 1)
);
CREATE UNIQUE INDEX inline_policy_name_key
    ON inline_policy (coalesce(user_id, 0), coalesce(group_id, 0), coalesce(role_id, 0), lower(name));
CREATE INDEX inline_policy_user ON inline_policy (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX inline_policy_group ON inline_policy (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX inline_policy_role ON inline_policy (role_id) WHERE role_id IS NOT NULL;

CREATE TABLE policy_attachment (
    id        bigserial PRIMARY KEY,
    policy_id bigint NOT NULL REFERENCES managed_policy,
    user_id   bigint REFERENCES iam_user ON DELETE CASCADE,
    group_id  bigint REFERENCES iam_group ON DELETE CASCADE,
    role_id   bigint REFERENCES iam_role ON DELETE CASCADE,
    position  int    NOT NULL,
    CHECK (num_nonnulls(user_id, group_id, role_id) = 1)
);
CREATE UNIQUE INDEX policy_attachment_key
    ON policy_attachment (coalesce(user_id, 0), coalesce(group_id, 0), coalesce(role_id, 0), policy_id);
CREATE INDEX policy_attachment_policy ON policy_attachment (policy_id);
COMMENT ON TABLE policy_attachment IS 'A managed policy attached to a user, group or role. A policy in use cannot be deleted (no cascade), as in IAM.';

CREATE TABLE instance_profile (
    id                bigserial PRIMARY KEY,
    account_id        text   NOT NULL REFERENCES account ON DELETE CASCADE,
    name              text   NOT NULL,
    path              text   NOT NULL,
    unique_id         text   NOT NULL,
    role_id           bigint REFERENCES iam_role,
    modified_revision bigint NOT NULL
);
CREATE UNIQUE INDEX instance_profile_name_key ON instance_profile (account_id, lower(name));
CREATE INDEX instance_profile_role ON instance_profile (role_id);
COMMENT ON COLUMN instance_profile.role_id IS 'The profile''s role; IAM allows at most one. A role in a profile cannot be deleted before it is removed.';

CREATE TABLE change_log (
    id          bigserial   PRIMARY KEY,
    revision    bigint      NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    account_id  text        NOT NULL,
    entity_kind text        NOT NULL,
    entity_arn  text        NOT NULL,
    change      text        NOT NULL CHECK (change IN ('created', 'updated', 'deleted', 'replaced')),
    before      jsonb,
    after       jsonb
);
CREATE INDEX change_log_revision ON change_log (revision);
CREATE INDEX change_log_entity ON change_log (entity_arn, revision);
COMMENT ON TABLE change_log IS 'Every write, in the transaction that bumped the revision: who changed which entity from what to what.';
COMMENT ON COLUMN change_log.entity_arn IS 'The entity''s ARN; for an account-wide import, the account id.';

CREATE TABLE decision_log (
    decision_id  uuid        NOT NULL,
    decided_at   timestamptz NOT NULL,
    caller       text        NOT NULL,
    principal    text        NOT NULL,
    operation    text        NOT NULL,
    instance_arn text        NOT NULL,
    role_arn     text,
    decision     text        NOT NULL,
    allowed      boolean     NOT NULL,
    revision     bigint      NOT NULL,
    request      jsonb       NOT NULL,
    answer       jsonb       NOT NULL,
    PRIMARY KEY (decided_at, decision_id)
) PARTITION BY RANGE (decided_at);
COMMENT ON TABLE decision_log IS 'Every decision answered, partitioned by month of decided_at. decision_id is a UUIDv7 whose timestamp is decided_at, so a lookup by id prunes to one partition.';
CREATE TABLE decision_log_default PARTITION OF decision_log DEFAULT;
COMMENT ON TABLE decision_log_default IS 'Catches rows outside the monthly partitions that the service creates ahead of time; normally empty.';
CREATE INDEX decision_log_time ON decision_log (decided_at DESC, decision_id DESC);
CREATE INDEX decision_log_principal ON decision_log (principal, decided_at DESC, decision_id DESC);
CREATE INDEX decision_log_role ON decision_log (role_arn, decided_at DESC, decision_id DESC);
CREATE INDEX decision_log_instance ON decision_log (instance_arn, decided_at DESC, decision_id DESC);

CREATE TABLE api_token (
    id         bigserial   PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    token_hash bytea       NOT NULL UNIQUE,
    scopes     text[]      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text        NOT NULL,
    revoked_at timestamptz
);
COMMENT ON TABLE api_token IS 'Bearer tokens for the API. Only the SHA-256 of a token is stored; the token is shown once, when created.';
