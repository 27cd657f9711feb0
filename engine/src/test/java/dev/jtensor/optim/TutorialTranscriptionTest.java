package dev.jtensor.optim;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.Tensor;
import dev.jtensor.nn.Flatten;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MSELoss;
import dev.jtensor.nn.Reduction;
import dev.jtensor.nn.Sequential;
import dev.jtensor.testing.GoldenNn;
import org.junit.jupiter.api.Test;

/**
 * "Learning PyTorch with Examples" (nn + optim, RMSprop), transcribed line by line; 300 steps against
 * PyTorch's losses and final weights (golden/nn/parity.tsv). Tolerance rtol 1e-4: the forward pass goes
 * through BLAS and float32 sums whose rounding differs from PyTorch's kernels; the optimizer itself is
 * bit-exact (ParityOptimizerGoldenTest).
 */
class TutorialTranscriptionTest {
    static final GoldenNn G = GoldenNn.of("parity.tsv");

    @Test
    void polynomialFitWithRmspropMatchesTorch() {
        manualSeed(0);
        Tensor x = linspace(-Math.PI, Math.PI, 2000);
        Tensor y = x.sin();
        Tensor p = tensor(new long[] {1, 2, 3});
        Tensor xx = x.unsqueeze(-1).pow(p);
        Sequential model = new Sequential(new Linear(3, 1), new Flatten(0, 1));
        MSELoss lossFn = new MSELoss(Reduction.SUM);
        RMSprop optimizer = new RMSprop(model.parameters(), 1e-3);
        double[] want = G.values("tutorial_rmsprop_losses");
        int k = 0;
        for (int t = 0; t < 300; t++) {
            Tensor yPred = model.forward(xx);
            Tensor loss = lossFn.forward(yPred, y);
            if (t % 50 == 49) {
                assertEquals(want[k], loss.item(), 1e-4 * want[k], "loss at step " + t);
                k++;
            }
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }
        Linear linear = (Linear) model.get(0);
        G.assertClose("tutorial_rmsprop_weight", linear.weight(), 1e-4, 1e-6);
        G.assertClose("tutorial_rmsprop_bias", linear.bias(), 1e-4, 1e-6);
        System.out.printf("Result: y = %s + %s x + %s x^2 + %s x^3%n", linear.bias().item(),
                linear.weight().get(":, 0").item(), linear.weight().get(":, 1").item(), linear.weight().get(":, 2").item());
    }
}
