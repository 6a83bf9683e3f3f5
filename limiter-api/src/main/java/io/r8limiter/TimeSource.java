package io.r8limiter;

/**
 * A monotonic clock for the in-memory engine, in nanoseconds from an arbitrary origin. Tests pass a manual one.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface TimeSource {

    /** The system's monotonic clock. */
    TimeSource SYSTEM = System::nanoTime;

    /** Nanoseconds from an arbitrary, fixed origin; may go backwards only in tests. */
    long nanos();
}
