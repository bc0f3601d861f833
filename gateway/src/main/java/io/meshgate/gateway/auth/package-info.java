/**
 * Who is calling: bearer tokens (JWT) verified against a key set (JWKS) from a file or a URL, with
 * the configured issuers, audiences and algorithms, and the scopes the token grants.
 */
@NullMarked
package io.meshgate.gateway.auth;

import org.jspecify.annotations.NullMarked;
