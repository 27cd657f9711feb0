// JShell startup for jtensor (./jt shell): the torch. namespace and the nn/optim packages imported,
// so the tutorial can be typed line by line:  var w = tensor(4.0, true); var y = w.mul(3).add(5); y.backward(); w.grad()
import static dev.jtensor.Jt.*;
import dev.jtensor.*;
import dev.jtensor.nn.*;
// java.lang.Module is imported implicitly too, so with the wildcard alone `class Net extends Module` is
// ambiguous; this single-type import takes precedence over both on-demand imports (JLS 6.4.1).
import dev.jtensor.nn.Module;
import dev.jtensor.optim.*;
// torch.autograd.Function (this wins over JShell's java.util.function.*: write java.util.function.Function in full)
import dev.jtensor.autograd.Function;
import dev.jtensor.autograd.FunctionCtx;
import dev.jtensor.data.*;
import dev.jtensor.io.*;
