#!/usr/bin/python3
"""Golden values for reductions, softmax, joining and indexing (run with /usr/bin/python3: torch + numpy).

Writes engine/src/test/resources/golden/reduce/cases.txt, read by dev.jtensor.internal.ops.ReduceGoldenTest.
Format, one case per block:
  case <name>
  op <op> [key=value ...]
  in <dtype> <base shape> <view> <values...>      (one line per input; the view is applied to the base)
  out <dtype> <shape> <values...>                 (one line per output)
Views: c = as is, t = transpose(0, 1), s = slice(0, 0, end, 2), e = expand leading size-1 dim to 3.
Float inputs are multiples of 1/8 so that they print exactly.
"""
import os
import torch

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "reduce", "cases.txt")
DT = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "int32": torch.int32,
      "int16": torch.int16, "int8": torch.int8, "uint8": torch.uint8, "bool": torch.bool}
lines = []


def make(dtype, shape, kind="rand"):
    n = 1
    for s in shape:
        n *= s
    if dtype == "bool":
        base = torch.rand(n) > 0.5
    elif dtype in ("float32", "float64"):
        base = torch.round(torch.randn(n) * 16) / 8
    elif dtype == "uint8":
        base = torch.randint(0, 10, (n,))
    else:
        base = torch.randint(-9, 10, (n,))
    return base.to(DT[dtype]).reshape(shape)


def view(t, v):
    if v == "t":
        return t.transpose(0, 1)
    if v == "s":
        return t[::2]
    if v == "e":
        return t.expand(3, *t.shape[1:])
    return t


def fmt(t):
    vals = t.reshape(-1).tolist()
    if t.dtype == torch.bool:
        vals = [int(v) for v in vals]
    return " ".join(repr(float(v)) if t.is_floating_point() else str(int(v)) for v in vals)


def shape_str(s):
    return ",".join(str(d) for d in s) if len(s) else "-"


def case(name, op, ins, fn, **kw):
    """ins: list of (dtype, base shape, view) or ready tensors (dtype, tensor)."""
    tensors, in_lines = [], []
    for spec in ins:
        if isinstance(spec[1], torch.Tensor):
            base, v = spec[1], "c"
        else:
            base, v = make(spec[0], spec[1]), spec[2]
        tensors.append(view(base, v))
        dtype = str(base.dtype).replace("torch.", "")
        in_lines.append(f"in {dtype} {shape_str(base.shape)} {v} {fmt(base)}")
    try:
        outs = fn(*tensors)
    except RuntimeError as e:  # ops this torch does not define for a dtype (e.g. argmax of bool): no golden
        print("skipped", name, "-", str(e).splitlines()[0])
        return
    if not isinstance(outs, (tuple, list)):
        outs = [outs]
    lines.append(f"case {name}")
    lines.append("op " + op + "".join(f" {k}={v}" for k, v in kw.items()))
    lines.extend(in_lines)
    for o in outs:
        lines.append(f"out {str(o.dtype).replace('torch.', '')} {shape_str(o.shape)} {fmt(o)}")


def dims_kw(dims):
    return ",".join(str(d) for d in dims)


