package dev.jtensor.amp;

import java.util.Map;

/**
 * The one table of autocast's op lists (PyTorch's, per device type): which ops run in the low type, which in
 * float32, which at the widest floating type of their operands. An op not listed runs in its inputs' types
 * (mixed operands then promote as everywhere, e.g. bfloat16 + float32 = float32).
 *
 * <p><b>CUDA</b> (float16 or bfloat16): PyTorch's documented CUDA lists (torch.amp, "CUDA Ops that can autocast
 * to float16/float32/widest type"), restricted to ops jtensor has or is adding. <b>CPU</b> (bfloat16, or
 * float16 where asked): what torch 1.13's CPU autocast does, recorded per op by
 * {@code engine/src/test/golden/make_amp.py}: the matrix products in the low type, {@code prod} and the
 * losses in float32, everything else (softmax, layer_norm, sums, exp/log/pow) in its input type.
 *
 * <p>Ops call {@link Autocast#inputs} with their PyTorch name (snake_case, as in the lists) before anything
 * else. Convolution and attention are listed already for the ops other issues are adding:
 * {@code conv1d conv2d conv3d conv_transpose1d conv_transpose2d conv_transpose3d scaled_dot_product_attention}.
 */
final class AutocastPolicy {
    private AutocastPolicy() {}

    /** How an op's floating operands are cast. */
    enum Cast {
        /** to the scope's low type (float16/bfloat16) */
        LOWER,
        /** to float32 */
        FP32,
        /** to the widest floating type among the operands */
        PROMOTE
    }

    private static final Map<String, Cast> CUDA = Map.ofEntries(
            // lower precision
            Map.entry("mm", Cast.LOWER), Map.entry("bmm", Cast.LOWER), Map.entry("matmul", Cast.LOWER),
            Map.entry("addmm", Cast.LOWER), Map.entry("addbmm", Cast.LOWER), Map.entry("baddbmm", Cast.LOWER),
            Map.entry("linear", Cast.LOWER), Map.entry("mv", Cast.LOWER), Map.entry("addmv", Cast.LOWER),
            Map.entry("addr", Cast.LOWER), Map.entry("prelu", Cast.LOWER),
            Map.entry("conv1d", Cast.LOWER), Map.entry("conv2d", Cast.LOWER), Map.entry("conv3d", Cast.LOWER),
            Map.entry("conv_transpose1d", Cast.LOWER), Map.entry("conv_transpose2d", Cast.LOWER),
            Map.entry("conv_transpose3d", Cast.LOWER), Map.entry("scaled_dot_product_attention", Cast.LOWER),
            // float32
            Map.entry("exp", Cast.FP32), Map.entry("expm1", Cast.FP32), Map.entry("log", Cast.FP32),
            Map.entry("log10", Cast.FP32), Map.entry("log2", Cast.FP32), Map.entry("log1p", Cast.FP32),
            Map.entry("pow", Cast.FP32), Map.entry("reciprocal", Cast.FP32), Map.entry("rsqrt", Cast.FP32),
            Map.entry("acos", Cast.FP32), Map.entry("asin", Cast.FP32), Map.entry("cosh", Cast.FP32),
            Map.entry("sinh", Cast.FP32), Map.entry("tan", Cast.FP32), Map.entry("erfinv", Cast.FP32),
            Map.entry("softplus", Cast.FP32), Map.entry("layer_norm", Cast.FP32), Map.entry("group_norm", Cast.FP32),
            Map.entry("norm", Cast.FP32), Map.entry("cosine_similarity", Cast.FP32), Map.entry("logsumexp", Cast.FP32),
            Map.entry("softmax", Cast.FP32), Map.entry("log_softmax", Cast.FP32), Map.entry("sum", Cast.FP32),
            Map.entry("prod", Cast.FP32), Map.entry("cumsum", Cast.FP32), Map.entry("cumprod", Cast.FP32),
            Map.entry("mse_loss", Cast.FP32), Map.entry("l1_loss", Cast.FP32), Map.entry("smooth_l1_loss", Cast.FP32),
            Map.entry("huber_loss", Cast.FP32), Map.entry("nll_loss", Cast.FP32), Map.entry("cross_entropy", Cast.FP32),
            Map.entry("kl_div", Cast.FP32), Map.entry("binary_cross_entropy_with_logits", Cast.FP32),
            Map.entry("cosine_embedding_loss", Cast.FP32), Map.entry("hinge_embedding_loss", Cast.FP32),
            Map.entry("margin_ranking_loss", Cast.FP32), Map.entry("soft_margin_loss", Cast.FP32),
            Map.entry("poisson_nll_loss", Cast.FP32), Map.entry("triplet_margin_loss", Cast.FP32),
            // widest type
            Map.entry("addcdiv", Cast.PROMOTE), Map.entry("addcmul", Cast.PROMOTE), Map.entry("atan2", Cast.PROMOTE),
            Map.entry("cross", Cast.PROMOTE), Map.entry("dot", Cast.PROMOTE), Map.entry("index_put", Cast.PROMOTE),
            Map.entry("scatter_add", Cast.PROMOTE), Map.entry("tensordot", Cast.PROMOTE), Map.entry("bilinear", Cast.PROMOTE));

    private static final Map<String, Cast> CPU = Map.ofEntries(
            Map.entry("mm", Cast.LOWER), Map.entry("bmm", Cast.LOWER), Map.entry("matmul", Cast.LOWER),
            Map.entry("addmm", Cast.LOWER), Map.entry("addbmm", Cast.LOWER), Map.entry("baddbmm", Cast.LOWER),
            Map.entry("linear", Cast.LOWER), Map.entry("prelu", Cast.LOWER),
            Map.entry("conv1d", Cast.LOWER), Map.entry("conv2d", Cast.LOWER), Map.entry("conv3d", Cast.LOWER),
            Map.entry("conv_transpose1d", Cast.LOWER), Map.entry("conv_transpose2d", Cast.LOWER),
            Map.entry("conv_transpose3d", Cast.LOWER), Map.entry("scaled_dot_product_attention", Cast.LOWER),
            Map.entry("prod", Cast.FP32), Map.entry("mse_loss", Cast.FP32), Map.entry("l1_loss", Cast.FP32),
            Map.entry("smooth_l1_loss", Cast.FP32), Map.entry("huber_loss", Cast.FP32), Map.entry("nll_loss", Cast.FP32),
            Map.entry("cross_entropy", Cast.FP32), Map.entry("kl_div", Cast.FP32),
            Map.entry("binary_cross_entropy", Cast.FP32), Map.entry("binary_cross_entropy_with_logits", Cast.FP32),
            Map.entry("cosine_embedding_loss", Cast.FP32), Map.entry("hinge_embedding_loss", Cast.FP32),
            Map.entry("margin_ranking_loss", Cast.FP32), Map.entry("soft_margin_loss", Cast.FP32),
            Map.entry("poisson_nll_loss", Cast.FP32), Map.entry("triplet_margin_loss", Cast.FP32),
            Map.entry("cat", Cast.PROMOTE), Map.entry("stack", Cast.PROMOTE), Map.entry("index_copy", Cast.PROMOTE));

    /** The cast for {@code op} on a CUDA ({@code cuda} true) or CPU device, or null when the op is not listed. */
    static Cast of(String op, boolean cuda) { return (cuda ? CUDA : CPU).get(op); }
}
