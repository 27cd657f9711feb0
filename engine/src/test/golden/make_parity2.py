"""Golden values for issue 20 (op parity with PyTorch, round two), from PyTorch 1.13.

Run with Debian's python3-torch:  /usr/bin/python3 engine/src/test/golden/make_parity2.py
Writes engine/src/test/resources/golden/nn/parity2.tsv (one tensor per line: name, dtype, shape, flat
values, as make_nn.py). Inputs are written too, so the Java tests rebuild them exactly.
"""
import os
import torch
import torch.nn.functional as F

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "resources", "golden", "nn")
DT = {torch.float32: "FLOAT32", torch.float64: "FLOAT64", torch.int64: "INT64", torch.int32: "INT32", torch.bool: "BOOL"}
rows = []


def flat(t):
    t = t.detach()
    if t.dtype.is_floating_point:
        return ",".join(java(float(v)) for v in t.double().reshape(-1).tolist())
    return ",".join(str(int(v)) for v in t.reshape(-1).tolist())


def java(v):
    """A double as Java's Double.parseDouble reads it."""
    return "NaN" if v != v else "Infinity" if v == float("inf") else "-Infinity" if v == float("-inf") else repr(v)


def add(name, t):
    rows.append("\t".join([name, DT[t.dtype], ",".join(str(s) for s in t.shape), flat(t)]))


def randn(seed, *shape, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g, dtype=dtype)


def grads(name, out, inputs, names):
    """Backward of sum(w * out) with w = 0.5 + (k * golden) % 1, as GradCheck's weights."""
    n = out.numel()
    w = torch.tensor([0.5 + ((k * 0.6180339887498949) % 1.0) for k in range(n)], dtype=out.dtype).reshape(out.shape)
    gs = torch.autograd.grad(out, inputs, w, allow_unused=True)
    for g, nm in zip(gs, names):
        add(name + "/grad_" + nm, g if g is not None else torch.zeros(()))


# ---------------- wrong or failing today ----------------
x0 = torch.tensor(5.0, dtype=torch.float64)
add("gather0d/x", x0)
add("gather0d/out_scalar_index", torch.gather(x0, 0, torch.tensor(0)))
add("gather0d/out_vector_index", torch.gather(x0, 0, torch.tensor([0, 0])))
add("index_select0d/out", torch.index_select(x0, 0, torch.tensor([0])))
add("index_add0d/out", x0.index_add(0, torch.tensor([0, 0]), torch.tensor([2.0, 3.0], dtype=torch.float64)))
add("gather_empty/out", torch.gather(torch.ones(3, 4), 1, torch.empty(3, 0, dtype=torch.int32)))

mx = randn(1, 2, 3).requires_grad_()
mask = torch.tensor([[[True, False, True]], [[False, False, True]]])
add("masked_fill_bcast/x", mx)
add("masked_fill_bcast/mask", mask)
out = mx.masked_fill(mask, -1.5)
add("masked_fill_bcast/out", out)
grads("masked_fill_bcast", out, [mx], ["x"])

add("outer_bool/a", torch.tensor([True, False, True]))
add("outer_bool/b", torch.tensor([True, True, False, True]))
add("outer_bool/out", torch.outer(torch.tensor([True, False, True]), torch.tensor([True, True, False, True])))
add("ger_bool_float/out", torch.ger(torch.tensor([True, False]), torch.tensor([1.5, -2.0])))

for i, (s, e, st, dt) in enumerate([(0.0, -8.000001, -4.0, torch.int64), (0.0, -8.000001, -4.0, torch.int32),
                                    (0, 7.5, 2, torch.int64), (0.5, 7.5, 2.5, torch.int64), (0.5, 7.5, 2.5, torch.int32),
                                    (-0.5, 7.5, 2.5, torch.int32), (-3.7, 4.2, 1.9, torch.int64), (10.9, 0.2, -3.3, torch.int64)]):
    add("arange/%d" % i, torch.arange(s, e, st, dtype=dt))

# cross entropy / nll, K-dimensional
logits = randn(2, 2, 3, 2, 2).requires_grad_()
target = torch.tensor([[[0, 2], [1, -100]], [[2, 2], [0, 1]]])
weight = torch.tensor([0.5, 2.0, 1.25], dtype=torch.float64)
add("ce/logits", logits)
add("ce/target", target)
add("ce/weight", weight)
for red in ["none", "mean", "sum"]:
    for ls in [0.0, 0.2]:
        for wn, w in [("w", weight), ("nw", None)]:
            name = "ce/%s_%s_%s" % (red, ls, wn)
            out = F.cross_entropy(logits, target, weight=w, reduction=red, label_smoothing=ls)
            add(name, out)
            grads(name, out, [logits], ["input"])
    name = "ce/ignore1_%s" % red
    out = F.cross_entropy(logits, target.clamp(min=0), weight=weight, ignore_index=1, reduction=red)
    add(name, out)
    grads(name, out, [logits], ["input"])
    logp = F.log_softmax(logits, 1).detach().requires_grad_()
    name = "nll/%s" % red
    out = F.nll_loss(logp, target, weight=weight, reduction=red)
    add(name, out)
    grads(name, out, [logp], ["input"])
