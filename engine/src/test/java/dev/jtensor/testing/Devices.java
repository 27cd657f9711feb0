package dev.jtensor.testing;

import dev.jtensor.Device;
import dev.jtensor.Jt;
import java.util.ArrayList;
import java.util.List;

/**
 * The devices a cross-device test runs on: the CPU always, and {@code cuda:0} when CUDA is usable (a GPU,
 * or the emulated device of {@code -Djtensor.cuda.emulate=true}, which the {@code cuda-emulated} surefire
 * execution sets). Use as {@code @MethodSource("dev.jtensor.testing.Devices#available")}.
 */
public final class Devices {
    private Devices() {}

    public static List<Device> available() {
        List<Device> out = new ArrayList<>(List.of(Device.CPU));
        if (Jt.cuda().isAvailable()) out.add(Device.cuda(0));
        return out;
    }
}
