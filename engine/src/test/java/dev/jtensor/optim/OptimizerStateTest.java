package dev.jtensor.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MSELoss;
import dev.jtensor.nn.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Optimizer state is tensors, saved and restored as PyTorch's state_dict: a resumed run continues bit for bit. */
class OptimizerStateTest {
    private static Function<List<Tensor>, Optimizer> make(String name) {
        return switch (name) {
            case "sgd" -> ps -> new SGD(ps, 0.05).momentum(0.9).nesterov(true);
            case "adam" -> ps -> new Adam(ps, 0.01).amsgrad(true);
            case "adamw" -> ps -> new AdamW(ps, 0.01);
            case "rmsprop" -> ps -> new RMSprop(ps, 0.01).momentum(0.5).centered(true);
            case "adagrad" -> ps -> new Adagrad(ps, 0.1).initialAccumulatorValue(0.1).lrDecay(0.01);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static void train(Module model, Optimizer opt, Tensor x, Tensor y, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            new MSELoss().forward(model.forward(x), y).backward();
            opt.step();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam", "adamw", "rmsprop", "adagrad"})
    void savedStateResumesTrainingExactly(String name, @TempDir Path dir) throws Exception {
        Jt.manualSeed(4);
        Tensor x = Jt.randn(32, 6), y = Jt.randn(32, 2);
        Linear straight = new Linear(6, 2);
        Linear resumed = new Linear(6, 2);
        resumed.loadStateDict(straight.stateDict()); // copies: the same starting weights
        Optimizer a = make(name).apply(straight.parameters());
        train(straight, a, x, y, 6);

        Optimizer b = make(name).apply(resumed.parameters());
        train(resumed, b, x, y, 3);
        Path state = dir.resolve("opt.npz"), weights = dir.resolve("model.npz");
        b.save(state);
        resumed.save(weights);
        Linear reloaded = new Linear(6, 2);
        reloaded.load(weights);
        Optimizer c = make(name).apply(reloaded.parameters());
        c.load(state);
        train(reloaded, c, x, y, 3);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(straight.parameters().get(i).toFloatArray(), reloaded.parameters().get(i).toFloatArray(),
                    name + ": parameter " + i + " after 3 + 3 steps with a save/load in between");
        }
        Map<String, Tensor> dict = c.stateDict();
        assertEquals(6L, dict.get("state.0.step").itemLong());
        assertTrue(Files.size(state) > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam"})
    void stateIsNamedAsPyTorchAndBadStateIsRefused(String name) {
        Linear lin = new Linear(3, 2);
        Optimizer opt = make(name).apply(lin.parameters());
        train(lin, opt, Jt.ones(4, 3), Jt.zeros(4, 2), 1);
        Map<String, Tensor> dict = opt.stateDict();
        assertEquals(List.of("state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq", "state.0.step",
                "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq", "state.1.step", "param_groups.0.lr"),
                List.copyOf(dict.keySet()));
        assertEquals(lin.weight().shape(), dict.get("state.0.exp_avg").shape());
        var e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(Map.of("state.0.exp_avg", Jt.zeros(5))));
        assertTrue(e.getMessage().contains("state.0.exp_avg") && e.getMessage().contains("[5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(Map.of("state.7.exp_avg", Jt.zeros(2, 3))));
        assertTrue(e.getMessage().contains("parameter 7 of 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(Map.of("momentum", Jt.zeros(1))));
    }
}
