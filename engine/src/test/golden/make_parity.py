"""Golden values for issue 14 (PyTorch parity for tutorial code), from PyTorch.

Run with Debian's python3-torch:  /usr/bin/python3 engine/src/test/golden/make_parity.py
Writes engine/src/test/resources/golden/nn/parity.tsv (tensors: name, dtype, shape, flat values, as
make_nn.py) and parity_repr.txt (what PyTorch prints: blocks "#### name" then the text, verbatim).
"""
import math
import os
import torch
import torch.nn as nn

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "resources", "golden", "nn")
DT = {torch.float32: "FLOAT32", torch.float64: "FLOAT64", torch.int64: "INT64", torch.bool: "BOOL"}


def flat(t):
    t = t.detach()
    if t.dtype.is_floating_point:
        return ",".join(repr(float(v)) for v in t.double().reshape(-1).tolist())
    return ",".join(str(int(v)) for v in t.reshape(-1).tolist())


rows, reprs = [], []


def add(name, t):
    if not isinstance(t, torch.Tensor):
        t = torch.tensor(t, dtype=torch.float64)
    rows.append("\t".join([name, DT[t.dtype], ",".join(str(s) for s in t.shape), flat(t)]))


def show(name, obj):
    reprs.append("#### " + name + "\n" + (obj if isinstance(obj, str) else repr(obj)))


def inputs(seed, *shape, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g, dtype=dtype)


# ---------------- creation ----------------
show("arange_4.0", torch.arange(4.0))
show("arange_12_float32", torch.arange(12, dtype=torch.float32))
show("arange_1.0_4.0", torch.arange(1.0, 4.0))
show("zeros_2_3_float64", torch.zeros((2, 3), dtype=torch.float64))
show("ones_like_int64", torch.ones_like(torch.rand(2, 2), dtype=torch.int64))
show("full_0d", torch.full((), 3.5))
show("scalar_tensor", torch.scalar_tensor(3.5))
show("tensor_2x2_requires_grad", torch.tensor([[1., 2.], [3., 4.]], requires_grad=True))
show("tensor_2x2_float64_requires_grad", torch.tensor([[1., 2.], [3., 4.]], dtype=torch.float64, requires_grad=True))
show("zeros_requires_grad", torch.zeros(2, requires_grad=True))
torch.manual_seed(0)
show("randn_0d_seed0", torch.randn(()))
torch.manual_seed(0)
show("rand_like_float64_seed0", torch.rand_like(torch.zeros(2, 2), dtype=torch.float64))

# ---------------- indexing ----------------
x = torch.arange(24.).reshape(2, 3, 4)
m = torch.arange(20.).reshape(4, 5)
show("x_:,1", x[:, 1])
show("x_...,-1", x[..., -1])
show("m_1:3,::2", m[1:3, ::2])
show("m_None,:", m[None, :].shape)
show("m_-1", m[-1])
show("m_:,-2:", m[:, -2:])
show("x_1,...,None", x[1, ..., None].shape)
show("m_mask_gt_10", m[m > 10])
show("m_:,idx", m[:, torch.tensor([0, 2])])
show("x_:,rowmask", x[:, torch.tensor([True, False, True])])
show("m_idx_rows", m[torch.tensor([3, 0])])
show("m_arange,idx", m[torch.arange(4), torch.tensor([0, 2, 4, 1])])
show("x_:,i,j", x[:, torch.tensor([0, 2]), torch.tensor([1, 3])])
show("x_i,:,j_nonadjacent", x[torch.tensor([1, 0]), :, torch.tensor([[3], [0]])])
yh = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]], requires_grad=True)
picked = yh[[0, 1], torch.tensor([0, 2])]
show("yhat_pick", picked)
(-picked.log()).sum().backward()
show("yhat_pick_grad", yh.grad)
a = m.clone(); a[torch.tensor([0, 3, 0]), torch.tensor([1, 4, 1])] = torch.tensor([7., 8., 9.]); show("set_points_dup", a)
a = x.clone(); a[:, torch.tensor([0, 2]), torch.tensor([1, 3])] = -1; show("set_:,i,j", a)
a = x.clone(); a[torch.tensor([1, 0]), :, torch.tensor([3, 0])] = torch.tensor([100., 200., 300.]); show("set_i,:,j", a)
a = m.clone(); a[:, 1] = 0; show("set_:,1_0", a)
a = m.clone(); a[a > 10] = -1; show("set_mask_-1", a)
a = m.clone(); a[1:3, ::2] = torch.tensor([7., 8., 9.]); show("set_1:3,::2_row", a)
a = m.clone(); a[:, torch.tensor([0, 4])] = torch.tensor([[1.], [2.], [3.], [4.]]); show("set_:,idx_col", a)
a = x.clone(); a[..., -1] = 5; show("set_...,-1_5", a)
show("m_T", m.T)
show("x_T_shape", x.T.shape)
show("x_mT_shape", x.mT.shape)
show("tolist", torch.tensor([[1., 2.5], [3., 4.]]).tolist())
show("tolist_long", torch.tensor([[1, 2], [3, 4]]).tolist())
w = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = w[:, 1] * 3
show("grad_of_slice_y", y)
y.sum().backward()
show("grad_of_slice", w.grad)

