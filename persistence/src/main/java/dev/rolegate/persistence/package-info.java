/**
 * The PostgreSQL policy store and decision log (built by the service issue). It stores policy
 * documents with their metadata and never evaluates them: it does not know the engine.
 */
package dev.rolegate.persistence;
