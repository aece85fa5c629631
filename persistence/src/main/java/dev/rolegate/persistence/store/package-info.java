/**
 * Reads and writes of the policy store: accounts and their IAM entities, the global revision and
 * the change log. Every write is one transaction that bumps the revision first; nothing here
 * evaluates a policy.
 */
package dev.rolegate.persistence.store;