# ---------------- nn ----------------
torch.manual_seed(0)
seq = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
show("seq_linear_flatten", seq)
show("flatten_default", nn.Flatten())
show("unflatten", nn.Unflatten(1, (2, 5)))
show("identity", nn.Identity())
show("modulelist", nn.ModuleList([nn.Linear(2, 2), nn.ReLU()]))
show("moduledict", nn.ModuleDict({"lin": nn.Linear(2, 3), "act": nn.ReLU()}))
torch.manual_seed(42)
lin = nn.Linear(3, 2)
show("parameter_weight", lin.weight)
show("parameter_bias", lin.bias)
f = nn.Flatten()(torch.arange(24.).reshape(2, 3, 4))
show("flatten_out_shape", f.shape)
show("unflatten_out_shape", nn.Unflatten(1, (2, 5))(torch.zeros(3, 10)).shape)
seq2 = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
seq2[2] = nn.Linear(4, 3)
show("seq_set_head", seq2)


# ---------------- custom autograd function ----------------
class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


xl = torch.linspace(-1, 1, 5, requires_grad=True)
yl = LegendrePolynomial3.apply(xl)
show("legendre_y", yl)
yl.sum().backward()
show("legendre_grad", xl.grad)

# ---------------- "Learning PyTorch with Examples": nn + optim (RMSprop), transcribed ----------------
torch.manual_seed(0)
xs = torch.linspace(-math.pi, math.pi, 2000)
ys = torch.sin(xs)
pw = torch.tensor([1, 2, 3])
xx = xs.unsqueeze(-1).pow(pw)
model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
loss_fn = nn.MSELoss(reduction="sum")
opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
losses = []
for t in range(300):
    y_pred = model(xx)
    loss = loss_fn(y_pred, ys)
    if t % 50 == 49:
        losses.append(loss.item())
    opt.zero_grad()
    loss.backward()
    opt.step()
add("tutorial_rmsprop_losses", torch.tensor(losses, dtype=torch.float64))
add("tutorial_rmsprop_weight", model[0].weight)
add("tutorial_rmsprop_bias", model[0].bias)

# ---------------- optimizers, step by step ----------------
CONFIGS = {
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01),
    "rmsprop_momentum_centered": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-6, momentum=0.9, centered=True),
    "rmsprop_wd": lambda p: torch.optim.RMSprop(p, lr=0.02, weight_decay=0.1, momentum=0.5),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1),
    "adagrad_decay_wd_init": lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.1,
                                                           initial_accumulator_value=0.5, eps=1e-6),
}
STEPS = 6
for dtype in (torch.float32, torch.float64):
    tag = "f32" if dtype == torch.float32 else "f64"
    p0, p1 = inputs(10, 3, 4, dtype=dtype), inputs(11, 5, dtype=dtype)
    add(f"{tag}.init.p0", p0)
    add(f"{tag}.init.p1", p1)
    grads = [(inputs(100 + s, 3, 4, dtype=dtype), inputs(200 + s, 5, dtype=dtype)) for s in range(STEPS)]
    for s, (g0, g1) in enumerate(grads):
        add(f"{tag}.grad{s}.p0", g0)
        add(f"{tag}.grad{s}.p1", g1)
    for name, make in CONFIGS.items():
        a, b = p0.clone().requires_grad_(), p1.clone().requires_grad_()
        opt = make([a, b])
        for s, (g0, g1) in enumerate(grads):
            a.grad, b.grad = g0.clone(), g1.clone()
            opt.step()
            add(f"{tag}.{name}.step{s}.p0", a)
            add(f"{tag}.{name}.step{s}.p1", b)


# ---------------- schedulers ----------------
def lrs(make, epochs=12, metrics=None):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    sched = make(opt)
    out = []
    for e in range(epochs):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
        out.append(opt.param_groups[0]["lr"])
    return torch.tensor(out, dtype=torch.float64)


S = torch.optim.lr_scheduler
add("multisteplr_2_5_0.5", lrs(lambda o: S.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.5)))
add("exponentiallr_0.9", lrs(lambda o: S.ExponentialLR(o, gamma=0.9)))
add("cosine_5_0.01", lrs(lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.01), epochs=14))
add("lambdalr_0.95pow", lrs(lambda o: S.LambdaLR(o, lambda e: 0.95 ** e)))
PLATEAU = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88]
add("plateau_metrics", torch.tensor(PLATEAU, dtype=torch.float64))
add("plateau_min_p2", lrs(lambda o: S.ReduceLROnPlateau(o, patience=2, factor=0.5), epochs=15, metrics=PLATEAU))
add("plateau_max_abs_cooldown", lrs(lambda o: S.ReduceLROnPlateau(o, mode="max", patience=1, threshold=0.01,
                                                                  threshold_mode="abs", cooldown=2, min_lr=0.02),
                                    epochs=15, metrics=PLATEAU))

with open(os.path.join(OUT, "parity.tsv"), "w") as fh:
    fh.write("\n".join(rows) + "\n")
with open(os.path.join(OUT, "parity_repr.txt"), "w") as fh:
    fh.write("\n".join(reprs) + "\n")
