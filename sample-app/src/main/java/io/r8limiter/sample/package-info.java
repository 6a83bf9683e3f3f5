/**
 * The decision service: {@code POST /allow} answers whether a user may spend tokens on a resource, and the
 * {@code /admin} API manages policies, buckets and statistics behind a bearer token.
 *
 * <p>Everything here is an application, not API: it uses r8limiter the way any Spring Boot user would.
 */
@NullMarked
package io.r8limiter.sample;

import org.jspecify.annotations.NullMarked;
