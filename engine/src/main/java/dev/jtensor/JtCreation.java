package dev.jtensor;

import dev.jtensor.internal.ops.Creation;

/**
 * Factories of the {@code torch.} namespace (part of {@link Jt}; use {@code import static dev.jtensor.Jt.*}).
 * Shapes are varargs of sizes; dtypes default as PyTorch's (FLOAT32 for floating values and random
 * tensors, INT64 for integer ranges).
 */
abstract class JtCreation {
    JtCreation() {}

    /**
     * A shape as the factories take it, PyTorch's size tuple: {@code zeros(shape(2, 3), DType.FLOAT64)};
     * {@code shape()} is {@code ()}, the 0-d shape ({@code randn(shape(), DType.FLOAT32, Device.CPU, true)}
     * is {@code torch.randn((), dtype=torch.float32, device='cpu', requires_grad=True)}).
     */
    public static long[] shape(long... dims) { return dims.clone(); }

    // ---- from Java data ----

    /** A 0-d tensor: {@code tensor(4.0)} is FLOAT32, {@code tensor(4L)} INT64, {@code tensor(true)} BOOL. */
    public static Tensor tensor(double value) { return Creation.fromData(value, null); }

    public static Tensor tensor(float value) { return Creation.fromData(value, null); }

    public static Tensor tensor(long value) { return Creation.fromData(value, null); }

    public static Tensor tensor(int value) { return Creation.fromData(value, null); }

    public static Tensor tensor(boolean value) { return Creation.fromData(value, null); }

    /** A 0-d floating tensor that requires grad when {@code requiresGrad}: {@code tensor(4.0, true)}. */
    public static Tensor tensor(double value, boolean requiresGrad) {
        return Creation.fromData(value, null).requiresGrad_(requiresGrad);
    }

    /**
     * A tensor copied from a scalar or a (nested, rectangular) primitive array of rank 1-4 or more:
     * {@code tensor(new long[][]{{5, 6}, {7, 8}})}. double/float data make FLOAT32, long/int INT64,
     * short INT16, byte INT8, boolean BOOL.
     *
     * @throws IllegalArgumentException for ragged arrays (naming the index path) or unsupported types
     */
    public static Tensor tensor(Object data) { return Creation.fromData(data, null); }

    /**
     * {@code torch.tensor(data, requires_grad=True)} for arrays as for scalars:
     * {@code tensor(new double[][]{{1, 2}, {3, 4}}, true)} (FLOAT32 from double data).
     *
     * @throws IllegalArgumentException if {@code requiresGrad} and the data are not floating point
     */
    public static Tensor tensor(Object data, boolean requiresGrad) { return Creation.fromData(data, null).requiresGrad_(requiresGrad); }

    /** A 0-d tensor, {@code torch.scalar_tensor(value)}: FLOAT32. */
    public static Tensor scalarTensor(double value) { return Creation.full(new long[0], value, DType.FLOAT32); }

    /** {@code torch.scalar_tensor(value, dtype=dtype)}. */
    public static Tensor scalarTensor(double value, DType dtype) { return Creation.full(new long[0], value, dtype); }

    /** A tensor of {@code dtype} copied from {@code data} (values converted as a C cast). */
    public static Tensor tensor(Object data, DType dtype) { return Creation.fromData(data, dtype); }

    /** {@code tensor(data, dtype)} that requires grad when {@code requiresGrad}. */
    public static Tensor tensor(Object data, DType dtype, boolean requiresGrad) {
        return Creation.fromData(data, dtype).requiresGrad_(requiresGrad);
    }

    // ---- filled ----

    /** Zeros, FLOAT32. */
    public static Tensor zeros(long... shape) { return Creation.full(shape, 0, DType.FLOAT32); }

    public static Tensor zeros(long[] shape, DType dtype) { return Creation.full(shape, 0, dtype); }

    /** Ones, FLOAT32. */
    public static Tensor ones(long... shape) { return Creation.full(shape, 1, DType.FLOAT32); }

    public static Tensor ones(long[] shape, DType dtype) { return Creation.full(shape, 1, dtype); }

    /** Every element {@code value}, FLOAT32 (PyTorch infers from the fill value; use the dtype overload). */
    public static Tensor full(long[] shape, double value) { return Creation.full(shape, value, DType.FLOAT32); }

    public static Tensor full(long[] shape, double value, DType dtype) { return Creation.full(shape, value, dtype); }

    /** Uninitialised memory in PyTorch; here zero-filled for safety when fresh, FLOAT32. */
    public static Tensor empty(long... shape) { return Creation.full(shape, 0, DType.FLOAT32); }

    public static Tensor empty(long[] shape, DType dtype) { return Creation.full(shape, 0, dtype); }

