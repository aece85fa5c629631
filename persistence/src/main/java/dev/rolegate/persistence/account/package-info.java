/**
 * The IAM state of one account as plain values: what an import or the admin API hands to the store
 * to write, and what the store reads back to decide. No persistence and no HTTP here.
 */
package dev.rolegate.persistence.account;
