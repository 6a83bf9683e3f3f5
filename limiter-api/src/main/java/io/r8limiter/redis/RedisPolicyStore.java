package io.r8limiter.redis;

import static java.util.Objects.requireNonNull;

import io.r8limiter.Policy;
import io.r8limiter.PolicyEntry;
import io.r8limiter.PolicyStore;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.UnifiedJedis;

/**
 * A {@link PolicyStore} shared by every instance of a fleet through Redis: configured policies are the base, and
 * runtime overrides live in Redis, where any instance may set or remove them.
 *
 * <p>Overrides sit in one hash, {@code <prefix>:1:{policies}} (field: the policy name; value: its limits, shadow flag
 * and version as {@code 1|<version>|<shadow>|<capacity>/<refillTokens>/<refillPeriodMillis>,...}), versioned by the
 * counter {@code <prefix>:1:{policies}:version}. These two are the only keys r8limiter writes without an expiry: they
 * hold operators' decisions. A change is one atomic script call (bump the counter, write the hash, publish the new
 * version on the channel {@code <prefix>:1:policies:changes}), so versions are never reused while Redis keeps its
 * data, and an override wins over the configuration until it is removed, across restarts and deployments.
 *
 * <p>{@link #find} reads an immutable local snapshot and never calls Redis, so decisions never see half of an update
 * and keep working while Redis is down. The snapshot is refreshed when a change is announced (a daemon thread stays
 * subscribed, reconnecting with backoff), after every resubscription, and by a periodic resync (every 500 ms by
 * default) that also covers lost messages; a change made on one instance is therefore in force on every instance
 * within about a second. A refresh applies a state only if its version is newer, or if it was read after the
 * snapshot was taken (which is how a Redis that lost its data, with its counter back at zero, is followed). The
 * writing instance applies its own change at once. {@link #putOverride} and {@link #removeOverride} call Redis and
 * throw the Jedis exception when it cannot answer. The Jedis client belongs to the caller and is not closed here.
 *
 * @since 0.1
 */
public final class RedisPolicyStore implements PolicyStore {

    /** The default interval of the periodic resync. */
    public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofMillis(500);

    private static final System.Logger LOG = System.getLogger(RedisPolicyStore.class.getName());
    private static final StoredScript PUT = StoredScript.load("policy-put.lua");
    private static final StoredScript REMOVE = StoredScript.load("policy-remove.lua");
    private static final StoredScript READ = StoredScript.load("policy-read.lua");

    private final UnifiedJedis jedis;
    private final List<String> keys;
    private final String channel;
    private final Map<String, Policy> configured;
    private final ScheduledExecutorService resyncer;
    private final ChangeSubscriber subscriber;
    private final AtomicBoolean resyncQueued = new AtomicBoolean();
    private final Set<String> reportedBadValues = ConcurrentHashMap.newKeySet();
    private volatile Snapshot snapshot;

