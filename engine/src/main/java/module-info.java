/**
 * jtensor: tensors on the Foreign Function and Memory API. Run with
 * {@code --enable-native-access=dev.jtensor} (on the module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (on the class path).
 */
module dev.jtensor {
    requires org.apache.commons.csv;
    // optional (STYLE G13): the Vector API paths in backend.cpu.simd run only when the JVM was started
    // with --add-modules jdk.incubator.vector; without it the engine runs its scalar loops, no warning
    requires static jdk.incubator.vector;

    exports dev.jtensor;
    exports dev.jtensor.amp;
    exports dev.jtensor.autograd;
    exports dev.jtensor.data;
    exports dev.jtensor.io;
    exports dev.jtensor.models;
    exports dev.jtensor.nn;
    exports dev.jtensor.optim;
    // every package outside internal.* and backend.* is public and exported (ArchitectureTest checks this)
}