    /** {@code torch.full((), value)}: a 0-d FLOAT32 tensor. */
    public static Tensor full(double value) { return Creation.full(new long[0], value, DType.FLOAT32); }

    // ---- filled, with dtype / device / requires_grad (PyTorch's keyword arguments) ----

    /** {@code torch.zeros(shape, dtype=dtype, device=device)}. */
    public static Tensor zeros(long[] shape, DType dtype, Device device) { return Factories.on(Creation.full(shape, 0, dtype, Factories.orCpu(device)), null, false); }

    /** {@code torch.zeros(shape, dtype=dtype, requires_grad=requiresGrad)}. */
    public static Tensor zeros(long[] shape, DType dtype, boolean requiresGrad) { return Factories.on(Creation.full(shape, 0, dtype), null, requiresGrad); }

    /** {@code torch.zeros(shape, dtype=, device=, requires_grad=)}. */
    public static Tensor zeros(long[] shape, DType dtype, Device device, boolean requiresGrad) {
        return Factories.on(Creation.full(shape, 0, dtype, Factories.orCpu(device)), null, requiresGrad);
    }

    /** {@code torch.ones(shape, dtype=dtype, device=device)}. */
    public static Tensor ones(long[] shape, DType dtype, Device device) { return Factories.on(Creation.full(shape, 1, dtype, Factories.orCpu(device)), null, false); }

    /** {@code torch.ones(shape, dtype=dtype, requires_grad=requiresGrad)}. */
    public static Tensor ones(long[] shape, DType dtype, boolean requiresGrad) { return Factories.on(Creation.full(shape, 1, dtype), null, requiresGrad); }

    /** {@code torch.ones(shape, dtype=, device=, requires_grad=)}. */
    public static Tensor ones(long[] shape, DType dtype, Device device, boolean requiresGrad) {
        return Factories.on(Creation.full(shape, 1, dtype, Factories.orCpu(device)), null, requiresGrad);
    }

    /** {@code torch.full(shape, value, dtype=dtype, device=device)}. */
    public static Tensor full(long[] shape, double value, DType dtype, Device device) {
        return Factories.on(Creation.full(shape, value, dtype, Factories.orCpu(device)), null, false);
    }

    /** {@code torch.empty(shape, dtype=dtype, device=device)} (zero-filled here). */
    public static Tensor empty(long[] shape, DType dtype, Device device) { return Factories.on(Creation.full(shape, 0, dtype, Factories.orCpu(device)), null, false); }

    /** {@code torch.rand(shape, dtype=dtype, device=device)}. */
    public static Tensor rand(long[] shape, DType dtype, Device device) { return Factories.on(Factories.random(device, (g, d) -> Creation.uniform(shape, 0, 1, dtype, g, d)), device, false); }

    /** {@code torch.randn(shape, dtype=dtype, device=device)}. */
    public static Tensor randn(long[] shape, DType dtype, Device device) { return Factories.on(Factories.random(device, (g, d) -> Creation.normal(shape, 0, 1, dtype, g, d)), device, false); }

    /** {@code torch.full(shape, value, dtype=, device=, requires_grad=)}. */
    public static Tensor full(long[] shape, double value, DType dtype, Device device, boolean requiresGrad) {
        return Factories.on(Creation.full(shape, value, dtype, Factories.orCpu(device)), null, requiresGrad);
    }

    /** {@code torch.empty(shape, dtype=, device=, requires_grad=)} (zero-filled here). */
    public static Tensor empty(long[] shape, DType dtype, Device device, boolean requiresGrad) {
        return Factories.on(Creation.full(shape, 0, dtype, Factories.orCpu(device)), null, requiresGrad);
    }

    /** {@code torch.rand(shape, dtype=, device=, requires_grad=)}. */
    public static Tensor rand(long[] shape, DType dtype, Device device, boolean requiresGrad) {
        return Factories.on(Factories.random(device, (g, d) -> Creation.uniform(shape, 0, 1, dtype, g, d)), device, requiresGrad);
    }

    /** {@code torch.randn(shape, dtype=, device=, requires_grad=)}. */
    public static Tensor randn(long[] shape, DType dtype, Device device, boolean requiresGrad) {
        return Factories.on(Factories.random(device, (g, d) -> Creation.normal(shape, 0, 1, dtype, g, d)), device, requiresGrad);
    }

    /** {@code torch.rand(shape, dtype=dtype, requires_grad=requiresGrad)}. */
    public static Tensor rand(long[] shape, DType dtype, boolean requiresGrad) { return Factories.on(rand(shape, dtype), null, requiresGrad); }

    /** {@code torch.randn(shape, dtype=dtype, requires_grad=requiresGrad)}. */
    public static Tensor randn(long[] shape, DType dtype, boolean requiresGrad) { return Factories.on(randn(shape, dtype), null, requiresGrad); }

    // ---- *_like ----

