/**
 * Recording decisions off the request thread: a bounded queue that slows callers down when full, a
 * writer that stores batches, and a local spool that keeps batches while PostgreSQL is unreachable
 * and replays them, without duplicates, once it is back.
 */
package dev.rolegate.api.audit;
