"""Golden values for the CNN layers (issue 22), from PyTorch 1.13.

Run with Debian's python3-torch:  /usr/bin/python3 engine/src/test/golden/make_cnn.py
Writes engine/src/test/resources/golden/cnn/:
  cases.tsv   one op case a line: name <TAB> op <TAB> dtype <TAB> params (k=v;k=v, tuples as a,b)
  ops.npz     per case: <name>.x, .w, .b (inputs), .y (output), .gy (upstream gradient), .gx, .gw, .gb
              (gradients), .idx (max-pool indices), .rm/.rv (running statistics), in the case's dtype (indices int64)
  lenet.npz   sklearn digits (uint8 0-16), labels, LeNet initial state, epoch orders, per-step losses
  resnet18.npz logits of torchvision's resnet18 with formula weights (see resnet_weights) and one train step
"""
import os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "cnn")
os.makedirs(OUT, exist_ok=True)
ARRAYS = {}
CASES = []
GEN = torch.Generator().manual_seed(22)


def randn(*shape, dtype=torch.float64):
    return torch.randn(*shape, generator=GEN, dtype=torch.float64).to(dtype)


def tup(v):
    return ",".join(str(int(a)) for a in v) if isinstance(v, (tuple, list)) else str(v)


def case(name, op, dtype, params, inputs, fn, extra_out=None):
    """inputs: dict of name -> tensor (leaf, requires grad when floating); fn(**inputs) -> output tensor."""
    leaves = {k: (v.clone().to(dtype).requires_grad_() if v.dtype.is_floating_point else v.clone()) for k, v in inputs.items()}
    y = fn(**leaves)
    out = y[0] if isinstance(y, tuple) else y
    gy = randn(*out.shape, dtype=dtype)
    needs = [v for v in leaves.values() if v.requires_grad]
    grads = torch.autograd.grad(out, needs, gy, allow_unused=True)
    def store(t):  # in the case's dtype: float32 cases are computed from float32 values
        return t.detach().to(dtype).numpy()
    for k, v in leaves.items():
        ARRAYS[name + "." + k] = store(v) if v.dtype.is_floating_point else v.numpy()
    ARRAYS[name + ".y"] = store(out)
    ARRAYS[name + ".gy"] = store(gy)
    gi = iter(grads)
    for k, v in leaves.items():
        if v.requires_grad:
            g = next(gi)
            ARRAYS[name + ".g" + k] = store(g if g is not None else torch.zeros_like(v))
    if isinstance(y, tuple):
        ARRAYS[name + ".idx"] = y[1].numpy()
    if extra_out:
        for k, v in extra_out().items():
            ARRAYS[name + "." + k] = store(v)
    CASES.append("\t".join([name, op, {torch.float32: "FLOAT32", torch.float64: "FLOAT64"}[dtype],
                            ";".join(f"{k}={tup(v)}" for k, v in params.items())]))


f32, f64 = torch.float32, torch.float64


# ---------------- convolutions ----------------
def conv2d_case(name, xs, ws, stride=1, padding=0, dilation=1, groups=1, bias=True, mode="zeros", dtype=f32, nc=0):
    inputs = {"x": randn(*xs), "w": randn(*ws) * 0.3}
    if bias:
        inputs["b"] = randn(ws[0])

    def fn(x, w, b=None):
        conv = nn.Conv2d(xs[-3], ws[0], ws[2:], stride, padding, dilation, groups, bias, mode).to(dtype)
        with torch.no_grad():
            conv.weight.copy_(w)
            if b is not None:
                conv.bias.copy_(b)
        return conv._conv_forward(x, w, b)
    case(name, "conv2d", dtype, dict(stride=stride, padding=padding, dilation=dilation, groups=groups, mode=mode, nc=nc), inputs, fn)


conv2d_case("conv2d_basic", (2, 3, 7, 9), (4, 3, 3, 3))
conv2d_case("conv2d_groups", (2, 4, 8, 7), (6, 2, 3, 2), stride=(2, 1), padding=(1, 2), groups=2)
conv2d_case("conv2d_depthwise", (1, 4, 9, 9), (4, 1, 3, 3), stride=2, padding=1, dilation=2, groups=4, bias=False)
conv2d_case("conv2d_1x1", (2, 3, 6, 6), (5, 3, 1, 1))
conv2d_case("conv2d_same", (2, 3, 7, 8), (4, 3, 3, 4), padding="same", dilation=2)
conv2d_case("conv2d_valid", (2, 3, 7, 8), (4, 3, 3, 3), padding="valid")
for m in ("reflect", "replicate", "circular"):
    conv2d_case("conv2d_" + m, (2, 3, 6, 7), (4, 3, 3, 3), padding=(1, 2), mode=m)
