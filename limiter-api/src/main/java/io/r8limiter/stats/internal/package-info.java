/**
 * The top-k summary behind the stats of both backends. Not API: anything here may change in any release.
 */
@NullMarked
package io.r8limiter.stats.internal;

import org.jspecify.annotations.NullMarked;