# ---- sum-like, per dtype, view, dims ----
for dt in ["float32", "float64", "int64", "int32", "int8", "uint8", "bool"]:
    for v, shape in [("c", (3, 4)), ("t", (4, 3)), ("s", (5, 4)), ("e", (1, 4))]:
        case(f"sum_all_{dt}_{v}", "sum", [(dt, shape, v)], lambda x: x.sum())
        case(f"sum_d1_{dt}_{v}", "sum", [(dt, shape, v)], lambda x: x.sum(1), dims="1", keepdim=0)
        case(f"sum_d0k_{dt}_{v}", "sum", [(dt, shape, v)], lambda x: x.sum(0, keepdim=True), dims="0", keepdim=1)
        case(f"prod_all_{dt}_{v}", "prod", [(dt, shape, v)], lambda x: x.prod())
        case(f"prod_d1_{dt}_{v}", "prod", [(dt, shape, v)], lambda x: x.prod(1), dim=1, keepdim=0)
        case(f"amax_{dt}_{v}", "amax", [(dt, shape, v)], lambda x: x.amax(-1), dims="-1", keepdim=0)
        case(f"amin_{dt}_{v}", "amin", [(dt, shape, v)], lambda x: x.amin((0, 1), keepdim=True), dims="0,1", keepdim=1)
        case(f"max_dim_{dt}_{v}", "max_dim", [(dt, shape, v)], lambda x: tuple(x.max(1)), dim=1, keepdim=0)
        case(f"min_dim_{dt}_{v}", "min_dim", [(dt, shape, v)], lambda x: tuple(x.min(0, keepdim=True)), dim=0, keepdim=1)
        case(f"max_all_{dt}_{v}", "max", [(dt, shape, v)], lambda x: x.max())
        case(f"argmax_{dt}_{v}", "argmax", [(dt, shape, v)], lambda x: x.argmax())
        case(f"argmin_d1_{dt}_{v}", "argmin_dim", [(dt, shape, v)], lambda x: x.argmin(1), dim=1, keepdim=0)
        case(f"all_{dt}_{v}", "all", [(dt, shape, v)], lambda x: x.all(1).to(torch.bool), dim=1)
        case(f"any_{dt}_{v}", "any", [(dt, shape, v)], lambda x: x.any(0).to(torch.bool), dim=0)
        case(f"cumsum_{dt}_{v}", "cumsum", [(dt, shape, v)], lambda x: x.cumsum(1), dim=1)
        case(f"cumprod_{dt}_{v}", "cumprod", [(dt, shape, v)], lambda x: x.cumprod(0), dim=0)
        if dt.startswith("float"):
            case(f"mean_all_{dt}_{v}", "mean", [(dt, shape, v)], lambda x: x.mean())
            case(f"mean_d01_{dt}_{v}", "mean", [(dt, shape, v)], lambda x: x.mean((0, 1), keepdim=True), dims="0,1", keepdim=1)
            case(f"var_{dt}_{v}", "var", [(dt, shape, v)], lambda x: x.var(1), dims="1", correction=1, keepdim=0)
            case(f"var0_{dt}_{v}", "var", [(dt, shape, v)], lambda x: x.var(unbiased=False), dims="", correction=0, keepdim=0)
            case(f"std_{dt}_{v}", "std", [(dt, shape, v)], lambda x: x.std(0, keepdim=True), dims="0", correction=1, keepdim=1)
            for p in ["1", "2", "inf", "-inf", "0", "3"]:
                case(f"norm{p}_{dt}_{v}", "norm", [(dt, shape, v)], lambda x: torch.linalg.vector_norm(x, float(p)), p=p, dims="", keepdim=0)
            case(f"norm_d1_{dt}_{v}", "norm", [(dt, shape, v)], lambda x: x.norm(2, 1), p="2", dims="1", keepdim=0)
            case(f"lse_{dt}_{v}", "logsumexp", [(dt, shape, v)], lambda x: x.logsumexp(1), dims="1", keepdim=0)
            case(f"lse_all_{dt}_{v}", "logsumexp", [(dt, shape, v)], lambda x: x.logsumexp((0, 1), keepdim=True), dims="0,1", keepdim=1)
            case(f"softmax_{dt}_{v}", "softmax", [(dt, shape, v)], lambda x: x.softmax(0), dim=0)
            case(f"logsoftmax_{dt}_{v}", "log_softmax", [(dt, shape, v)], lambda x: x.log_softmax(-1), dim=-1)

