/**
 * Automatic mixed precision, as torch.amp: {@link dev.jtensor.amp.Autocast} scopes (opened by
 * {@code Jt.autocast(device, dtype)}) and {@link dev.jtensor.amp.GradScaler}.
 *
 * <p><b>For ops being added</b> (convolution, scaled_dot_product_attention, norms, losses): an op takes part in
 * autocast by calling {@code Autocast.inputs("<pytorch name>", operands...)} (or {@code Autocast.input} for one
 * operand) first and using the returned tensors; its cast (low type, float32, widest) comes from the one table
 * in {@code AutocastPolicy}, which already lists {@code conv1d conv2d conv3d conv_transpose1d conv_transpose2d
 * conv_transpose3d scaled_dot_product_attention} (low type), {@code group_norm}, {@code norm} and the losses
 * (float32). Today the calls sit in Linalg (mm, bmm, matmul, addmm, baddbmm, mv, dot), Softmax, Reduce (sum,
 * prod, cumsum, cumprod), Pointwise (unary ops by kernel name: exp, log, rsqrt, ...), Binary.pow and nn.F
 * (linear, layer_norm and the losses).
 */
package dev.jtensor.amp;
