-- IAM never hands out a policy version id twice: after v5 is deleted the next version is v6.
ALTER TABLE managed_policy ADD COLUMN last_version_number int NOT NULL DEFAULT 0;
COMMENT ON COLUMN managed_policy.last_version_number IS 'The highest version number the policy ever had; the next version is one more, even if that one was deleted.';
UPDATE managed_policy p SET last_version_number = coalesce(
    (SELECT max(substring(v.version_id FROM '^v([0-9]+)')::int)
       FROM managed_policy_version v WHERE v.policy_id = p.id), 0);
