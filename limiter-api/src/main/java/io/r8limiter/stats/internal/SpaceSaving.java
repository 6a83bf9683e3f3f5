package io.r8limiter.stats.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Space-Saving top-k summary (Metwally, Agrawal and El Abbadi, 2005) in its stream-summary form: at most
 * {@code capacity} counters, each update O(1).
 *
 * <p>While no more than {@code capacity} distinct items have been seen, every count is exact. Past that, a new item
 * takes over the counter with the smallest count {@code m}, inheriting {@code m} as its count and as its error: a
 * reported count then exceeds the true one by at most its error, an unmonitored item occurred at most {@code m} times,
 * and {@code m} never exceeds (stream length) / capacity. The counts always sum to the stream length.
 *
 * <p>Counters sit in buckets of equal count, kept in a list ordered by count, so the smallest is at the head.
 * Thread-safe through one lock per summary; meant for the rarer denials, not every decision. Not API.
 *
 * @param <K> the items counted
 */
public final class SpaceSaving<K> {

    private final int capacity;
    private final Map<K, Node<K>> nodes;
    private Bucket<K> smallest;
    private boolean evicted;

    /** An empty summary of at most {@code capacity} counters. */
    public SpaceSaving(int capacity) {
        this.capacity = capacity;
        this.nodes = new HashMap<>(Math.min(capacity, 1024) * 2);
    }

    /** Counts one occurrence of {@code item}. */
    public synchronized void add(K item) {
        Node<K> node = nodes.get(item);
        if (node == null) {
            node = nodes.size() < capacity ? attachNew(item) : takeOverSmallest(item);
        }
        increment(node);
    }

    /** The counters, most frequent first, and the floor under which unmonitored items lie. */
    public synchronized Snapshot<K> snapshot() {
        List<Entry<K>> entries = new ArrayList<>(nodes.size());
        for (Bucket<K> b = smallest; b != null; b = b.next) {
            for (Node<K> n = b.head; n != null; n = n.next) {
                entries.add(new Entry<>(n.item, b.count, n.error));
            }
        }
        Collections.reverse(entries);
        long floor = evicted && smallest != null ? smallest.count : 0;
        return new Snapshot<>(entries, floor);
    }

    /** How many items are counted now, at most the capacity. */
    public synchronized int size() {
        return nodes.size();
    }

    /**
     * The summaries of several streams merged into one, unordered: for each item listed in any of them, the count
     * adds the item's count where it is listed and the summary's floor where it is not (the most it can have occurred
     * there unseen), and the error adds the listed errors and those floors. A merged count therefore still never
     * undercounts, overcounts by at most its error, and is exact when no summary ever lost a counter.
     */
    public static <K> List<Entry<K>> merge(List<Snapshot<K>> summaries) {
        Map<K, long[]> merged = new HashMap<>();
        long floors = 0;
        for (Snapshot<K> summary : summaries) {
            floors += summary.floor();
            for (Entry<K> e : summary.entries()) {
                long[] sum = merged.computeIfAbsent(e.item(), k -> new long[3]);
                sum[0] += e.count();
                sum[1] += e.error();
                sum[2] += summary.floor(); // floors of the summaries that list the item, taken back out below
            }
        }
        List<Entry<K>> out = new ArrayList<>(merged.size());
        long allFloors = floors;
        merged.forEach((item, sum) -> {
            long unlisted = allFloors - sum[2];
            out.add(new Entry<>(item, sum[0] + unlisted, sum[1] + unlisted));
        });
        return out;
    }

    /** A new counter at count 0, placed in a bucket of its own before the smallest. */
    private Node<K> attachNew(K item) {
        Node<K> node = new Node<>(item);
        Bucket<K> zero = new Bucket<>(0);
        zero.next = smallest;
        if (smallest != null) {
            smallest.prev = zero;
        }
        smallest = zero;
        zero.add(node);
        nodes.put(item, node);
        return node;
    }

    /** Reassigns a counter of the smallest bucket to {@code item}, which inherits its count as error. */
    private Node<K> takeOverSmallest(K item) {
        Node<K> node = smallest.head;
        nodes.remove(node.item);
        node.item = item;
        node.error = smallest.count;
        nodes.put(item, node);
        evicted = true;
        return node;
    }

    /** Moves {@code node} from its bucket to the bucket of the next count, creating it when missing. */
    private void increment(Node<K> node) {
        Bucket<K> from = node.bucket;
        long target = from.count + 1;
        Bucket<K> next = from.next;
        if (from.head == node && node.next == null && (next == null || next.count != target)) {
            from.count = target; // alone in its bucket and no bucket in the way: bump in place
            return;
        }
        Bucket<K> to = next != null && next.count == target ? next : insertAfter(from, target);
        from.remove(node);
        if (from.head == null) {
            unlink(from);
        }
        to.add(node);
    }

    private Bucket<K> insertAfter(Bucket<K> at, long count) {
        Bucket<K> b = new Bucket<>(count);
        b.prev = at;
        b.next = at.next;
        if (at.next != null) {
            at.next.prev = b;
        }
        at.next = b;
        return b;
    }

    private void unlink(Bucket<K> b) {
        if (b.prev != null) {
            b.prev.next = b.next;
        } else {
            smallest = b.next;
        }
        if (b.next != null) {
            b.next.prev = b.prev;
        }
    }

    /**
     * One counter: {@code count} overestimates the item's occurrences by at most {@code error}.
     *
     * @param item the item
     * @param count its count, never below the truth
     * @param error how much {@code count} may exceed the truth
     * @param <K> the items counted
     */
    public record Entry<K>(K item, long count, long error) {}

    /**
     * Counters, most frequent first, and a bound on the count of any item not listed.
     *
     * @param entries the counters
     * @param floor the most an item not listed can have occurred: 0 until some counter was taken over, then the
     *     smallest count
     * @param <K> the items counted
     */
    public record Snapshot<K>(List<Entry<K>> entries, long floor) {}

    private static final class Node<K> {
        K item;
        long error;
        Bucket<K> bucket;
        Node<K> prev;
        Node<K> next;

        Node(K item) {
            this.item = item;
        }
    }

    private static final class Bucket<K> {
        long count;
        Node<K> head;
        Bucket<K> prev;
        Bucket<K> next;

        Bucket(long count) {
            this.count = count;
        }

        void add(Node<K> node) {
            node.bucket = this;
            node.prev = null;
            node.next = head;
            if (head != null) {
                head.prev = node;
            }
            head = node;
        }

        void remove(Node<K> node) {
            if (node.prev != null) {
                node.prev.next = node.next;
            } else {
                head = node.next;
            }
            if (node.next != null) {
                node.next.prev = node.prev;
            }
            node.prev = null;
            node.next = null;
        }
    }
}
