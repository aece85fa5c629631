/**
 * Bearer-token authentication and scopes: the bootstrap token from the environment, tokens created
 * over the API (stored as SHA-256 hashes), and the filter that admits or refuses each request.
 */
package dev.rolegate.api.auth;
