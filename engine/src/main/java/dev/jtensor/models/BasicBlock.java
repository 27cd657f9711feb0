package dev.jtensor.models;

import dev.jtensor.Tensor;
import dev.jtensor.nn.BatchNorm2d;
import dev.jtensor.nn.Conv2d;
import dev.jtensor.nn.Module;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;

/**
 * torchvision's {@code BasicBlock} (expansion 1): two 3x3 convolutions with batch norm, the shortcut through
 * {@code downsample} (a 1x1 strided convolution and batch norm) when the shape changes. State-dict keys
 * {@code conv1, bn1, conv2, bn2, downsample.0, downsample.1}, as torchvision's. Batch norm, the residual add and
 * relu run as {@link BatchNorm2d#forwardAddRelu} (one fused pass in eval mode, relu in place in training mode, as
 * torchvision's {@code ReLU(inplace=True)}); {@code relu} stays a child for the module tree's shape.
 */
public final class BasicBlock extends Module {
    private final Conv2d conv1, conv2;
    private final BatchNorm2d bn1, bn2;
    private final Sequential downsample;

    public BasicBlock(long inplanes, long planes, int stride) {
        conv1 = registerModule("conv1", new Conv2d(inplanes, planes, 3, stride, 1, 1, 1, false, "zeros"));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        registerModule("relu", new ReLU()); // torchvision's child; batch norm applies relu (forwardAddRelu)
        conv2 = registerModule("conv2", new Conv2d(planes, planes, 3, 1, 1, 1, 1, false, "zeros"));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        downsample = stride != 1 || inplanes != planes
                ? registerModule("downsample", new Sequential(new Conv2d(inplanes, planes, 1, stride, 0, 1, 1, false, "zeros"),
                        new BatchNorm2d(planes)))
                : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = bn1.forwardAddRelu(conv1.forward(x), null); // relu(bn1(conv1(x))), fused in eval mode
        out = conv2.forward(out);
        Tensor identity = downsample == null ? x : downsample.forward(x);
        return bn2.forwardAddRelu(out, identity); // relu(bn2(out) + identity)
    }
}