    /** {@code torch.zeros_like(t)}: t's shape and dtype. */
    public static Tensor zerosLike(Tensor t) { return Creation.full(t.shape().toArray(), 0, t.dtype(), t.device()); }

    /** {@code torch.zeros_like(t, dtype=dtype)}. */
    public static Tensor zerosLike(Tensor t, DType dtype) { return Creation.full(t.shape().toArray(), 0, dtype, t.device()); }

    /** {@code torch.ones_like(t, dtype=dtype)}. */
    public static Tensor onesLike(Tensor t, DType dtype) { return Creation.full(t.shape().toArray(), 1, dtype, t.device()); }

    /** {@code torch.full_like(t, value, dtype=dtype)}. */
    public static Tensor fullLike(Tensor t, double value, DType dtype) { return Creation.full(t.shape().toArray(), value, dtype, t.device()); }

    /** {@code torch.empty_like(t, dtype=dtype)} (zero-filled here). */
    public static Tensor emptyLike(Tensor t, DType dtype) { return Creation.full(t.shape().toArray(), 0, dtype, t.device()); }

    /** {@code torch.rand_like(t, dtype=dtype)}: uniform [0, 1), the dtype must be floating point. */
    public static Tensor randLike(Tensor t, DType dtype) { return rand(t.shape().toArray(), dtype, t.device()); }

    /** {@code torch.randn_like(t, dtype=dtype)}. */
    public static Tensor randnLike(Tensor t, DType dtype) { return randn(t.shape().toArray(), dtype, t.device()); }

    /** {@code torch.full_like(t, value, dtype=, device=, requires_grad=)}. */
    public static Tensor fullLike(Tensor t, double value, DType dtype, Device device, boolean requiresGrad) {
        return full(t.shape().toArray(), value, dtype, device, requiresGrad);
    }

    /** {@code torch.empty_like(t, dtype=, device=, requires_grad=)} (zero-filled here). */
    public static Tensor emptyLike(Tensor t, DType dtype, Device device, boolean requiresGrad) {
        return empty(t.shape().toArray(), dtype, device, requiresGrad);
    }

    /** {@code torch.randint_like(t, low, high)}: t's shape and dtype. */
    public static Tensor randintLike(Tensor t, long low, long high) {
        return Creation.randint(low, high, t.shape().toArray(), t.dtype(), Generator.defaultGenerator());
    }

    /** {@code torch.zeros_like(t, dtype=, device=, requires_grad=)}. */
    public static Tensor zerosLike(Tensor t, DType dtype, Device device, boolean requiresGrad) {
        return zeros(t.shape().toArray(), dtype, device, requiresGrad);
    }

    /** {@code torch.ones_like(t, dtype=, device=, requires_grad=)}. */
    public static Tensor onesLike(Tensor t, DType dtype, Device device, boolean requiresGrad) {
        return ones(t.shape().toArray(), dtype, device, requiresGrad);
    }

    /** {@code torch.rand_like(t, dtype=, device=, requires_grad=)}. */
    public static Tensor randLike(Tensor t, DType dtype, Device device, boolean requiresGrad) {
        return rand(t.shape().toArray(), dtype, device, requiresGrad);
    }

    /** {@code torch.randn_like(t, dtype=, device=, requires_grad=)}. */
    public static Tensor randnLike(Tensor t, DType dtype, Device device, boolean requiresGrad) {
        return randn(t.shape().toArray(), dtype, device, requiresGrad);
    }

    public static Tensor onesLike(Tensor t) { return Creation.full(t.shape().toArray(), 1, t.dtype(), t.device()); }

    public static Tensor fullLike(Tensor t, double value) { return Creation.full(t.shape().toArray(), value, t.dtype(), t.device()); }

    public static Tensor emptyLike(Tensor t) { return Creation.full(t.shape().toArray(), 0, t.dtype(), t.device()); }

    public static Tensor randLike(Tensor t) { return rand(t.shape().toArray(), t.dtype(), t.device()); }

    public static Tensor randnLike(Tensor t) { return randn(t.shape().toArray(), t.dtype(), t.device()); }

    // ---- ranges ----

    /** {@code 0, 1, ..., end-1} as INT64. */
    public static Tensor arange(long end) { return Creation.arange(0, end, 1, DType.INT64); }

    /** {@code start, ..., end-1} as INT64. */
    public static Tensor arange(long start, long end) { return Creation.arange(start, end, 1, DType.INT64); }

    /** {@code start, start+step, ...} below end as INT64. */
    public static Tensor arange(long start, long end, long step) { return Creation.arange(start, end, step, DType.INT64); }

    /** {@code torch.arange(4.0)}: {@code 0., 1., ...} below end, FLOAT32 (a floating end makes a floating range). */
    public static Tensor arange(double end) { return Creation.arange(0, end, 1, DType.FLOAT32); }

