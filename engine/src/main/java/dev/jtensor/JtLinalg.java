package dev.jtensor;

/** Linear algebra statics of the {@code torch.} namespace (part of {@link Jt}). */
abstract class JtLinalg extends JtIndexing {
    JtLinalg() {}
}