# ---- 3-d, several dims, 0-d and empty ----
case("sum_3d_02", "sum", [("float32", (2, 3, 4), "t")], lambda x: x.sum((0, 2)), dims="0,2", keepdim=0)
case("sum_3d_neg", "sum", [("int64", (2, 3, 4), "c")], lambda x: x.sum((-1, -3), keepdim=True), dims="-1,-3", keepdim=1)
case("amax_3d", "amax", [("float64", (2, 3, 4), "s")], lambda x: x.amax((1, 2)), dims="1,2", keepdim=0)
case("var_3d", "var", [("float64", (2, 3, 4), "c")], lambda x: x.var((0, 2), correction=2), dims="0,2", correction=2, keepdim=0)
case("softmax_3d", "softmax", [("float32", (2, 3, 4), "t")], lambda x: x.softmax(1), dim=1)
case("cumsum_3d", "cumsum", [("float64", (2, 3, 4), "c")], lambda x: x.cumsum(-2), dim=-2)
case("sum_0d", "sum", [("float32", (), "c")], lambda x: x.sum())
case("sum_0d_dim", "sum", [("float32", (), "c")], lambda x: x.sum(0), dims="0", keepdim=0)
case("max_0d", "max", [("float64", (), "c")], lambda x: x.max())
case("softmax_0d", "softmax", [("float32", (), "c")], lambda x: x.softmax(0), dim=0)
case("cumsum_0d", "cumsum", [("int64", (), "c")], lambda x: x.cumsum(0), dim=0)
case("sum_empty", "sum", [("float32", (0, 3), "c")], lambda x: x.sum())
case("sum_empty_d0", "sum", [("float32", (0, 3), "c")], lambda x: x.sum(0), dims="0", keepdim=0)
case("prod_empty", "prod", [("int64", (0,), "c")], lambda x: x.prod())
case("mean_empty", "mean", [("float32", (0,), "c")], lambda x: x.mean())
case("max_dim_empty_outer", "max_dim", [("float32", (0, 3), "c")], lambda x: tuple(x.max(1)), dim=1, keepdim=0)
case("all_empty", "all", [("bool", (0,), "c")], lambda x: x.all(0), dim=0)
case("any_empty", "any", [("bool", (0,), "c")], lambda x: x.any(0), dim=0)
case("norm_empty", "norm", [("float32", (0,), "c")], lambda x: x.norm(), p="2", dims="", keepdim=0)
case("lse_empty", "logsumexp", [("float32", (0,), "c")], lambda x: x.logsumexp(0), dims="0", keepdim=0)

# ---- NaN / inf / ties ----
nan = torch.tensor([[1.0, float("nan"), 3.0], [2.0, 5.0, float("nan")]])
case("max_nan", "max_dim", [("float32", nan)], lambda x: tuple(x.max(1)), dim=1, keepdim=0)
case("amin_nan", "amin", [("float32", nan)], lambda x: x.amin(0), dims="0", keepdim=0)
case("argmax_nan", "argmax", [("float32", nan)], lambda x: x.argmax())
ties = torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
case("max_ties", "max_dim", [("float32", ties)], lambda x: tuple(x.max(1)), dim=1, keepdim=0)
big = torch.tensor([[1000.0, 1000.5, -1000.0], [-float("inf"), 0.0, 1.0]], dtype=torch.float64)
case("lse_big", "logsumexp", [("float64", big)], lambda x: x.logsumexp(1), dims="1", keepdim=0)
case("softmax_big", "softmax", [("float64", big)], lambda x: x.softmax(1), dim=1)
case("logsoftmax_big", "log_softmax", [("float64", big)], lambda x: x.log_softmax(1), dim=1)

# ---- joining ----
case("cat_0", "cat", [("float32", (2, 3), "c"), ("float32", (1, 3), "c")], lambda a, b: torch.cat([a, b]), dim=0)
case("cat_1_views", "cat", [("float32", (3, 2), "t"), ("float32", (4, 2), "s"), ("float32", (1, 2), "e")],
     lambda a, b, c: torch.cat([a, b, c.transpose(0, 1)], 1), dim=1, third="t")
case("cat_promote", "cat", [("int64", (2, 2), "c"), ("float32", (2, 2), "c")], lambda a, b: torch.cat([a, b], -1), dim=-1)
case("cat_bool_int", "cat", [("bool", (2,), "c"), ("uint8", (2,), "c"), ("int8", (1,), "c")], lambda a, b, c: torch.cat([a, b, c]), dim=0)
case("cat_skip_empty", "cat", [("float32", (0,), "c"), ("float32", (2, 2), "c")], lambda a, b: torch.cat([a, b]), dim=0)
case("stack_0", "stack", [("float32", (2, 3), "c"), ("float32", (3, 2), "t")], lambda a, b: torch.stack([a, b]), dim=0)
case("stack_last", "stack", [("int64", (2, 3), "c"), ("int64", (2, 3), "c")], lambda a, b: torch.stack([a, b], -1), dim=-1)

