package dev.jtensor.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Options are checked as PyTorch checks them, with its messages. */
class OptimizerOptionsTest {
    private static void refused(String message, Executable e) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
    }

    @Test
    void negativeOptionsAreRefusedWithPyTorchsMessages() {
        List<Tensor> ps = List.of(Jt.zeros(2).requiresGrad_(true));
        refused("Invalid momentum value: -0.5", () -> new SGD(ps, 0.1).momentum(-0.5));
        refused("Invalid weight_decay value: -1.0", () -> new SGD(ps, 0.1).weightDecay(-1));
        refused("Invalid epsilon value: -1.0E-8", () -> new Adam(ps, 0.1).eps(-1e-8));
        refused("Invalid weight_decay value: NaN", () -> new Adam(ps, 0.1).weightDecay(Double.NaN));
        refused("Invalid lr_decay value: -1.0", () -> new Adagrad(ps, 0.1).lrDecay(-1));
        refused("Invalid initial_accumulator_value value: -2.0", () -> new Adagrad(ps, 0.1).initialAccumulatorValue(-2));
        refused("Invalid learning rate: -0.1", () -> new SGD(ps, 0.1).setLr(-0.1));
    }
}
