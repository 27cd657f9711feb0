package dev.jtensor.spark;

import dev.jtensor.Tensor;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Tensors for the functions Spark ships to tasks. A {@code Tensor} cannot be captured in a task's
 * closure (its data lives in native memory; Java serialization refuses it): broadcast a state dict
 * instead, as the bytes of its {@code .npz} file (any dtype, exact), and read the tensors inside the
 * task. Each executor JVM materializes them once and shares them between its tasks: treat them as
 * read-only.
 *
 * <pre>{@code
 * TensorBroadcast weights = TensorBroadcast.of(sc, Map.of("w", w, "b", b));
 * BatchInference.of(x -> x.matmul(weights.get("w")).add(weights.get("b"))).run(sc, data, out);
 * weights.destroy();
 * }</pre>
 */
public final class TensorBroadcast implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<Long, Map<String, Tensor>> MATERIALIZED = new ConcurrentHashMap<>();

    private final Broadcast<StateBytes> state;

    private TensorBroadcast(Broadcast<StateBytes> state) { this.state = state; }

    /** Broadcasts copies of {@code tensors} (their values now; later changes on the driver do not travel). */
    public static TensorBroadcast of(JavaSparkContext sc, Map<String, Tensor> tensors) {
        return new TensorBroadcast(sc.broadcast(StateBytes.of(tensors)));
    }

    /**
     * The tensor named {@code name}, materialized once per JVM.
     *
     * @throws IllegalArgumentException if there is no such name
     */
    public Tensor get(String name) {
        Tensor t = all().get(name);
        if (t == null) throw new IllegalArgumentException("no tensor '" + name + "' in this broadcast; it has " + all().keySet());
        return t;
    }

    /** The names of the broadcast tensors. */
    public Set<String> names() { return all().keySet(); }

    private Map<String, Tensor> all() { return MATERIALIZED.computeIfAbsent(state.id(), k -> state.value().tensors()); }

    /** Removes the broadcast from the executors and forgets this JVM's copy (call on the driver when done). */
    public void destroy() {
        MATERIALIZED.remove(state.id());
        state.destroy();
    }
}
