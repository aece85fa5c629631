/**
 * The decision log: every decision answered, with its request and full answer, in monthly
 * partitions; and the change log's read side. Written by the API, read by auditors.
 */
package dev.rolegate.persistence.audit;
