/**
 * Neural network modules, losses and the functional forms (nn.F), as torch.nn.
 *
 * <p>Subclassing {@link dev.jtensor.nn.Module}: {@code java.lang.Module} has the same simple name and
 * {@code java.lang} is always imported on demand, so with {@code import dev.jtensor.nn.*;} alone
 * {@code class Net extends Module} does not compile ("reference to Module is ambiguous"). Add the
 * single-type import {@code import dev.jtensor.nn.Module;} (it shadows both wildcards); jtensor's JShell
 * startup does. Renaming the class was rejected: {@code Module} is PyTorch's name, and every other
 * spelling would be one more thing for a PyTorch reader to learn.
 */
package dev.jtensor.nn;