conv2d_case("conv2d_f64", (2, 2, 5, 6), (4, 1, 3, 3), stride=2, padding=1, groups=2, dtype=f64)
conv2d_case("conv2d_noncontig", (1, 2, 11, 10), (3, 2, 5, 5), stride=2, padding=1, nc=1)
conv2d_case("conv2d_unbatched", (3, 6, 6), (2, 3, 3, 3), padding=1)


def conv1d_case(name, xs, ws, stride=1, padding=0, dilation=1, groups=1, bias=True, mode="zeros", dtype=f32):
    inputs = {"x": randn(*xs), "w": randn(*ws) * 0.3}
    if bias:
        inputs["b"] = randn(ws[0])

    def fn(x, w, b=None):
        conv = nn.Conv1d(xs[-2], ws[0], ws[2], stride, padding, dilation, groups, bias, mode).to(dtype)
        return conv._conv_forward(x, w, b)
    case(name, "conv1d", dtype, dict(stride=stride, padding=padding, dilation=dilation, groups=groups, mode=mode), inputs, fn)


conv1d_case("conv1d_groups", (2, 4, 11), (6, 2, 3), stride=2, padding=1, groups=2)
conv1d_case("conv1d_same", (2, 3, 10), (4, 3, 4), padding="same", dilation=2)
conv1d_case("conv1d_reflect", (2, 3, 9), (4, 3, 3), padding=2, mode="reflect", dtype=f64)


def convt_case(name, op, xs, ws, stride, padding, output_padding, groups, dilation, bias=True, dtype=f32):
    inputs = {"x": randn(*xs), "w": randn(*ws) * 0.3}
    if bias:
        inputs["b"] = randn(ws[1] * groups)
    f = F.conv_transpose2d if op == "conv_transpose2d" else F.conv_transpose1d
    case(name, op, dtype, dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups, dilation=dilation), inputs,
         lambda x, w, b=None: f(x, w, b, stride, padding, output_padding, groups, dilation))


convt_case("convt2d_basic", "conv_transpose2d", (2, 4, 5, 6), (4, 3, 3, 3), 2, 1, 1, 1, 1)
convt_case("convt2d_groups", "conv_transpose2d", (1, 4, 4, 5), (4, 2, 3, 2), (2, 3), (0, 1), (1, 0), 2, (1, 2))
convt_case("convt2d_f64", "conv_transpose2d", (2, 2, 3, 3), (2, 2, 2, 2), 1, 0, 0, 1, 1, bias=False, dtype=f64)
convt_case("convt1d_basic", "conv_transpose1d", (2, 4, 7), (4, 3, 4), 3, 1, 2, 1, 1)
convt_case("convt1d_groups", "conv_transpose1d", (2, 4, 5), (4, 1, 3), 2, 0, 1, 2, 2)


# ---------------- pooling ----------------
def maxpool2d_case(name, xs, k, s, p, d, ceil, dtype=f32, nc=0):
    case(name, "max_pool2d", dtype, dict(kernel=k, stride=s, padding=p, dilation=d, ceil=int(ceil), nc=nc), {"x": randn(*xs)},
         lambda x: F.max_pool2d(x, k, s, p, d, ceil, True))


maxpool2d_case("maxpool2d_basic", (2, 3, 9, 10), 3, 2, 1, 1, False)
maxpool2d_case("maxpool2d_ceil", (2, 3, 9, 10), 3, 2, 1, 1, True)
maxpool2d_case("maxpool2d_dilated", (2, 2, 9, 11), (2, 3), (1, 2), (1, 1), (2, 1), True)
maxpool2d_case("maxpool2d_k2", (2, 3, 8, 8), 2, 2, 0, 1, False, nc=1)
maxpool2d_case("maxpool2d_f64", (1, 2, 7, 7), 3, 3, 1, 1, True, dtype=f64)
case("maxpool1d_basic", "max_pool1d", f32, dict(kernel=3, stride=2, padding=1, dilation=2, ceil=1), {"x": randn(2, 3, 11)},
     lambda x: F.max_pool1d(x, 3, 2, 1, 2, True, True))


