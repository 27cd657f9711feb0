package dev.jtensor.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.Jt;
import dev.jtensor.Scope;
import dev.jtensor.Tensor;
import dev.jtensor.nn.Embedding;
import dev.jtensor.nn.F;
import dev.jtensor.nn.LSTM;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.Module;
import dev.jtensor.optim.Adam;
import dev.jtensor.testing.GoldenSeq;
import org.junit.jupiter.api.Test;

/**
 * A character LSTM (embedding 16, LSTM 32, linear head) trained 100 Adam steps from PyTorch's initial weights on
 * golden/seq/alice.txt: every step's loss equals PyTorch's (golden/seq/rnn.npz) within 1e-4.
 */
class CharLstmTest {
    static final class CharLstm extends Module {
        final Embedding embed;
        final LSTM lstm;
        final Linear head;

        CharLstm(long vocab) {
            embed = registerModule("embed", new Embedding(vocab, 16));
            lstm = registerModule("lstm", new LSTM(16, 32, 1, true, true, 0.0, false));
            head = registerModule("head", new Linear(32, vocab));
        }

        @Override
        public Tensor forward(Tensor idx) { return head.forward(lstm.forward(embed.forward(idx))); }
    }

    @Test
    void trainsOneHundredStepsWithPyTorchsLosses() {
        GoldenSeq g = GoldenSeq.of("rnn.npz");
        int[] vocab = new int[1];
        Tensor data = CharGptTest.tokens(CharGptTest.text(), vocab);
        CharLstm model = new CharLstm(vocab[0]);
        model.loadStateDict(g.stateDict("charlstm"));
        Adam opt = new Adam(model.parameters(), 0.01);
        Tensor offsets = g.get("charlstm_data.offsets");
        double[] losses = g.get("charlstm_data.losses").toDoubleArray();
        for (int step = 0; step < losses.length; step++) {
            try (Scope scope = Jt.scope()) {
                long[] off = offsets.get(step).toLongArray();
                Tensor x = CharGptTest.batch(data, off, 0), y = CharGptTest.batch(data, off, 1);
                Tensor loss = F.crossEntropy(model.forward(x).reshape(-1, vocab[0]), y.reshape(-1));
                opt.zeroGrad();
                loss.backward();
                opt.step();
                assertEquals(losses[step], loss.item(), 1e-4, "loss at step " + step);
            }
        }
    }
}