# class-probability targets
probs = torch.softmax(randn(3, 2, 3, 2, 2), 1).requires_grad_()
add("ce_prob/target", probs)
for red in ["none", "mean", "sum"]:
    for ls in [0.0, 0.3]:
        name = "ce_prob/%s_%s" % (red, ls)
        out = F.cross_entropy(logits, probs, weight=weight, reduction=red, label_smoothing=ls)
        add(name, out)
        grads(name, out, [logits, probs], ["input", "target"])
# one sample [C] with a 0-d target
one = randn(4, 4).requires_grad_()
add("ce_1d/input", one)
out = F.cross_entropy(one, torch.tensor(2), label_smoothing=0.1)
add("ce_1d/out", out)
grads("ce_1d", out, [one], ["input"])

# binary cross entropy: target gradients, weight, pos_weight
p = torch.sigmoid(randn(5, 2, 3)).requires_grad_()
y = torch.rand(2, 3, generator=torch.Generator().manual_seed(6), dtype=torch.float64).requires_grad_()
bw = torch.tensor([1.0, 0.5, 2.0], dtype=torch.float64)
pw = torch.tensor([3.0, 0.25, 1.5], dtype=torch.float64)
add("bce/p", p)
add("bce/y", y)
add("bce/weight", bw)
add("bce/pos_weight", pw)
for red in ["none", "mean", "sum"]:
    out = F.binary_cross_entropy(p, y, weight=bw, reduction=red)
    add("bce/" + red, out)
    grads("bce/" + red, out, [p, y], ["input", "target"])
    out = F.binary_cross_entropy_with_logits(p * 6 - 3, y, weight=bw, pos_weight=pw, reduction=red)
    add("bcel/" + red, out)
    grads("bcel/" + red, out, [p, y], ["input", "target"])
    out = F.binary_cross_entropy_with_logits(p * 6 - 3, y, reduction=red)
    add("bcel_plain/" + red, out)
    grads("bcel_plain/" + red, out, [p, y], ["input", "target"])

# maximum/minimum with NaN
a = torch.tensor([1.0, float("nan"), 3.0, 2.0, float("nan")], dtype=torch.float64).requires_grad_()
b = torch.tensor([2.0, 0.0, 3.0, 1.0, float("nan")], dtype=torch.float64).requires_grad_()
for op in ["maximum", "minimum"]:
    out = getattr(torch, op)(a, b)
    add(op + "_nan/out", out)
    grads(op + "_nan", out, [a, b], ["a", "b"])

# cumprod through zeros
c = torch.tensor([[2.0, 0.0, 3.0, 0.0, 4.0], [1.5, -2.0, 0.0, 0.5, 3.0], [0.0, 2.0, 3.0, -1.0, 0.5]], dtype=torch.float64).requires_grad_()
add("cumprod_zeros/x", c)
for dim in [0, 1]:
    out = torch.cumprod(c, dim)
    add("cumprod_zeros/out%d" % dim, out)
    grads("cumprod_zeros/d%d" % dim, out, [c], ["x"])

# matmul with zero-size dims
for name, sa, sb in [("inner0", (2, 3, 0), (0, 4)), ("outer0", (2, 0, 3), (3, 4)), ("n0", (2, 3, 5), (5, 0)), ("batch0", (0, 2, 3), (3, 4))]:
    ma = randn(7, *sa).requires_grad_()
    mb = randn(8, *sb).requires_grad_()
    out = ma @ mb
    add("matmul0/%s_out" % name, out)
    grads("matmul0/" + name, out.sum() if out.numel() == 0 else out, [ma, mb], ["a", "b"])

for name, sa, sb in [("mm_inner0", (3, 0), (0, 4)), ("mm_outer0", (0, 3), (3, 4))]:
    ma = randn(17, *sa).requires_grad_()
    mb = randn(18, *sb).requires_grad_()
    out = torch.mm(ma, mb)
    add("matmul0/%s_out" % name, out)
    grads("matmul0/" + name, out.sum(), [ma, mb], ["a", "b"])

