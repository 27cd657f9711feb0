"""Golden values for the tensor core (issue 2): PyTorch's repr of many tensors, and its random streams.

Run with Debian's python3-torch:  /usr/bin/python3 engine/src/test/golden/make_core.py
Writes engine/src/test/resources/golden/core/{repr.tsv,random.tsv}. Each repr line is
  name <TAB> dtype <TAB> shape (comma separated) <TAB> flat values (repr, comma separated) <TAB> expected repr (\\n escaped)
"""
import math
import os
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "core")
os.makedirs(OUT, exist_ok=True)

DT = {torch.float32: "FLOAT32", torch.float64: "FLOAT64", torch.float16: "FLOAT16", torch.bfloat16: "BFLOAT16",
      torch.int8: "INT8", torch.uint8: "UINT8", torch.int16: "INT16", torch.int32: "INT32", torch.int64: "INT64",
      torch.bool: "BOOL"}


def flat(t):
    if t.dtype == torch.bool:
        return ",".join("1" if v else "0" for v in t.reshape(-1).tolist())
    if t.dtype.is_floating_point:
        return ",".join(repr(float(v)) for v in t.double().reshape(-1).tolist())
    return ",".join(str(int(v)) for v in t.reshape(-1).tolist())


cases = []
def case(name, t):
    cases.append((name, t))

torch.manual_seed(0)
case("scalar_float", torch.tensor(4.))
case("scalar_neg_half", torch.tensor(-0.5))
case("scalar_small", torch.tensor(1e-5))
case("scalar_big", torch.tensor(123456789.))
case("scalar_nan", torch.tensor(float("nan")))
case("scalar_inf", torch.tensor(float("-inf")))
case("scalar_int", torch.tensor(7))
case("scalar_bool", torch.tensor(True))
case("scalar_f64", torch.tensor(2.5, dtype=torch.float64))
case("vector_ints_as_float", torch.tensor([1.0, 2, 3, 4]))
case("vector_mixed", torch.tensor([0.1, -2.25, 3.0, 1000.5]))
case("vector_sci", torch.tensor([1e-5, 1.0, 1e5]))
case("vector_bigint_float", torch.tensor([1.0, 2e9]))
case("vector_nan_inf", torch.tensor([1.5, float("nan"), float("inf"), -float("inf")]))
case("vector_int_nan", torch.tensor([1.0, float("nan"), 2.0]))
case("vector_zeros", torch.zeros(3))
case("vector_negzero", torch.tensor([-0.0, 0.0, 1.0]))
case("matrix_int", torch.tensor([[5, 6], [7, 8], [9, 10]]))
case("matrix_neg_int", torch.tensor([[-5, 600], [7, -8]]))
case("cube_int", torch.tensor([[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]]))
case("randn_3x4", torch.randn(3, 4))
case("rand_2x3x4", torch.rand(2, 3, 4))
case("wrap_line", torch.randn(30))
case("wrap_ints", torch.arange(40))
case("bool_vec", torch.tensor([True, False, True]))
case("int8", torch.tensor([1, -2, 3], dtype=torch.int8))
case("uint8", torch.tensor([1, 2, 255], dtype=torch.uint8))
case("int16", torch.tensor([[1, -2], [3, 4]], dtype=torch.int16))
case("int32", torch.tensor([1, -2, 3], dtype=torch.int32))
case("float64_vec", torch.tensor([1.5, 2.25, -3.125], dtype=torch.float64))
case("float16_vec", torch.tensor([1.5, 2.25, -3.1], dtype=torch.float16))
case("bfloat16_vec", torch.tensor([1.5, 2.25, -3.1], dtype=torch.bfloat16))
case("float64_ints", torch.tensor([1.0, 2.0], dtype=torch.float64))
case("summarised_1d", torch.arange(2000).float() / 7)
case("summarised_2d", torch.arange(2000).reshape(40, 50))
case("summarised_3d", torch.randn(10, 10, 20))
case("summarised_bool", torch.arange(1500) % 3 == 0)
case("empty_1d", torch.zeros(0))
case("empty_2d", torch.zeros(0, 3))
case("empty_3d_int", torch.zeros(2, 0, 1, dtype=torch.int64))
case("empty_f64", torch.zeros(0, dtype=torch.float64))
case("arange_float", torch.arange(0, 1, 0.1))
case("linspace", torch.linspace(-1, 1, 7))
case("eye", torch.eye(3))
case("large_values", torch.tensor([123456.789, 0.5]))
case("tiny_values", torch.tensor([0.00012, 0.5]))
case("ratio_1000", torch.tensor([0.5, 600.0]))
case("ratio_over_1000", torch.tensor([0.5, 600.25, 0.001]))
case("row_5d", torch.ones(1, 2, 1, 2, 1))

with open(os.path.join(OUT, "repr.tsv"), "w") as f:
    for name, t in cases:
        shape = ",".join(str(s) for s in t.shape)
        f.write("\t".join([name, DT[t.dtype], shape, flat(t), repr(t).replace("\\", "\\\\").replace("\n", "\\n")]) + "\n")

# Random streams: generator draws for fixed seeds.
lines = []
def rcase(name, t):
    lines.append("\t".join([name, DT[t.dtype], ",".join(str(s) for s in t.shape), flat(t)]))

torch.manual_seed(42); rcase("rand_42_3", torch.rand(3))
torch.manual_seed(42); rcase("randn_42_3", torch.randn(3))
torch.manual_seed(42); rcase("randn_42_20", torch.randn(20))
torch.manual_seed(42); rcase("randn_42_16", torch.randn(4, 4))
torch.manual_seed(7); rcase("rand_7_f64_5", torch.rand(5, dtype=torch.float64))
torch.manual_seed(7); rcase("randn_7_f64_5", torch.randn(5, dtype=torch.float64))
torch.manual_seed(7); rcase("randn_7_f64_33", torch.randn(33, dtype=torch.float64))
torch.manual_seed(3); rcase("randint_3_0_10_8", torch.randint(0, 10, (8,)))
torch.manual_seed(3); rcase("randint_3_m5_5_6", torch.randint(-5, 5, (6,)))
torch.manual_seed(0); a = torch.rand(2); b = torch.randn(5); rcase("seq_rand_then_randn", torch.cat([a, b]))
rcase("default_seed_note", torch.tensor([0.0]))
with open(os.path.join(OUT, "random.tsv"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("wrote", len(cases), "repr cases and", len(lines), "random cases; torch", torch.__version__)