def avgpool2d_case(name, xs, k, s, p, ceil, cip, div=0, dtype=f32):
    case(name, "avg_pool2d", dtype, dict(kernel=k, stride=s, padding=p, ceil=int(ceil), cip=int(cip), div=div), {"x": randn(*xs)},
         lambda x: F.avg_pool2d(x, k, s, p, ceil, cip, div if div else None))


avgpool2d_case("avgpool2d_ceil_incl", (2, 3, 9, 10), 3, 2, 1, True, True)
avgpool2d_case("avgpool2d_ceil_excl", (2, 3, 9, 10), 3, 2, 1, True, False)
avgpool2d_case("avgpool2d_divisor", (2, 3, 9, 10), 3, 2, 1, False, True, div=4)
avgpool2d_case("avgpool2d_rect", (2, 2, 7, 9), (2, 3), (2, 2), (1, 1), False, True, dtype=f64)
case("avgpool1d_basic", "avg_pool1d", f32, dict(kernel=3, stride=2, padding=1, ceil=1, cip=0), {"x": randn(2, 3, 10)},
     lambda x: F.avg_pool1d(x, 3, 2, 1, True, False))
for nm, xs, o in (("aap2d_43", (2, 3, 9, 7), (4, 3)), ("aap2d_11", (2, 3, 5, 6), (1, 1)), ("aap2d_up", (1, 2, 3, 4), (5, 7))):
    case(nm, "adaptive_avg_pool2d", f32, dict(out=o), {"x": randn(*xs)}, lambda x, o=o: F.adaptive_avg_pool2d(x, o))
case("aap1d", "adaptive_avg_pool1d", f64, dict(out=4), {"x": randn(2, 3, 10)}, lambda x: F.adaptive_avg_pool1d(x, 4))
for nm, xs, o in (("amp2d_43", (2, 3, 9, 7), (4, 3)), ("amp2d_22", (1, 2, 6, 5), (2, 2))):
    case(nm, "adaptive_max_pool2d", f32, dict(out=o), {"x": randn(*xs)}, lambda x, o=o: F.adaptive_max_pool2d(x, o, True))
xu = randn(2, 2, 7, 6)
pooled, pidx = F.max_pool2d(xu, 2, 2, 0, 1, False, True)
case("maxunpool2d", "max_unpool2d", f32, dict(kernel=2, stride=2, padding=0, out=(7, 6)), {"x": pooled, "i": pidx},
     lambda x, i: F.max_unpool2d(x, i, 2, 2, 0, (7, 6)))


# ---------------- normalisation ----------------
def bn_case(name, xs, training, dtype=f32):
    c = xs[1]
    rm0, rv0 = randn(c) * 0.2, randn(c).abs() + 0.5
    rm, rv = rm0.clone().to(dtype), rv0.clone().to(dtype)
    case(name, "batch_norm", dtype, dict(training=int(training), momentum="0.1", eps="1e-5"),
         {"x": randn(*xs), "w": randn(c), "b": randn(c), "rm0": rm0, "rv0": rv0},
         lambda x, w, b, rm0, rv0: F.batch_norm(x, rm, rv, w, b, training, 0.1, 1e-5), lambda: {"rm": rm, "rv": rv})


bn_case("bn2d_train", (4, 3, 5, 5), True)
bn_case("bn2d_eval", (4, 3, 5, 5), False)
bn_case("bn1d_train", (8, 5), True, dtype=f64)
bn_case("bn1d_train3d", (4, 5, 6), True)
for nm, g in (("gn_3", 3), ("gn_6", 6), ("gn_1", 1)):
    case(nm, "group_norm", f32, dict(groups=g, eps="1e-5"), {"x": randn(2, 6, 4, 5), "w": randn(6), "b": randn(6)},
         lambda x, w, b, g=g: F.group_norm(x, g, w, b, 1e-5))
for nm, xs, size in (("lrn_3", (2, 5, 3, 4), 3), ("lrn_4", (2, 6, 5), 4)):
    case(nm, "local_response_norm", f32, dict(size=size, alpha="0.01", beta="0.75", k="2.0"), {"x": randn(*xs)},
         lambda x, size=size: F.local_response_norm(x, size, 0.01, 0.75, 2.0))
