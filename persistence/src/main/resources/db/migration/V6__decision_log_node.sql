-- Which node answered each decision: with several nodes behind a load balancer, an auditor or an
-- operator looking into an answer (a stale snapshot, a slow node) needs to know where it came
-- from. Null for decisions logged before this column existed. Adding a column without a default is
-- a change of the catalogue only: no partition is rewritten.
ALTER TABLE decision_log ADD COLUMN node text;