# ---------------- not expressible today ----------------
cx = randn(9, 2, 4).requires_grad_()
lo = randn(10, 2, 1).requires_grad_()
hi = (randn(11, 4) + 0.5).requires_grad_()
add("clamp_t/x", cx)
add("clamp_t/lo", lo)
add("clamp_t/hi", hi)
for name, kw in [("both", dict(min=lo, max=hi)), ("min", dict(min=lo)), ("max", dict(max=hi))]:
    out = torch.clamp(cx, **kw)
    add("clamp_t/" + name, out)
    grads("clamp_t/" + name, out, [cx, lo, hi], ["x", "lo", "hi"])
add("clamp_t/int_float_max", torch.clamp(torch.tensor([1, 5, -3]), max=torch.tensor([2.0, 0.0, 0.5])))

it = torch.tensor([1, 2, -3])
ft = torch.tensor([1.5, -2.0, 4.0])
add("scalar_first/add_2.5_int", torch.add(2.5, it))
add("scalar_first/add_2_int", torch.add(2, it))
add("scalar_first/sub_2.5_float_alpha", torch.sub(2.5, ft, alpha=2))
add("scalar_first/mul_3_int", torch.mul(3, it))
add("scalar_first/div_3_int", torch.div(3, it))
add("scalar_first/pow_2_int", torch.pow(2, it.abs()))
cond = torch.tensor([True, False, True])
add("where_s/2.0_int", torch.where(cond, 2.0, it))
add("where_s/int_0", torch.where(cond, it, 0))
add("where_s/int_0.5", torch.where(cond, it, 0.5))
add("where_s/1.0_0.5", torch.where(cond, 1.0, 0.5))
add("where_s/1_0", torch.where(cond, 1, 0))
bt = torch.tensor([True, False])
i2 = torch.tensor([1, 2])
f2 = torch.tensor([1.5, 2.0])
add("bool_scalar/bool_add_true", bt + True)
add("bool_scalar/int_add_true", i2 + True)
add("bool_scalar/float_add_true", f2 + True)
add("bool_scalar/bool_mul_false", bt * False)
add("bool_scalar/int_mul_true", i2 * True)
add("bool_scalar/where_int_false", torch.where(bt, i2, False))
add("bool_scalar/where_true_float", torch.where(bt, True, f2))
add("bool_scalar/where_bool_false", torch.where(bt, bt, False))
add("rsub/tt_alpha", torch.rsub(ft, torch.tensor([5.0, 5.0, 5.0]), alpha=2))
add("rsub/int_s_alpha", torch.rsub(it, 5, alpha=2))
add("rdiv/float", 2.0 / ft)
add("rpow/float", 2.0 ** ft)
add("rpow/tt", torch.tensor([2.0, 3.0, 0.5]) ** ft)

rx = torch.tensor([1.2345, -2.5, 0.125, 1234.5, -0.0051, 2.675], dtype=torch.float32)
for d in [0, 1, 2, 3, -1, -2]:
    add("round/f32_%d" % d, torch.round(rx, decimals=d))
    add("round/f64_%d" % d, torch.round(rx.double(), decimals=d))

na = torch.tensor([7, -7, 6, -6, 0, 9])
nb = torch.tensor([2, 2, -4, -4, 3, -2])
for mode in ["trunc", "floor"]:
    add("div_mode/int_%s" % mode, torch.div(na, nb, rounding_mode=mode))
    add("div_mode/float_%s" % mode, torch.div(na.double() + 0.5, nb.double(), rounding_mode=mode))
    add("div_mode/int_scalar_%s" % mode, torch.div(na, 4, rounding_mode=mode))
    add("div_mode/float_scalar_%s" % mode, torch.div(na.float(), -2.5, rounding_mode=mode))

sx = (randn(12, 3, 4) + 2).requires_grad_()
sidx = torch.tensor([[0, 1, 0, 2], [1, 1, 2, 0], [3, 3, 3, 1]])
ssrc = (randn(13, 3, 4) + 2).requires_grad_()
add("scatter_reduce/x", sx)
add("scatter_reduce/index", sidx)
add("scatter_reduce/src", ssrc)
for red in ["sum", "prod", "mean", "amax", "amin"]:
    for inc in [True, False]:
        name = "scatter_reduce/%s_%s" % (red, inc)
        out = sx.scatter_reduce(1, sidx, ssrc, red, include_self=inc)
        add(name, out)
        grads(name, out, [sx, ssrc], ["x", "src"])
