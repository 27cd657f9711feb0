package dev.jtensor;

/** Elementwise math statics of the {@code torch.} namespace (part of {@link Jt}). */
abstract class JtMath extends JtCreation {
    JtMath() {}
}
