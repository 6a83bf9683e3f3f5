/**
 * Micrometer meters for r8limiter: decision counts, backend latency, circuit state and live in-memory keys. The only
 * package that needs Micrometer; tags come from a closed set, never from a caller's key.
 */
@NullMarked
package io.r8limiter.micrometer;

import org.jspecify.annotations.NullMarked;
