package dev.jtensor.internal;

import dev.jtensor.Generator;
import dev.jtensor.backend.RandomSource;

/**
 * The backend-side random source behind a public {@link Generator}, for the op families that hand it to a
 * backend (the JDK's SharedSecrets pattern, as {@link Tensors}): {@code Generator} installs the {@link Access}
 * when its class initialises, which has happened once a generator exists. Not exported from the module.
 */
public final class RandomSources {
    private RandomSources() {}

    /** What {@code dev.jtensor.Generator} exposes to the internal packages. */
    public interface Access {
        RandomSource source(Generator g);
    }

    private static volatile Access access;

    public static void install(Access a) { access = a; }

    /** The random source {@code g} draws from. */
    public static RandomSource of(Generator g) { return access.source(g); }
}
