"""Golden values for autograd, nn, optim and data (issue 5), from PyTorch.

Run with Debian's python3-torch:  /usr/bin/python3 engine/src/test/golden/make_nn.py
Writes engine/src/test/resources/golden/nn/*.tsv. Each line is
  name <TAB> dtype <TAB> shape (comma separated) <TAB> flat values (repr, comma separated)
"""
import os
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "nn")
os.makedirs(OUT, exist_ok=True)
DT = {torch.float32: "FLOAT32", torch.float64: "FLOAT64", torch.int64: "INT64"}


def flat(t):
    t = t.detach()
    if t.dtype.is_floating_point:
        return ",".join(repr(float(v)) for v in t.double().reshape(-1).tolist())
    return ",".join(str(int(v)) for v in t.reshape(-1).tolist())


class Table:
    def __init__(self, name):
        self.path = os.path.join(OUT, name)
        self.rows = []

    def add(self, name, t):
        if not isinstance(t, torch.Tensor):
            t = torch.tensor(t, dtype=torch.float64)
        self.rows.append("\t".join([name, DT[t.dtype], ",".join(str(s) for s in t.shape), flat(t)]))

    def write(self):
        with open(self.path, "w") as f:
            f.write("\n".join(self.rows) + "\n")


def inputs(seed, *shape, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g, dtype=dtype)


# ---------------- init and data ----------------
init = Table("init.tsv")
torch.manual_seed(42)
lin = nn.Linear(3, 2)
init.add("linear_3_2.weight", lin.weight)
init.add("linear_3_2.bias", lin.bias)
torch.manual_seed(0)
seq = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
for k, v in seq.state_dict().items():
    init.add("seq." + k, v)
torch.manual_seed(1)
big = nn.Linear(784, 256)
init.add("linear_784_256.weight_head", big.weight.reshape(-1)[:64])
init.add("linear_784_256.weight_sum", big.weight.double().sum())
init.add("linear_784_256.bias", big.bias)
torch.manual_seed(3)
init.add("embedding_10_4.weight", nn.Embedding(10, 4).weight)
torch.manual_seed(5)
init.add("linear_1_1_nobias.weight", nn.Linear(1, 1, bias=False).weight)
for seed, n in [(0, 10), (1, 100), (123, 1000)]:
    init.add(f"randperm_{seed}_{n}", torch.randperm(n, generator=torch.Generator().manual_seed(seed)))
torch.manual_seed(7)
init.add("sampler_seed_after_manual_seed_7", torch.empty((), dtype=torch.int64).random_())
init.write()

# ---------------- optimizers, step by step ----------------
optim = Table("optim.tsv")
CONFIGS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
    "sgd_dampening_wd": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),
    "sgd_nesterov_wd": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1),
    "sgd_maximize": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.5, maximize=True),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01),
    "adam_wd_amsgrad": lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01),
    "adamw_amsgrad": lambda p: torch.optim.AdamW(p, lr=0.02, weight_decay=0.5, amsgrad=True),
}
STEPS = 6
for dtype in (torch.float32, torch.float64):
    tag = "f32" if dtype == torch.float32 else "f64"
    p0, p1 = inputs(10, 3, 4, dtype=dtype), inputs(11, 5, dtype=dtype)
    optim.add(f"{tag}.init.p0", p0)
    optim.add(f"{tag}.init.p1", p1)
    grads = [(inputs(100 + s, 3, 4, dtype=dtype), inputs(200 + s, 5, dtype=dtype)) for s in range(STEPS)]
    for s, (g0, g1) in enumerate(grads):
        optim.add(f"{tag}.grad{s}.p0", g0)
        optim.add(f"{tag}.grad{s}.p1", g1)
    for name, make in CONFIGS.items():
        a, b = p0.clone().requires_grad_(), p1.clone().requires_grad_()
        opt = make([a, b])
        for s, (g0, g1) in enumerate(grads):
            a.grad, b.grad = g0.clone(), g1.clone()
            opt.step()
            optim.add(f"{tag}.{name}.step{s}.p0", a)
            optim.add(f"{tag}.{name}.step{s}.p1", b)
w = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.1)
lrs = []
for epoch in range(10):
    opt.step()
    sched.step()
    lrs.append(sched.get_last_lr()[0])
optim.add("steplr_3_0.1", torch.tensor(lrs, dtype=torch.float64))
optim.write()