# prod through zeros: one zero among the values reaching a position, and a zero in x
zx = sx.detach().clone()
zx[0, 1] = 0.0
zsrc = ssrc.detach().clone()
zsrc[1, 0] = 0.0
zx.requires_grad_()
zsrc.requires_grad_()
add("scatter_reduce_zero/x", zx)
add("scatter_reduce_zero/src", zsrc)
for inc in [True, False]:
    out = zx.scatter_reduce(1, sidx, zsrc, "prod", include_self=inc)
    add("scatter_reduce_zero/%s" % inc, out)
    grads("scatter_reduce_zero/%s" % inc, out, [zx, zsrc], ["x", "src"])
ix = torch.arange(12).reshape(3, 4)
isrc = torch.tensor([[5, -7, 2, 9], [1, 1, -3, 4], [8, -2, 6, 0]])
for red in ["sum", "prod", "mean", "amax", "amin"]:
    for inc in [True, False]:
        add("scatter_reduce_int/%s_%s" % (red, inc), ix.scatter_reduce(1, sidx, isrc, red, include_self=inc))
add("scatter_legacy/add", sx.detach().scatter(1, sidx, ssrc.detach(), reduce="add"))
add("scatter_legacy/multiply", sx.detach().scatter(1, sidx, ssrc.detach(), reduce="multiply"))
add("scatter_legacy/add_value", sx.detach().scatter(1, sidx, 2.5, reduce="add"))
add("scatter_legacy/multiply_value", sx.detach().scatter(1, sidx, 2.5, reduce="multiply"))

iax = randn(14, 4, 3).requires_grad_()
iasrc = randn(15, 3, 3).requires_grad_()
iaidx = torch.tensor([2, 0, 2])
out = iax.index_add(0, iaidx, iasrc, alpha=-1.5)
add("index_add_alpha/x", iax)
add("index_add_alpha/src", iasrc)
add("index_add_alpha/out", out)
grads("index_add_alpha", out, [iax, iasrc], ["x", "src"])
add("index_add_alpha/int", torch.tensor([1, 2]).index_add(0, torch.tensor([1, 1]), torch.tensor([1, 1]), alpha=3))

add("narrow_t/out", torch.narrow(torch.arange(10), 0, torch.tensor(-3), 2))

dx = randn(16, 2, 3, dtype=torch.float32)
add("dtype/x", dx)
add("dtype/softmax_f64", torch.softmax(dx, 1, dtype=torch.float64))
add("dtype/log_softmax_f64", torch.log_softmax(dx, 0, dtype=torch.float64))
di = torch.tensor([[1, 2, 3], [4, -5, 6]])
add("dtype/sum_int_f32", torch.sum(di, 1, keepdim=False, dtype=torch.float32))
add("dtype/sum_f_i64", torch.sum(torch.tensor([1.5, 2.7, -0.5]), 0, keepdim=False, dtype=torch.int64))
add("dtype/prod_int_f64", torch.prod(di, dtype=torch.float64))
add("dtype/prod_dim_int_f64", torch.prod(di, 0, keepdim=True, dtype=torch.float64))
add("dtype/cumsum_int_f32", torch.cumsum(di, 1, dtype=torch.float32))
add("dtype/cumprod_int_f64", torch.cumprod(di, 0, dtype=torch.float64))
add("dtype/mean_int_f64", torch.mean(di, 1, keepdim=True, dtype=torch.float64))

# in-place forms and masked_fill with a tensor value
ipx = torch.arange(6.0, dtype=torch.float64).reshape(2, 3)
add("inplace/x", ipx)
mv = torch.tensor(-2.5, dtype=torch.float64, requires_grad=True)
mxx = ipx.clone().requires_grad_()
out = mxx.masked_fill(torch.tensor([True, False, True]), mv)
add("inplace/masked_fill_t", out)
grads("inplace/masked_fill_t", out, [mxx, mv], ["x", "value"])
y = ipx.clone()
y.index_add_(0, torch.tensor([1, 1]), torch.ones(2, 3, dtype=torch.float64), alpha=2)
add("inplace/index_add_", y)
y = ipx.clone()
y.clamp_(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), torch.tensor([4.0], dtype=torch.float64))
add("inplace/clamp_", y)
y = ipx.clone()
y.scatter_reduce_(1, torch.tensor([[0, 0, 2], [1, 1, 1]]), torch.tensor([[9.0, 8, 7], [1, 2, 3]], dtype=torch.float64), "amax",
                  include_self=False)
add("inplace/scatter_reduce_", y)

with open(os.path.join(OUT, "parity2.tsv"), "w") as f:
    f.write("\n".join(rows) + "\n")
print(len(rows), "rows")