rmi, rvi = torch.zeros(3), torch.ones(3)
case("in2d_affine", "instance_norm", f32, dict(eps="1e-5", momentum="0.1"), {"x": randn(2, 3, 5, 6), "w": randn(3), "b": randn(3)},
     lambda x, w, b: F.instance_norm(x, rmi, rvi, w, b, True, 0.1, 1e-5), lambda: {"rm": rmi, "rv": rvi})


# ---------------- padding, resizing, folding ----------------
for nm, pad, mode, val in (("pad_reflect", (1, 2, 2, 1), "reflect", 0), ("pad_replicate", (2, 0, 1, 3), "replicate", 0),
                           ("pad_circular", (1, 2, 3, 1), "circular", 0), ("pad_constant", (1, -1, 2, 0), "constant", 0.5)):
    case(nm, "pad", f32, dict(pad=pad, mode=mode, value=val), {"x": randn(1, 2, 4, 5)}, lambda x, pad=pad, mode=mode, val=val:
         F.pad(x, pad, mode, val) if mode == "constant" else F.pad(x, pad, mode))
for nm, xs, size, scale, mode, ac in (("interp_nearest_size", (1, 2, 4, 5), (7, 9), None, "nearest", None),
                                      ("interp_nearest_scale", (1, 2, 3, 4), None, 2.0, "nearest", None),
                                      ("interp_bilinear", (1, 2, 4, 5), (7, 9), None, "bilinear", False),
                                      ("interp_bilinear_ac", (1, 2, 4, 5), (7, 9), None, "bilinear", True),
                                      ("interp_bilinear_down", (2, 1, 6, 7), (3, 4), None, "bilinear", False),
                                      ("interp_bilinear_scale", (1, 2, 4, 4), None, 1.5, "bilinear", False),
                                      ("interp_linear", (2, 3, 5), (8,), None, "linear", True)):
    prm = dict(mode=mode, ac=("" if ac is None else int(ac)))
    if size:
        prm["size"] = size
    else:
        prm["scale"] = scale
    case(nm, "interpolate", f32, prm, {"x": randn(*xs)},
         lambda x, size=size, scale=scale, mode=mode, ac=ac: F.interpolate(x, size, scale, mode, ac))
