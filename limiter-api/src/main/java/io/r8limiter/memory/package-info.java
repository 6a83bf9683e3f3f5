/**
 * The in-memory backend, r8limiter's embedded default: lock-free buckets in one process, dropped as soon as they
 * are full again, with a cap on live keys.
 */
@NullMarked
package io.r8limiter.memory;

import org.jspecify.annotations.NullMarked;