# ---- indexing ----
idx = torch.tensor([[0, 2, 1, 0], [1, 1, 0, 2]])
case("gather_0", "gather", [("float32", (3, 4), "c"), ("int64", idx)], lambda x, i: x.gather(0, i), dim=0)
case("gather_1t", "gather", [("int64", (4, 3), "t"), ("int64", torch.tensor([[2, 0], [1, 1], [0, 3]]))],
     lambda x, i: x.gather(1, i), dim=1)
case("scatter_src", "scatter", [("float32", (3, 4), "c"), ("int64", torch.tensor([[0, 1, 2, 0]])), ("float32", (2, 4), "c")],
     lambda x, i, s: x.scatter(0, i, s), dim=0)
case("scatter_value", "scatter_value", [("float64", (3, 4), "s"), ("int64", torch.tensor([[3], [0]]))],
     lambda x, i: x.scatter(1, i, 7.5), dim=1, value=7.5)
case("scatter_add", "scatter_add", [("float32", (3, 4), "c"), ("int64", torch.tensor([[0, 0, 2, 0], [0, 1, 2, 2]])), ("float32", (2, 4), "c")],
     lambda x, i, s: x.scatter_add(0, i, s), dim=0)
case("scatter_add_int", "scatter_add", [("int64", (2, 3), "c"), ("int64", torch.tensor([[0, 0, 2, 1]])), ("int64", (1, 4), "c")],
     lambda x, i, s: x.scatter_add(1, i, s), dim=1)
case("index_select_0", "index_select", [("float32", (4, 3), "t"), ("int64", torch.tensor([2, 0, 2]))],
     lambda x, i: x.index_select(0, i), dim=0)
case("index_select_1", "index_select", [("int32", (3, 4), "c"), ("int32", torch.tensor([3, 1], dtype=torch.int32))],
     lambda x, i: x.index_select(-1, i), dim=-1)
mask = torch.tensor([[True, False, True, False], [False, False, False, True], [True, True, False, False]])
case("masked_fill", "masked_fill", [("float32", (3, 4), "c"), ("bool", mask)], lambda x, m: x.masked_fill(m, -2.5), value=-2.5)
case("masked_fill_bcast", "masked_fill", [("int64", (4, 3), "t"), ("bool", torch.tensor([True, False, True, True]))],
     lambda x, m: x.masked_fill(m, 9), value=9)
case("masked_select", "masked_select", [("float32", (3, 4), "c"), ("bool", mask)], lambda x, m: x.masked_select(m))
case("masked_select_bcast", "masked_select", [("float64", (1, 4), "e"), ("bool", mask)], lambda x, m: x.masked_select(m))
case("index_mask", "index", [("float32", (3, 4), "c"), ("bool", mask)], lambda x, m: x[m])
case("index_mask_rows", "index", [("int64", (3, 4), "c"), ("bool", torch.tensor([True, False, True]))], lambda x, m: x[m])
case("index_long", "index", [("float32", (4, 3), "t"), ("int64", torch.tensor([[2, -1], [0, 0]]))], lambda x, i: x[i])
case("index_put", "index_put", [("float32", (3, 4), "c"), ("int64", torch.tensor([2, 0])), ("float32", (1, 4), "c")],
     lambda x, i, v: x.clone().index_put_((i,), v), accumulate=0)
case("index_put_acc", "index_put", [("float64", (3, 2), "c"), ("int64", torch.tensor([1, 1, -1])), ("float64", (3, 2), "c")],
     lambda x, i, v: x.clone().index_put_((i,), v, accumulate=True), accumulate=1)
case("index_put_mask", "index_put", [("int64", (3, 4), "c"), ("bool", mask), ("int64", torch.tensor(5))],
     lambda x, m, v: x.clone().index_put_((m,), v), accumulate=0)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    f.write("\n".join(lines) + "\n")
print(len([l for l in lines if l.startswith("case")]), "cases ->", OUT)
