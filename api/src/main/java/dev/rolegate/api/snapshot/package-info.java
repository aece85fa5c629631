/**
 * The node's compiled view of the store: principals and roles resolved and compiled once, kept
 * until a write touches their account, and the follower that learns of writes made on any node
 * (LISTEN/NOTIFY, with catch-up from the change log).
 */
package dev.rolegate.api.snapshot;