    /** {@code torch.arange(start, end)} with floating bounds, FLOAT32. */
    public static Tensor arange(double start, double end) { return Creation.arange(start, end, 1, DType.FLOAT32); }

    /** {@code torch.arange(12, dtype=torch.float32)}. */
    public static Tensor arange(long end, DType dtype) { return Creation.arange(0, end, 1, dtype); }

    /** {@code torch.arange(start, end, dtype=dtype)}. */
    public static Tensor arange(long start, long end, DType dtype) { return Creation.arange(start, end, 1, dtype); }

    /** {@code torch.arange(end, dtype=, device=, requires_grad=)}. */
    public static Tensor arange(double end, DType dtype, Device device, boolean requiresGrad) {
        return Factories.on(Creation.arange(0, end, 1, dtype, Factories.orCpu(device)), null, requiresGrad);
    }

    /** Floating range as FLOAT32: {@code arange(0, 1, 0.1)}. */
    public static Tensor arange(double start, double end, double step) { return Creation.arange(start, end, step, DType.FLOAT32); }

    public static Tensor arange(double start, double end, double step, DType dtype) { return Creation.arange(start, end, step, dtype); }

    /** {@code steps} evenly spaced values from start to end inclusive, FLOAT32. */
    public static Tensor linspace(double start, double end, long steps) { return Creation.linspace(start, end, steps, DType.FLOAT32); }

    public static Tensor linspace(double start, double end, long steps, DType dtype) { return Creation.linspace(start, end, steps, dtype); }

    /** {@code torch.linspace(start, end, steps, dtype=, device=, requires_grad=)}. */
    public static Tensor linspace(double start, double end, long steps, DType dtype, Device device, boolean requiresGrad) {
        return Factories.on(Creation.linspace(start, end, steps, dtype, Factories.orCpu(device)), null, requiresGrad);
    }

    /** n x n identity, FLOAT32. */
    public static Tensor eye(long n) { return Creation.eye(n, n, DType.FLOAT32); }

    public static Tensor eye(long n, long m) { return Creation.eye(n, m, DType.FLOAT32); }

    public static Tensor eye(long n, long m, DType dtype) { return Creation.eye(n, m, dtype); }

    /** {@code torch.eye(n, m, dtype=, device=, requires_grad=)}. */
    public static Tensor eye(long n, long m, DType dtype, Device device, boolean requiresGrad) {
        return Factories.on(Creation.eye(n, m, dtype, Factories.orCpu(device)), null, requiresGrad);
    }

    // ---- random (same streams as PyTorch's CPU generator) ----

    /** Uniform [0, 1), FLOAT32, from this thread's default generator. */
    public static Tensor rand(long... shape) { return Creation.uniform(shape, 0, 1, DType.FLOAT32, Generator.defaultGenerator()); }

    public static Tensor rand(long[] shape, DType dtype) { return Creation.uniform(shape, 0, 1, dtype, Generator.defaultGenerator()); }

    public static Tensor rand(long[] shape, DType dtype, Generator g) { return Creation.uniform(shape, 0, 1, dtype, g); }

    /** Standard normal, FLOAT32. */
    public static Tensor randn(long... shape) { return Creation.normal(shape, 0, 1, DType.FLOAT32, Generator.defaultGenerator()); }

    public static Tensor randn(long[] shape, DType dtype) { return Creation.normal(shape, 0, 1, dtype, Generator.defaultGenerator()); }

    public static Tensor randn(long[] shape, DType dtype, Generator g) { return Creation.normal(shape, 0, 1, dtype, g); }

    /** Integers uniform in [low, high), INT64. */
    public static Tensor randint(long low, long high, long... shape) {
        return Creation.randint(low, high, shape, DType.INT64, Generator.defaultGenerator());
    }

    /** {@code torch.randint(low, high, shape, dtype=dtype)}. */
    public static Tensor randint(long low, long high, long[] shape, DType dtype) {
        return Creation.randint(low, high, shape, dtype, Generator.defaultGenerator());
    }

    public static Tensor randint(long low, long high, long[] shape, DType dtype, Generator g) {
        return Creation.randint(low, high, shape, dtype, g);
    }

    /** {@code torch.randint(low, high, shape, dtype=dtype, device=device)}: drawn on the device from its generator. */
    public static Tensor randint(long low, long high, long[] shape, DType dtype, Device device) {
        return Factories.random(device, (g, d) -> Creation.randint(low, high, shape, dtype, g, d));
    }

    /** Seeds this thread's default generator, as {@code torch.manual_seed}; returns it. */
    public static Generator manualSeed(long seed) {
        Cuda.seedAll(seed); // torch.manual_seed seeds every device's generator too
        return Generator.defaultGenerator().manualSeed(seed);
    }
}
