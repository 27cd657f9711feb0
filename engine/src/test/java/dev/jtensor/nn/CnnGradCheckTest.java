package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference gradient checks in float64 of the CNN ops, every subset of inputs requiring grad
 * ({@link GradCheck#check}): convolutions (strided, padded, dilated, grouped, transposed, padding modes), pooling,
 * normalisation, padding, resizing, folding.
 */
class CnnGradCheckTest {
    private static final Generator GEN = new Generator(2201);

    private static Tensor r(long... shape) { return Jt.randn(shape, DType.FLOAT64, GEN); }

    @Test
    void convolutions() {
        GradCheck.check(in -> F.conv2d(in.get(0), in.get(1), in.get(2), new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 2),
                r(1, 4, 5, 6), r(2, 2, 2, 2), r(2));
        GradCheck.check(in -> F.conv1d(F.pad(in.get(0), new long[] {2, 1}, "reflect", 0), in.get(1), null, 1, 0, 1, 1), r(2, 2, 5), r(3, 2, 3));
        GradCheck.check(in -> F.convTranspose2d(in.get(0), in.get(1), in.get(2), new int[] {2}, new int[] {1}, new int[] {1}, 1, new int[] {1}),
                r(1, 2, 3, 3), r(2, 2, 3, 2), r(2));
        GradCheck.check(in -> F.convTranspose1d(in.get(0), in.get(1), null, 2, 0, 1, 2, 2), r(1, 2, 4), r(2, 1, 2));
    }

    @Test
    void pooling() {
        GradCheck.check(in -> F.maxPool2d(in.get(0), new int[] {3, 2}, new int[] {2}, new int[] {1}, new int[] {1}, true), r(1, 2, 5, 6));
        GradCheck.check(in -> F.maxPool1d(in.get(0), 2, 1, 1, 2, false), r(2, 2, 6));
        GradCheck.check(in -> F.avgPool2d(in.get(0), new int[] {3}, new int[] {2}, new int[] {1}, true, false, null), r(1, 2, 5, 6));
        GradCheck.check(in -> F.adaptiveAvgPool2d(in.get(0), 3, 2), r(1, 2, 5, 5));
        GradCheck.check(in -> F.adaptiveMaxPool2d(in.get(0), 2, 3), r(1, 2, 5, 5));
        Tensor x = r(1, 2, 4, 4);
        Tensor idx = F.maxPool2dWithIndices(x, new int[] {2}, null, new int[] {0}, new int[] {1}, false).indices();
        GradCheck.check(in -> F.maxUnpool2d(in.get(0), idx, new int[] {2}, null, new int[] {0}, null), r(1, 2, 2, 2));
    }

    @Test
    void normalisation() {
        GradCheck.check(in -> F.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1, 1e-5), r(3, 2, 2, 3), r(2), r(2));
        GradCheck.check(in -> F.batchNorm(in.get(0), Jt.zeros(new long[] {2}, DType.FLOAT64), Jt.ones(new long[] {2}, DType.FLOAT64), in.get(1),
                in.get(2), false, 0.1, 1e-5), r(3, 2, 4), r(2), r(2));
        GradCheck.check(in -> F.groupNorm(in.get(0), 2, in.get(1), in.get(2), 1e-5), r(2, 4, 2, 3), r(4), r(4));
        GradCheck.check(in -> F.instanceNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1, 1e-5), r(2, 2, 3, 3), r(2), r(2));
    }

    @Test
    void paddingResizingAndFolding() {
        for (String mode : new String[] {"constant", "reflect", "replicate", "circular"}) {
            GradCheck.check(in -> F.pad(in.get(0), new long[] {1, 2, 2, 1}, mode, 0), r(1, 2, 3, 4));
        }
        GradCheck.check(in -> F.interpolate(in.get(0), new long[] {5, 7}, "bilinear", false), r(1, 2, 3, 4));
        GradCheck.check(in -> F.interpolate(in.get(0), new long[] {2, 5}, "bilinear", true), r(1, 2, 3, 4));
        GradCheck.check(in -> F.interpolate(in.get(0), new double[] {2}, "nearest", null), r(1, 2, 3, 2));
        GradCheck.check(in -> F.unfold(in.get(0), new int[] {2}, new int[] {1, 2}, new int[] {1}, new int[] {2, 1}), r(1, 2, 4, 5));
        GradCheck.check(in -> F.fold(in.get(0), new int[] {4, 5}, new int[] {2}, new int[] {1}, new int[] {0}, new int[] {1}), r(1, 8, 12));
        GradCheck.check(in -> F.pixelShuffle(in.get(0), 2), r(1, 4, 2, 3));
        GradCheck.check(in -> F.pixelUnshuffle(in.get(0), 2), r(1, 1, 4, 2));
    }
}