case("unfold", "unfold", f32, dict(kernel=(2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), {"x": randn(2, 3, 7, 8)},
     lambda x: F.unfold(x, (2, 3), (1, 2), 1, (2, 1)))
case("fold", "fold", f64, dict(out=(6, 7), kernel=(3, 2), dilation=1, padding=(1, 0), stride=(2, 1)), {"x": randn(2, 12, 3 * 6)},
     lambda x: F.fold(x, (6, 7), (3, 2), 1, (1, 0), (2, 1)))
case("pixel_shuffle", "pixel_shuffle", f32, dict(r=2), {"x": randn(2, 8, 3, 4)}, lambda x: F.pixel_shuffle(x, 2))
case("pixel_unshuffle", "pixel_unshuffle", f32, dict(r=2), {"x": randn(2, 3, 4, 6)}, lambda x: F.pixel_unshuffle(x, 2))

np.savez_compressed(os.path.join(OUT, "ops.npz"), **ARRAYS)
with open(os.path.join(OUT, "cases.tsv"), "w") as f:
    f.write("\n".join(CASES) + "\n")
print("ops:", len(CASES), "cases,", len(ARRAYS), "arrays")


# ---------------- LeNet-5 on the scikit-learn digits ----------------
def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2), nn.Conv2d(6, 16, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def make_lenet():
    from sklearn.datasets import load_digits
    digits = load_digits()
    images = digits.images.astype(np.uint8)  # 1797 x 8 x 8, values 0..16
    labels = digits.target.astype(np.uint8)
    x = (torch.tensor(images, dtype=torch.float32).unsqueeze(1) / 16.0 - 0.5) / 0.5  # scaled to [-1, 1]
    y = torch.tensor(labels, dtype=torch.int64)
    n_train, batch, epochs = 1437, 16, 2
    torch.manual_seed(0)
    model = lenet()
    out = {"images": images, "labels": labels}
    for k, v in model.state_dict().items():
        out["state." + k] = v.numpy().copy()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    g = torch.Generator().manual_seed(1)
    orders, losses = [], []
    for _ in range(epochs):
        perm = torch.randperm(n_train, generator=g)
        orders.append(perm.numpy().astype(np.int16))
        for s in range(0, n_train, batch):
            idx = perm[s:s + batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        pred = model(x[n_train:]).argmax(1)
    out["orders"] = np.stack(orders)
    out["losses"] = np.array(losses, dtype=np.float32)
    out["test_pred"] = pred.numpy().astype(np.uint8)
    np.savez_compressed(os.path.join(OUT, "lenet.npz"), **out)
    print("lenet: %d steps, last loss %.4f, test accuracy %.4f" % (len(losses), losses[-1], (pred == y[n_train:]).double().mean()))


# ---------------- ResNet-18 with formula weights ----------------
def uniform(n, k):
    """n values in [-1, 1) from splitmix64 of (i, k): bit-exact in any language with wrapping 64-bit integers (ResNetTest's
    Java twin), and uncorrelated (a smooth formula such as sin(0.37 i + k) made near-constant channels whose batch
    statistics amplified float32 rounding: PyTorch's own float32 and float64 losses then differed by 0.5)."""
    with np.errstate(over="ignore"):
        z = np.arange(n, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(k) * np.uint64(0xD1B54A32D192ED03)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(40)).astype(np.float64) / 2.0 ** 24 * 2 - 1


def resnet_weights(model):
    """Entry k of the state dict (in order) from s = uniform(numel, k), stored as float32: running_mean 0.1 s,
    running_var 1 + 0.3 s, other 1-d weights 1 + 0.2 s, biases 0.1 s, weights s sqrt(3 / fan_in)."""
    sd = model.state_dict()
    with torch.no_grad():
        for k, (name, t) in enumerate(sd.items()):
            if name.endswith("num_batches_tracked"):
                continue
            s = uniform(t.numel(), k).reshape(t.shape)
            if name.endswith("running_mean"):
                v = 0.1 * s
            elif name.endswith("running_var"):
                v = 1 + 0.3 * s
            elif name.endswith("bias"):
                v = 0.1 * s
            elif t.dim() == 1:
                v = 1 + 0.2 * s
            else:
                v = s * np.sqrt(3.0 / (t[0].numel()))
            t.copy_(torch.tensor(v, dtype=torch.float32))


def make_resnet():
    import torchvision
    model = torchvision.models.resnet18()
    resnet_weights(model)
    x = torch.tensor(uniform(2 * 3 * 64 * 64, 1000).reshape(2, 3, 64, 64), dtype=torch.float32)
    model.eval()
    with torch.no_grad():
        logits = model(x)
    model.train()
    loss = F.cross_entropy(model(x), torch.tensor([3, 7]))
    loss.backward()
    out = {"logits": logits.numpy(), "loss": np.array(loss.item()), "bn1.running_mean": model.bn1.running_mean.numpy()}
    for name in ("conv1.weight", "bn1.weight", "layer1.0.conv1.weight", "layer2.0.downsample.0.weight", "layer3.1.bn2.bias",
                 "layer4.1.conv2.weight", "fc.weight", "fc.bias"):
        out["gradnorm." + name] = np.array(model.get_parameter(name).grad.double().norm().item())
    np.savez_compressed(os.path.join(OUT, "resnet18.npz"), **out)
    print("resnet18: logits range %.3f..%.3f, train loss %.5f" % (logits.min(), logits.max(), loss.item()))


def make_modules():
    """Module init under a seed (the default generator's stream, as nn.Linear) and batch norm's running statistics."""
    out = {}
    torch.manual_seed(0)
    conv = nn.Conv2d(3, 4, 3, groups=1)
    convt = nn.ConvTranspose2d(4, 6, 2, groups=2)
    conv1 = nn.Conv1d(2, 3, 5, bias=False)
    for name, m in (("conv2d", conv), ("conv_transpose2d", convt), ("conv1d", conv1)):
        for k, v in m.state_dict().items():
            out[name + "." + k] = v.numpy()
    bn = nn.BatchNorm2d(3, momentum=None)
    x1, x2 = randn(4, 3, 2, 2, dtype=f32), randn(2, 3, 3, 1, dtype=f32)
    bn(x1)
    bn(x2)
    out["bn_x1"], out["bn_x2"] = x1.numpy(), x2.numpy()
    for k, v in bn.state_dict().items():
        out["bn_cumulative." + k] = v.numpy()
    bn.eval()
    out["bn_eval_y"] = bn(x1).detach().numpy()
    np.savez_compressed(os.path.join(OUT, "modules.npz"), **out)


make_modules()
make_lenet()
make_resnet()