# ---------------- losses ----------------
loss = Table("loss.tsv")
logits = inputs(20, 4, 5)
classes = torch.tensor([1, 0, 4, 2])
pred, target = inputs(21, 3, 4), inputs(22, 3, 4)
probs, labels = torch.sigmoid(inputs(23, 3, 4)), (inputs(24, 3, 4) > 0).float()
loss.add("logits", logits)
loss.add("classes", classes)
loss.add("pred", pred)
loss.add("target", target)
loss.add("probs", probs)
loss.add("labels", labels)
CASES = {
    "cross_entropy": (lambda x, r: F.cross_entropy(x, classes, reduction=r), logits),
    "nll": (lambda x, r: F.nll_loss(F.log_softmax(x, 1), classes, reduction=r), logits),
    "mse": (lambda x, r: F.mse_loss(x, target, reduction=r), pred),
    "l1": (lambda x, r: F.l1_loss(x, target, reduction=r), pred),
    "bce": (lambda x, r: F.binary_cross_entropy(x, labels, reduction=r), probs),
    "bce_logits": (lambda x, r: F.binary_cross_entropy_with_logits(x, labels, reduction=r), pred),
}
for name, (fn, x0) in CASES.items():
    for r in ("mean", "sum", "none"):
        x = x0.clone().requires_grad_()
        out = fn(x, r)
        loss.add(f"{name}.{r}.out", out)
        (out * torch.arange(1, out.numel() + 1, dtype=out.dtype).reshape(out.shape)).sum().backward()
        loss.add(f"{name}.{r}.grad", x.grad)
loss.write()

# ---------------- modules: forward and gradients ----------------
mods = Table("modules.tsv")
x = inputs(30, 6, 5)
u = inputs(31, 6, 5)
mods.add("x", x)
mods.add("u", u)
ACTS = {
    "relu": nn.ReLU(), "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(), "gelu": nn.GELU(), "gelu_tanh": nn.GELU("tanh"),
    "softmax": nn.Softmax(dim=1), "log_softmax": nn.LogSoftmax(dim=1),
}
for name, m in ACTS.items():
    xi = x.clone().requires_grad_()
    y = m(xi)
    (y * u).sum().backward()
    mods.add(f"{name}.out", y)
    mods.add(f"{name}.grad", xi.grad)
ln = nn.LayerNorm(5)
with torch.no_grad():
    ln.weight.copy_(inputs(32, 5))
    ln.bias.copy_(inputs(33, 5))
xi = x.clone().requires_grad_()
y = ln(xi)
(y * u).sum().backward()
mods.add("layernorm.weight", ln.weight)
mods.add("layernorm.bias", ln.bias)
mods.add("layernorm.out", y)
mods.add("layernorm.grad", xi.grad)
mods.add("layernorm.weight_grad", ln.weight.grad)
mods.add("layernorm.bias_grad", ln.bias.grad)
torch.manual_seed(42)
lin = nn.Linear(5, 3)
xi = x.clone().requires_grad_()
y = lin(xi)
v = inputs(34, 6, 3)
(y * v).sum().backward()
mods.add("linear.v", v)
mods.add("linear.out", y)
mods.add("linear.grad", xi.grad)
mods.add("linear.weight_grad", lin.weight.grad)
mods.add("linear.bias_grad", lin.bias.grad)
torch.manual_seed(3)
emb = nn.Embedding(10, 4)
idx = torch.tensor([[1, 2, 1], [9, 0, 2]])
y = emb(idx)
(y * inputs(35, 2, 3, 4)).sum().backward()
mods.add("embedding.idx", idx)
mods.add("embedding.w", inputs(35, 2, 3, 4))
mods.add("embedding.out", y)
mods.add("embedding.weight_grad", emb.weight.grad)
mods.write()
print("wrote", OUT)

# ---------------- the seed tutorial's regression (bench/torch_tutorial.py) ----------------
tut = Table("tutorial.tsv")
torch.manual_seed(42)
X = torch.rand(100, 1) * 10
Y = 2 * X + 1 + torch.randn(100, 1)
model = nn.Linear(1, 1)
tut.add("X", X)
tut.add("Y", Y)
tut.add("weight0", model.weight)
tut.add("bias0", model.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
losses = []
for epoch in range(100):
    l = F.mse_loss(model(X), Y)
    opt.zero_grad()
    l.backward()
    opt.step()
    losses.append(l.item())
tut.add("losses", torch.tensor(losses, dtype=torch.float64))
tut.add("weight", model.weight)
tut.add("bias", model.bias)
tut.write()

# ---------------- a PyTorch state dict as .npz (Module.load) ----------------
import numpy as np
torch.manual_seed(11)
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
np.savez(os.path.join(OUT, "torch_state.npz"), **{k: v.detach().numpy() for k, v in net.state_dict().items()})
probe = torch.tensor([[0.5, -1.0, 2.0]])
st = Table("state.tsv")
st.add("probe", probe)
st.add("out", net(probe))
st.write()
