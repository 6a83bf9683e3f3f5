package io.r8limiter.system;

/**
 * One in-memory decision service shared by the test classes that only send requests to it (hostile input, key
 * isolation, admin auth, metrics), started on first use and stopped when the test JVM exits; each class uses its own
 * users and resources. Fault tests start their own processes.
 *
 * <p>Policies: {@code default} holds 3 tokens refilled 3 per minute (the C10 and C19 figures); {@code ctl} holds 10
 * refilled 1 per hour, for control users whose bucket must not move while hostile traffic runs; {@code card} holds 1
 * refilled 1 per minute, so that a user's second request is denied (the C18 figures).
 */
final class SharedApp {

    private static AppProcess memory;

    private SharedApp() {}

    static synchronized AppProcess memory() {
        if (memory == null || !memory.isAlive()) {
            memory = AppProcess.start(
                    "shared-memory",
                    "--r8limiter.backend=memory",
                    "--r8limiter.policies.default.limits[0].capacity=3",
                    "--r8limiter.policies.default.limits[0].refill-tokens=3",
                    "--r8limiter.policies.default.limits[0].refill-period=60s",
                    "--r8limiter.policies.ctl.limits[0].capacity=10",
                    "--r8limiter.policies.ctl.limits[0].refill-tokens=1",
                    "--r8limiter.policies.ctl.limits[0].refill-period=1h",
                    "--r8limiter.policies.card.limits[0].capacity=1",
                    "--r8limiter.policies.card.limits[0].refill-tokens=1",
                    "--r8limiter.policies.card.limits[0].refill-period=60s");
            AppProcess started = memory;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-shared-app"));
        }
        return memory;
    }
}
