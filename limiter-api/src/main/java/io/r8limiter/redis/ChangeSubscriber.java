package io.r8limiter.redis;

import java.lang.System.Logger.Level;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * Listens on a pub/sub channel on its own daemon thread and runs {@code onChange} for every message and after every
 * (re)subscription, so a change missed while disconnected is picked up as soon as the connection is back. A lost
 * connection is retried with a backoff growing from 100 ms to 1 s.
 */
final class ChangeSubscriber implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChangeSubscriber.class.getName());

    private final UnifiedJedis jedis;
    private final String channel;
    private final Runnable onChange;
    private final Thread thread;
    private volatile boolean closed;
    private volatile JedisPubSub current;

    ChangeSubscriber(UnifiedJedis jedis, String channel, Runnable onChange) {
        this.jedis = jedis;
        this.channel = channel;
        this.onChange = onChange;
        this.thread = new Thread(this::run, "r8limiter-policy-changes");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try {
                JedisPubSub pubSub = new Listener();
                current = pubSub;
                jedis.subscribe(pubSub, channel);
                backoff = 100;
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "policy change subscription lost; retrying in " + backoff + " ms", e);
            }
            if (!closed && !pause(backoff)) {
                return;
            }
            backoff = Math.min(1_000, backoff * 2);
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends the subscription and waits briefly for the thread to finish. */
    @Override
    public void close() {
        closed = true;
        JedisPubSub pubSub = current;
        if (pubSub != null && pubSub.isSubscribed()) {
            try {
                pubSub.unsubscribe();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "unsubscribing from policy changes failed", e);
            }
        }
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Listener extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            if (closed) {
                unsubscribe();
                return;
            }
            onChange.run();
        }

        @Override
        public void onMessage(String channel, String message) {
            onChange.run();
        }
    }
}
