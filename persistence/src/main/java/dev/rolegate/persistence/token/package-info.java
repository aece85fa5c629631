/** API tokens: names, scopes and SHA-256 hashes; a token itself is never stored. */
package dev.rolegate.persistence.token;
