/**
 * jtensor: tensors on the Foreign Function and Memory API. Run with
 * {@code --enable-native-access=dev.jtensor} (on the module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (on the class path).
 */
module dev.jtensor {
    requires org.apache.commons.csv;

    exports dev.jtensor;
    exports dev.jtensor.autograd;
    exports dev.jtensor.data;
    exports dev.jtensor.nn;
    exports dev.jtensor.optim;
    // exports of dev.jtensor.io, .data, .nn and .optim are added as those packages land
}
