/**
 * Model architectures written with {@code dev.jtensor.nn}, with PyTorch's (torchvision's) layer structure and
 * state-dict keys: {@link dev.jtensor.models.ResNet} (ResNet-18 as {@code torchvision.models.resnet18}).
 */
package dev.jtensor.models;
