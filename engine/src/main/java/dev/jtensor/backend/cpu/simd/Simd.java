package dev.jtensor.backend.cpu.simd;

import dev.jtensor.internal.Config;

/**
 * The switch for the Vector API fast paths of this package (STYLE G13). {@link #ENABLED} is true only
 * when the incubator module {@code jdk.incubator.vector} is in the boot layer (the JVM was started
 * with {@code --add-modules jdk.incubator.vector}) and the system property {@code jtensor.simd} is not
 * {@code false}.
 *
 * <p>This class uses no Vector API type, so loading it is always safe. The SIMD classes
 * ({@link SimdSum}, {@link SimdSoftmax}, {@link SimdFloatLoops}) are touched only behind
 * {@code if (Simd.ENABLED)}: the JVM resolves a class at the first call that executes, so without the
 * module they are never loaded and no {@code NoClassDefFoundError} or incubator warning occurs. The
 * constant is {@code static final}, so C2 folds the branch away. Each SIMD loop has a scalar twin in
 * {@code dev.jtensor.backend.cpu} or {@code internal.ops}, which is its test oracle.
 */
public final class Simd {
    private Simd() {}

    /** Name of the system property that switches the fast paths off ({@code -Djtensor.simd=false}). */
    public static final String PROPERTY = "jtensor.simd";

    /** True when the Vector API paths run; read once at class initialisation. */
    public static final boolean ENABLED = Config.bool(PROPERTY, true)
            && moduleAvailable();

    /** True when {@code jdk.incubator.vector} is resolved in the boot layer. */
    public static boolean moduleAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
