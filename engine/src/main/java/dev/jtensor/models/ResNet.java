package dev.jtensor.models;

import dev.jtensor.Tensor;
import dev.jtensor.nn.AdaptiveAvgPool2d;
import dev.jtensor.nn.BatchNorm2d;
import dev.jtensor.nn.Conv2d;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MaxPool2d;
import dev.jtensor.nn.Module;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;

/**
 * ResNet with {@link BasicBlock}s exactly as torchvision 0.14's {@code torchvision.models.ResNet} defines it:
 * the same layers, the same state-dict keys ({@code conv1.weight}, {@code bn1.running_mean},
 * {@code layer1.0.conv1.weight}, {@code layer2.0.downsample.0.weight}, ..., {@code fc.bias}), so a state dict of
 * torchvision's model loads into it. Weights start as jtensor's layer defaults; torchvision's own init
 * (kaiming normal fan-out, BN ones/zeros) is not reproduced: load weights to compare with PyTorch.
 */
public final class ResNet extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final MaxPool2d maxpool;
    private final Sequential layer1, layer2, layer3, layer4;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;
    private long inplanes = 64;

    /** {@code layers} blocks per stage (ResNet-18: 2, 2, 2, 2), {@code numClasses} outputs. */
    public ResNet(int[] layers, long numClasses) {
        if (layers.length != 4) throw new IllegalArgumentException("ResNet needs 4 stage sizes, got " + layers.length);
        conv1 = registerModule("conv1", new Conv2d(3, 64, 7, 2, 3, 1, 1, false, "zeros"));
        bn1 = registerModule("bn1", new BatchNorm2d(64));
        registerModule("relu", new ReLU()); // torchvision's child; batch norm applies relu (forwardAddRelu)
        maxpool = registerModule("maxpool", new MaxPool2d(3, 2, 1));
        layer1 = registerModule("layer1", stage(64, layers[0], 1));
        layer2 = registerModule("layer2", stage(128, layers[1], 2));
        layer3 = registerModule("layer3", stage(256, layers[2], 2));
        layer4 = registerModule("layer4", stage(512, layers[3], 2));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        fc = registerModule("fc", new Linear(512, numClasses));
    }

    /** torchvision's {@code resnet18()}: 1000 classes. */
    public static ResNet resnet18() { return new ResNet(new int[] {2, 2, 2, 2}, 1000); }

    /** ResNet-18 with {@code numClasses} outputs. */
    public static ResNet resnet18(long numClasses) { return new ResNet(new int[] {2, 2, 2, 2}, numClasses); }

    private Sequential stage(long planes, int blocks, int stride) {
        Module[] m = new Module[blocks];
        m[0] = new BasicBlock(inplanes, planes, stride);
        inplanes = planes;
        for (int i = 1; i < blocks; i++) m[i] = new BasicBlock(inplanes, planes, 1);
        return new Sequential(m);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = maxpool.forward(bn1.forwardAddRelu(conv1.forward(x), null)); // relu(bn1(conv1(x))), fused in eval mode
        y = layer4.forward(layer3.forward(layer2.forward(layer1.forward(y))));
        return fc.forward(avgpool.forward(y).flatten(1, -1));
    }
}
