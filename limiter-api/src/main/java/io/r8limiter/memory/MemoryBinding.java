package io.r8limiter.memory;

import io.r8limiter.Decision;
import io.r8limiter.Policy;
import io.r8limiter.RateLimitBackend.BucketBinding;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One bucket of a {@link MemoryBackend}, held between decisions: a decision goes straight to the slot last found
 * mapped, with no lookup of the policy's map or the key.
 *
 * <p>The held slot is only a hint. A slot leaves the map only after it stopped answering (a sweep or a reset marks it
 * dropped, a policy change marks it moved), so a held slot that answers is the one mapped, and one that does not
 * sends the decision through the backend's own path, which settles the key, after which the binding holds whatever
 * slot is mapped then. Racing callers may leave an older slot held; it answers nothing, so the next decision looks
 * again. Decisions through the binding and through {@link MemoryBackend#consume} therefore share one bucket.
 */
final class MemoryBinding implements BucketBinding {

    private final MemoryBackend backend;
    private final ConcurrentHashMap<String, Slot> slots;
    private final String id;
    private volatile @Nullable Slot held;

    MemoryBinding(MemoryBackend backend, ConcurrentHashMap<String, Slot> slots, String id) {
        this.backend = backend;
        this.slots = slots;
        this.id = id;
    }

    @Override
    public Decision consume(Policy policy, long cost) {
        Slot slot = held;
        if (slot != null) {
            Decision decision = slot.decide(policy, backend.tick(), cost, true);
            if (decision != null) {
                return decision;
            }
        }
        // none held yet, or the held one was dropped or replaced, perhaps after that clock reading: look it up anew
        Decision decision = backend.consume(slots, id, policy, cost, backend.tick());
        held = slots.get(id);
        return decision;
    }
}
