package dev.jtensor.spark;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.io.Npz;
import dev.jtensor.nn.Module;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model that each executor JVM loads once and shares between its tasks: a {@link Module} built by a
 * {@link ModelFactory} and loaded from a {@code .npz} state dict (local path or any Hadoop URI), run in
 * eval mode without autograd; or any {@link TensorFunction}. Only the factory and the file's address are
 * shipped; the weights are read on the executor. Tasks of one executor call the model concurrently, so
 * its forward must not mutate shared state (jtensor's {@code nn} modules in eval mode do not). A loaded
 * model stays in its executor for the life of the JVM (one entry per {@code ExecutorModel} created on
 * the driver): create one per model and reuse it across jobs.
 *
 * <p>Dtypes: a {@link #fromStateDict} model receives each floating-point batch converted to its
 * parameters' dtype (a float64 shard through a float32 model is converted, as PyTorch users expect of a
 * serving wrapper); integer and bool batches pass unchanged. A {@link #of(TensorFunction) function}
 * receives the shard's dtype as stored and converts itself if it needs to.
 */
public final class ExecutorModel implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, TensorFunction> LOADED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final ModelFactory factory;
    private final String stateDictUri;
    private final HadoopConf conf;
    private final TensorFunction function;

    private ExecutorModel(ModelFactory factory, String stateDictUri, HadoopConf conf, TensorFunction function) {
        this.factory = factory;
        this.stateDictUri = stateDictUri;
        this.conf = conf;
        this.function = function;
    }

    /**
     * {@code factory.create()} with the weights of the {@code .npz} state dict at {@code stateDictUri}
     * ({@code Module.save} writes one; so does {@code np.savez(path, **torch_model.state_dict())}).
     */
    public static ExecutorModel fromStateDict(org.apache.spark.api.java.JavaSparkContext sc, ModelFactory factory, String stateDictUri) {
        return new ExecutorModel(factory, stateDictUri, new HadoopConf(sc.hadoopConfiguration()), null);
    }

    /** Any function of a batch; it is deserialized with each task and needs no loading. */
    public static ExecutorModel of(TensorFunction function) { return new ExecutorModel(null, null, null, function); }

    /** The model in this JVM, loading it on first use. */
    TensorFunction get() {
        if (function != null) return function;
        return LOADED.computeIfAbsent(id, k -> load());
    }

    private TensorFunction load() {
        Module model = factory.create();
        try {
            model.loadStateDict(readStateDict());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the state dict " + stateDictUri + ": " + e.getMessage(), e);
        }
        model.eval();
        DType dtype = model.parameters().stream().map(Tensor::dtype).filter(DType::isFloatingPoint).findFirst().orElse(null);
        return batch -> {
            try (var _ = Jt.noGrad()) {
                return model.forward(asModelDtype(batch, dtype));
            }
        };
    }

    /**
     * The dtype rule of a {@link #fromStateDict} model: a floating-point batch of another dtype is converted
     * to the dtype of the model's parameters (float64 shards into a float32 model, as a serving wrapper
     * would); integer and bool batches (indices for an {@code Embedding}) pass unchanged, as does any
     * batch of a model without floating-point parameters.
     */
    static Tensor asModelDtype(Tensor batch, DType modelDtype) {
        if (modelDtype == null || !batch.dtype().isFloatingPoint() || batch.dtype() == modelDtype) return batch;
        return batch.to(modelDtype);
    }

    private Map<String, Tensor> readStateDict() throws IOException {
        URI uri = URI.create(stateDictUri);
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            return Npz.load(uri.getScheme() == null ? Path.of(stateDictUri) : Path.of(uri));
        }
        Path copy = Files.createTempFile("jtensor-state-", ".npz");
        try {
            var src = new org.apache.hadoop.fs.Path(uri);
            src.getFileSystem(conf.get()).copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(copy.toUri()), true);
            Map<String, Tensor> mapped = Npz.load(copy);
            Map<String, Tensor> owned = new java.util.LinkedHashMap<>();
            mapped.forEach((k, v) -> owned.put(k, v.clone()));
            mapped.values().forEach(Tensor::close);
            return owned;
        } finally {
            Files.deleteIfExists(copy);
        }
    }
}
