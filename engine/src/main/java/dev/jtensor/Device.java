package dev.jtensor;

/**
 * Where a tensor's memory lives: {@code cpu} or {@code cuda:N}, as PyTorch's {@code torch.device}.
 *
 * @param type  the device kind
 * @param index the device ordinal; -1 for the CPU
 */
public record Device(Type type, int index) {
    /** Device kinds. */
    public enum Type { CPU, CUDA }

    /** The host CPU. */
    public static final Device CPU = new Device(Type.CPU, -1);

    public Device {
        if (type == Type.CPU && index != -1) throw new IllegalArgumentException("cpu has no index: " + index);
        if (type == Type.CUDA && index < 0) throw new IllegalArgumentException("cuda index must be >= 0: " + index);
    }

    /** The CPU device. */
    public static Device cpu() { return CPU; }

    /** CUDA device {@code index}. */
    public static Device cuda(int index) { return new Device(Type.CUDA, index); }

    /** Parses {@code "cpu"}, {@code "cuda"} or {@code "cuda:1"}. */
    public static Device of(String spec) {
        if (spec.equals("cpu")) return CPU;
        if (spec.equals("cuda")) return cuda(0);
        if (spec.startsWith("cuda:")) return cuda(Integer.parseInt(spec.substring(5)));
        throw new IllegalArgumentException("unknown device '" + spec + "': expected cpu, cuda or cuda:N");
    }

    public boolean isCpu() { return type == Type.CPU; }

    @Override
    public String toString() { return type == Type.CPU ? "cpu" : "cuda:" + index; }
}
