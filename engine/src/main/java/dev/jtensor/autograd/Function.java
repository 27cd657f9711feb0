package dev.jtensor.autograd;

import dev.jtensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A custom differentiable operation, as {@code torch.autograd.Function}: subclass it, write
 * {@link #forward} (run with grad mode off, as PyTorch does; save what backward needs with
 * {@link FunctionCtx#saveForBackward}) and {@link #backward} (one gradient per input, null where an input
 * needs none, see {@link FunctionCtx#needsInputGrad}), then call {@link #apply}:
 * <pre>{@code
 * class LegendrePolynomial3 extends Function {
 *     public Tensor forward(FunctionCtx ctx, Tensor... in) {
 *         ctx.saveForBackward(in[0]);
 *         return in[0].pow(3).mul(5).sub(in[0].mul(3)).mul(0.5);
 *     }
 *     public Tensor[] backward(FunctionCtx ctx, Tensor gradOutput) {
 *         Tensor x = ctx.savedTensors().get(0);
 *         return new Tensor[] {gradOutput.mul(1.5).mul(x.pow(2).mul(5).sub(1))};
 *     }
 * }
 * Tensor y = new LegendrePolynomial3().apply(x);   // y.gradFn().name() is "LegendrePolynomial3Backward"
 * }</pre>
 * The node is named as PyTorch names it: the class's simple name followed by {@code Backward}. Backward
 * is written in tensor ops, so it is differentiable again when the backward pass records ({@code createGraph}).
 */
public abstract class Function {
    protected Function() {}

    /** The computation, on tensors that do not record (grad mode is off inside). One output. */
    public abstract Tensor forward(FunctionCtx ctx, Tensor... inputs);

    /** The gradients of the inputs, in input order, given the output's gradient; an entry may be null. */
    public abstract Tensor[] backward(FunctionCtx ctx, Tensor gradOutput);

    /** {@code Function.apply(*inputs)}: runs forward and, when an input requires grad, records the node. */
    public final Tensor apply(Tensor... inputs) {
        List<Tensor> in = Arrays.asList(inputs.clone());
        boolean record = Autograd.needsGrad(in);
        boolean[] needs = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) needs[i] = record && inputs[i] != null && inputs[i].requiresGrad();
        FunctionCtx ctx = new FunctionCtx(needs);
        Tensor out;
        try (GradMode off = GradMode.set(false)) {
            out = forward(ctx, inputs);
        }
        if (out == null) throw new IllegalStateException(getClass().getSimpleName() + ".forward returned null");
        if (!record) return out;
        for (Tensor t : inputs) if (t == out) out = out.detach(); // an input returned as is: a new node on a view
        String name = nodeName();
        return Autograd.record(name, out, in, ctx.toSave(), (UserRule) (g, saved) -> {
            ctx.bind(saved);
            Tensor[] grads = backward(ctx, g);
            if (grads == null || grads.length != inputs.length) {
                throw new IllegalStateException("function " + name + " returned an incorrect number of gradients (expected "
                        + inputs.length + ", got " + (grads == null ? "null" : grads.length) + ")");
            }
            List<Tensor> out2 = new ArrayList<>(grads.length);
            for (int i = 0; i < grads.length; i++) out2.add(needs[i] ? grads[i] : null);
            return out2;
        });
    }

    /** The rule of a user's function: its backward may keep what it makes, so the engine gives it no scope of its own. */
    @FunctionalInterface
    interface UserRule extends BackwardRule {}

    /** The node's name in {@code grad_fn}: {@code <SimpleName>Backward}, as PyTorch. */
    protected String nodeName() {
        String n = getClass().getSimpleName();
        return (n.isEmpty() ? "Function" : n) + "Backward";
    }
}
