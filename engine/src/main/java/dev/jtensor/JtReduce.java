package dev.jtensor;

/** Reduction statics of the {@code torch.} namespace (part of {@link Jt}). */
abstract class JtReduce extends JtMath {
    JtReduce() {}
}
