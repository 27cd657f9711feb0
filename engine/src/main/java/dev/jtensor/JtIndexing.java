package dev.jtensor;

/** Joining and indexing statics of the {@code torch.} namespace (part of {@link Jt}). */
abstract class JtIndexing extends JtReduce {
    JtIndexing() {}
}
