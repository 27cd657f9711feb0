package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** Rearranges {@code [*, C r^2, H, W]} to {@code [*, C, H r, W r]}, as {@code nn.PixelShuffle(upscale_factor)}. */
public final class PixelShuffle extends Module {
    private final int upscaleFactor;

    public PixelShuffle(int upscaleFactor) { this.upscaleFactor = upscaleFactor; }

    @Override
    public Tensor forward(Tensor input) { return F.pixelShuffle(input, upscaleFactor); }

    @Override
    protected String extraRepr() { return "upscale_factor=" + upscaleFactor; }
}
