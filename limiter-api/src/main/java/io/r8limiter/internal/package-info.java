/**
 * Implementation details shared by the engines. Not API: anything here may change in any release.
 */
@NullMarked
package io.r8limiter.internal;

import org.jspecify.annotations.NullMarked;
