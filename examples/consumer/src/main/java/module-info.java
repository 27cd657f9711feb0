/** A JPMS application using jtensor from the module path: run with --enable-native-access=dev.jtensor. */
module dev.jtensor.example {
    requires dev.jtensor;
}
