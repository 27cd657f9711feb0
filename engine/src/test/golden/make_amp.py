"""Autocast goldens (issue 26): the output dtype of each op under torch.autocast, run by /usr/bin/python3
(Debian's torch 1.13, CPU only).

Writes engine/src/test/resources/golden/amp/autocast_cpu_bf16.tsv: for each op, the dtype of its result
under torch.autocast("cpu", dtype=torch.bfloat16) when the floating inputs are float32 ("f32"), bfloat16
("bf16"), and a bfloat16 first operand with float32 others ("mixed", "error" where torch refuses the mix); "eager" is the dtype of the same op with
float32 inputs outside autocast. Two more rows: _nested (an inner enabled=False scope's mm, then the outer
scope's mm after it) and _grad (an autocast linear's output dtype, then the float32 weight's and input's grads). torch 1.13's CPU autocast supports bfloat16 only and no GPU is at hand, so the
CUDA float16 lists come from PyTorch's documentation (torch.amp autocast op reference) and are written down in
dev.jtensor.amp.AutocastPolicy, not recorded here.

    /usr/bin/python3 engine/src/test/golden/make_amp.py
"""
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "amp")

torch.manual_seed(26)


def ops():
    """name -> function of (dtype of the first operand, dtype of the others) returning the result."""
    x = lambda d, *s: torch.randn(*s).to(d)
    tgt = torch.tensor([1, 0, 3])
    return {
        "mm": lambda a, b: torch.mm(x(a, 3, 4), x(b, 4, 5)),
        "bmm": lambda a, b: torch.bmm(x(a, 2, 3, 4), x(b, 2, 4, 5)),
        "matmul": lambda a, b: torch.matmul(x(a, 2, 3, 4), x(b, 4, 5)),
        "addmm": lambda a, b: torch.addmm(x(a, 5), x(b, 3, 4), x(b, 4, 5)),
        "baddbmm": lambda a, b: torch.baddbmm(x(a, 2, 3, 5), x(b, 2, 3, 4), x(b, 2, 4, 5)),
        "linear": lambda a, b: F.linear(x(a, 3, 4), x(b, 5, 4), x(b, 5)),
        "softmax": lambda a, b: torch.softmax(x(a, 3, 4), 1),
        "log_softmax": lambda a, b: torch.log_softmax(x(a, 3, 4), 1),
        "layer_norm": lambda a, b: F.layer_norm(x(a, 3, 4), [4], x(b, 4), x(b, 4)),
        "sum": lambda a, b: x(a, 3, 4).sum(),
        "mean": lambda a, b: x(a, 3, 4).mean(),
        "prod": lambda a, b: x(a, 3, 4).prod(),
        "cumsum": lambda a, b: x(a, 3, 4).cumsum(1),
        "exp": lambda a, b: x(a, 3, 4).exp(),
        "log": lambda a, b: x(a, 3, 4).abs().log(),
        "pow": lambda a, b: x(a, 3, 4).pow(2.0),
        "relu": lambda a, b: torch.relu(x(a, 3, 4)),
        "gelu": lambda a, b: F.gelu(x(a, 3, 4)),
        "tanh": lambda a, b: torch.tanh(x(a, 3, 4)),
        "sigmoid": lambda a, b: torch.sigmoid(x(a, 3, 4)),
        "add": lambda a, b: x(a, 3, 4) + x(b, 3, 4),
        "mul": lambda a, b: x(a, 3, 4) * x(b, 3, 4),
        "mse_loss": lambda a, b: F.mse_loss(x(a, 3, 4), x(b, 3, 4)),
        "l1_loss": lambda a, b: F.l1_loss(x(a, 3, 4), x(b, 3, 4)),
        "cross_entropy": lambda a, b: F.cross_entropy(x(a, 3, 4), tgt),
        "nll_loss": lambda a, b: F.nll_loss(x(a, 3, 4), tgt),
        "binary_cross_entropy_with_logits": lambda a, b: F.binary_cross_entropy_with_logits(x(a, 3, 4), x(b, 3, 4).sigmoid()),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    f32, bf16 = torch.float32, torch.bfloat16
    result = {}
    for name, fn in ops().items():
        row = {"eager": str(fn(f32, f32).dtype).replace("torch.", "")}
        with torch.autocast("cpu", dtype=bf16):
            for key, (a, b) in {"f32": (f32, f32), "bf16": (bf16, bf16), "mixed": (bf16, f32)}.items():
                try:
                    row[key] = str(fn(a, b).dtype).replace("torch.", "")
                except RuntimeError:  # torch 1.13's CPU kernel refuses the mix (e.g. layer_norm bf16 input, f32 weight)
                    row[key] = "error"
        result[name] = row
    # nesting: an inner disabled scope runs eagerly, the outer scope resumes after it
    a, b = torch.randn(3, 4), torch.randn(4, 5)
    with torch.autocast("cpu", dtype=bf16):
        with torch.autocast("cpu", enabled=False):
            inner = torch.mm(a, b).dtype
        outer = torch.mm(a, b).dtype
    result["_nested"] = {"inner_disabled": str(inner).replace("torch.", ""), "outer_after": str(outer).replace("torch.", "")}
    # gradients of float32 leaves come back float32 through an autocast bf16 linear
    w = torch.randn(5, 4, requires_grad=True)
    inp = torch.randn(3, 4, requires_grad=True)
    with torch.autocast("cpu", dtype=bf16):
        out = F.linear(inp, w)
    out.float().sum().backward()
    result["_grad"] = {"out": str(out.dtype).replace("torch.", ""), "w_grad": str(w.grad.dtype).replace("torch.", ""),
                       "x_grad": str(inp.grad.dtype).replace("torch.", "")}
    with open(os.path.join(OUT, "autocast_cpu_bf16.tsv"), "w") as f:
        f.write("# torch %s, torch.autocast('cpu', dtype=torch.bfloat16): result dtype per op and input dtypes\n" % torch.__version__)
        f.write("op\teager\tf32\tbf16\tmixed\n")
        for name in sorted(k for k in result if not k.startswith("_")):
            r = result[name]
            f.write("\t".join([name, r["eager"], r["f32"], r["bf16"], r["mixed"]]) + "\n")
        n, g = result["_nested"], result["_grad"]
        f.write("\t".join(["_nested", n["inner_disabled"], n["outer_after"], "-", "-"]) + "\n")
        f.write("\t".join(["_grad", g["out"], g["w_grad"], g["x_grad"], "-"]) + "\n")


if __name__ == "__main__":
    main()