    private RedisPolicyStore(Builder b) {
        this.jedis = b.jedis;
        this.keys = List.of(SharedKeys.policies(b.keyPrefix), SharedKeys.policyVersion(b.keyPrefix));
        this.channel = SharedKeys.policyChanges(b.keyPrefix);
        this.configured = Map.copyOf(b.configured);
        this.snapshot = snapshot(-1, Map.of(), Long.MIN_VALUE);
        this.resyncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "r8limiter-policy-resync");
            t.setDaemon(true);
            return t;
        });
        this.subscriber = new ChangeSubscriber(jedis, channel, this::requestResync);
        resyncQuietly();
        long interval = b.resyncInterval.toMillis();
        resyncer.scheduleWithFixedDelay(this::resyncQuietly, interval, interval, TimeUnit.MILLISECONDS);
        subscriber.start();
    }

    /** Starts a store working through {@code jedis} (a {@code JedisPooled}, {@code JedisCluster}...). */
    public static Builder builder(UnifiedJedis jedis) {
        return new Builder(requireNonNull(jedis, "jedis"));
    }

    @Override
    public Optional<Policy> find(String name) {
        PolicyEntry entry = snapshot.byName.get(name);
        return entry == null ? Optional.empty() : Optional.of(entry.policy());
    }

    @Override
    public Policy require(String name) {
        PolicyEntry entry = snapshot.byName.get(name);
        return entry != null ? entry.policy() : PolicyStore.super.require(name);
    }

    @Override
    public List<PolicyEntry> list() {
        return snapshot.sorted;
    }

    /** Sets the override in Redis and in this instance's snapshot; other instances follow within about a second. */
    @Override
    public PolicyEntry putOverride(Policy policy) {
        requireNonNull(policy, "policy");
        long sent = System.nanoTime();
        List<Object> reply =
                list(PUT.run(jedis, keys, List.of(policy.name(), PolicyCodec.encodeBody(policy), channel)));
        apply(number(reply.get(0)), hash(reply.get(1)), sent);
        return new PolicyEntry(policy, number(reply.get(0)), PolicyEntry.Source.OVERRIDE);
    }

    /** Removes the override in Redis and in this instance's snapshot; other instances follow within about a second. */
    @Override
    public boolean removeOverride(String name) {
        requireNonNull(name, "name");
        long sent = System.nanoTime();
        List<Object> reply = list(REMOVE.run(jedis, keys, List.of(name, channel)));
        apply(number(reply.get(1)), hash(reply.get(2)), sent);
        return number(reply.get(0)) == 1;
    }

    /**
     * Reads the overrides from Redis now; the background threads call it on every announced change and periodically.
     *
     * @throws redis.clients.jedis.exceptions.JedisException when Redis cannot answer
     */
    public void resync() {
        long sent = System.nanoTime();
        List<Object> reply = list(READ.run(jedis, keys, List.of()));
        apply(number(reply.get(0)), hash(reply.get(1)), sent);
    }

    /** The version of the state in force: the counter value it was read at, or -1 before the first read. */
    public long version() {
        return snapshot.version;
    }

    /** Stops listening and resyncing; leaves the Jedis client open. */
    @Override
    public void close() {
        subscriber.close();
        resyncer.shutdownNow();
    }

    private synchronized void apply(long version, Map<String, String> overrides, long sentNanos) {
        Snapshot current = snapshot;
        if (overrides.equals(current.stored)) {
            if (version > current.version) { // same overrides: keep the policies in force, as the same instances
                snapshot = new Snapshot(version, current.byName, current.sorted, current.stored, current.takenNanos);
            }
            return;
        }
        if (version <= current.version && sentNanos <= current.takenNanos) {
            return; // read before the state in force was taken, and not newer: a stale answer
        }
        snapshot = snapshot(version, overrides, System.nanoTime());
    }

    private Snapshot snapshot(long version, Map<String, String> overrides, long takenNanos) {
        Snapshot previous = snapshot;
        Map<String, PolicyEntry> byName = new HashMap<>();
        configured.forEach((name, p) -> byName.put(name, new PolicyEntry(p, 0, PolicyEntry.Source.CONFIGURATION)));
        overrides.forEach((name, value) -> {
            if (previous != null && value.equals(previous.stored.get(name))) {
                byName.put(name, previous.byName.get(name));
                return;
            }
            try {
                byName.put(name, PolicyCodec.decode(name, value));
            } catch (IllegalArgumentException e) {
                reportBadValue(name, value, e);
            }
        });
        List<PolicyEntry> sorted = List.copyOf(new TreeMap<>(byName).values());
        return new Snapshot(version, Map.copyOf(byName), sorted, Map.copyOf(overrides), takenNanos);
    }

    private void reportBadValue(String name, String value, IllegalArgumentException e) {
        if (reportedBadValues.size() < 100 && reportedBadValues.add(name + "=" + value)) {
            LOG.log(
                    Level.WARNING,
                    "ignoring the override of policy '" + name + "' stored in Redis: " + e.getMessage()
                            + "; fix or delete the field in " + keys.get(0));
        }
    }

    private void requestResync() {
        if (resyncQueued.compareAndSet(false, true)) {
            try {
                resyncer.execute(() -> {
                    resyncQueued.set(false);
                    resyncQuietly();
                });
            } catch (RuntimeException e) {
                resyncQueued.set(false); // closed meanwhile
            }
        }
    }

    private void resyncQuietly() {
        try {
            resync();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "policy resync from Redis failed; keeping version " + snapshot.version, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object reply) {
        return (List<Object>) reply;
    }

    private static long number(Object reply) {
        return reply instanceof Number n ? n.longValue() : Long.parseLong(text(reply));
    }

    private static Map<String, String> hash(Object reply) {
        List<Object> flat = list(reply);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(text(flat.get(i)), text(flat.get(i + 1)));
        }
        return map;
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    /**
     * What {@link #find} and {@link #list} answer from: immutable, swapped whole. {@code stored} keeps the hash as
     * read, so an unchanged override keeps its {@link Policy} instance across refreshes.
     */
    private record Snapshot(
            long version,
            Map<String, PolicyEntry> byName,
            List<PolicyEntry> sorted,
            Map<String, String> stored,
            long takenNanos) {}

    /** Configures {@link RedisPolicyStore}. */
    public static final class Builder {
        private final UnifiedJedis jedis;
        private String keyPrefix = "r8";
        private final Map<String, Policy> configured = new LinkedHashMap<>();
        private Duration resyncInterval = DEFAULT_RESYNC_INTERVAL;

        private Builder(UnifiedJedis jedis) {
            this.jedis = jedis;
        }

        /** The prefix of the keys and channel; {@code r8} by default. Must not hold braces. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = SharedKeys.checkPrefix(keyPrefix);
            return this;
        }

        /** Adds configured policies: the base that overrides replace; names must be unique. */
        public Builder policies(Collection<Policy> policies) {
            for (Policy policy : policies) {
                if (configured.putIfAbsent(policy.name(), policy) != null) {
                    throw new IllegalArgumentException("policy '" + policy.name() + "' is defined twice");
                }
            }
            return this;
        }

        /** Adds configured policies. */
        public Builder policies(Policy... policies) {
            return policies(List.of(policies));
        }

        /** How often the overrides are read again whatever was announced; 500 ms by default, at most one second. */
        public Builder resyncInterval(Duration resyncInterval) {
            requireNonNull(resyncInterval, "resyncInterval");
            if (resyncInterval.toMillis() < 10 || resyncInterval.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException(
                        "resyncInterval must be between 10ms and 1s but was " + resyncInterval);
            }
            this.resyncInterval = resyncInterval;
            return this;
        }

        /** The store, synchronized once with Redis if it answers (otherwise it starts from the configuration). */
        public RedisPolicyStore build() {
            return new RedisPolicyStore(this);
        }
    }
}
