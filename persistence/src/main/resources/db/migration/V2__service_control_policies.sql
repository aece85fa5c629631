-- Service control policies: the organization's policy levels that govern an account's principals,
-- root first. They come from AWS Organizations, not from IAM, so an import of
-- get-account-authorization-details leaves them alone.

ALTER TABLE account ADD COLUMN scp_revision bigint;
COMMENT ON COLUMN account.scp_revision IS 'The revision of the last write to the account''s SCP levels (their ETag); null when none were ever set.';

CREATE TABLE service_control_policy (
    id         bigserial PRIMARY KEY,
    account_id text  NOT NULL REFERENCES account ON DELETE CASCADE,
    level      int   NOT NULL CHECK (level >= 0),
    position   int   NOT NULL CHECK (position >= 0),
    name       text  NOT NULL,
    document   jsonb NOT NULL,
    UNIQUE (account_id, level, position)
);
COMMENT ON TABLE service_control_policy IS 'The SCPs that apply to an account, by level: 0 is the organization root, then each OU down to the account itself. Every level must allow an action.';
