#!/usr/bin/python3
"""Golden values for jtensor's linear algebra (LinalgTest), made with PyTorch (/usr/bin/python3, torch 1.13).

Writes engine/src/test/resources/golden/linalg/cases.tsv, one case per line, tab-separated:
  name, op, dtype, beta, alpha,
  then three input slots (shape, values, recipe; empty slot = unused),
  out shape, out values, upstream gradient values, grad of each input (float64 cases only), grad_fn name.
A recipe turns the stored base tensor into the operand, identically here and in the Java test:
  ''            the base itself
  'mT'          base.mT (transposed view)
  'step0:2'     base[::2] (a step slice of dim 0), 'step1:2' base[:, ::2], 'step-1:2' base[..., ::2]
  'expand:5,2,3' base.expand(5, 2, 3) (stride-0 dims)
Values are written with repr() of the float64 (exact for float32/16 inputs, which are drawn in their dtype).
float16/bfloat16: CPU torch 1.13 has no half matmul, so the expected values are the float32 product of the
same inputs rounded to the dtype, which is what jtensor computes (float32 through BLAS, rounded back).
Run: /usr/bin/python3 engine/src/test/golden/make_linalg.py
"""
import os
import torch

torch.manual_seed(1234)
OUT = os.path.join(os.path.dirname(__file__), '..', 'resources', 'golden', 'linalg', 'cases.tsv')
DT = {'FLOAT32': torch.float32, 'FLOAT64': torch.float64, 'FLOAT16': torch.float16, 'BFLOAT16': torch.bfloat16,
      'INT64': torch.int64, 'INT32': torch.int32, 'INT16': torch.int16, 'INT8': torch.int8, 'UINT8': torch.uint8}


def base_shape(shape, recipe):
    if recipe == 'mT':
        return shape[:-2] + [shape[-1], shape[-2]]
    if recipe.startswith('step'):
        dim, step = recipe[4:].split(':')
        dim, step = int(dim), int(step)
        s = list(shape)
        s[dim] = s[dim] * step - (step - 1) if s[dim] > 0 else 0
        return s
    if recipe.startswith('expand:'):
        return [1 if i < len(shape) - 2 else d for i, d in enumerate(shape)] if len(shape) > 2 else [1] + shape[1:]
    return shape


def apply(base, recipe):
    if recipe == 'mT':
        return base.mT
    if recipe.startswith('step'):
        dim, step = recipe[4:].split(':')
        idx = [slice(None)] * base.dim()
        idx[int(dim)] = slice(None, None, int(step))
        return base[tuple(idx)]
    if recipe.startswith('expand:'):
        return base.expand(*[int(x) for x in recipe[7:].split(',')])
    return base


def draw(shape, dtype):
    if dtype.is_floating_point:
        return torch.randn(shape, dtype=torch.float64).to(dtype)
    lo, hi = (0, 6) if dtype == torch.uint8 else (-5, 6)
    return torch.randint(lo, hi, shape, dtype=dtype)


def fmt(t):
    return ','.join(repr(float(v)) if t.dtype.is_floating_point else str(int(v)) for v in t.detach().reshape(-1).tolist())


def compute(op, ins, beta, alpha, dtype):
    half = dtype in (torch.float16, torch.bfloat16)
    xs = [x.float() if half else x for x in ins]
    f = {'dot': torch.dot, 'mv': torch.mv, 'mm': torch.mm, 'matmul': torch.matmul, 'bmm': torch.bmm, 'outer': torch.outer,
         'addmm': lambda i, a, b: torch.addmm(i, a, b, beta=beta, alpha=alpha),
         'baddbmm': lambda i, a, b: torch.baddbmm(i, a, b, beta=beta, alpha=alpha)}[op]
    r = f(*xs)
    return r.to(dtype) if half else r


rows = []


def case(name, op, dtype, shapes, recipes=None, beta=1.0, alpha=1.0):
    dt = DT[dtype]
    recipes = recipes or [''] * len(shapes)
    bases = [draw(base_shape(list(s), r), dt) for s, r in zip(shapes, recipes)]
    grad = dt == torch.float64
    ins = [apply(b.clone().requires_grad_(grad), r) for b, r in zip(bases, recipes)]
    out = compute(op, ins, beta, alpha, dt)
    gout, grads, fn = '', ['', '', ''], ''
    if grad:
        g = torch.randn(out.shape, dtype=torch.float64)
        leaves = [apply(b.clone().requires_grad_(True), r) for b, r in zip(bases, recipes)]
        for l in leaves:
            l.retain_grad()
        o = compute(op, leaves, beta, alpha, dt)
        fn = o.grad_fn.name()
        o.backward(g)
        gout = fmt(g)
        grads = [fmt(l.grad) for l in leaves] + [''] * (3 - len(leaves))
    slots = []
    for i in range(3):
        if i < len(shapes):
            slots += [','.join(map(str, base_shape(list(shapes[i]), recipes[i]))), fmt(bases[i]), recipes[i]]
        else:
            slots += ['', '', '']
    rows.append([name, op, dtype, repr(beta), repr(alpha)] + slots
                + [','.join(map(str, out.shape)), fmt(out), gout] + grads + [fn])


MATMUL_SHAPES = [
    ([3], [3]), ([2, 3], [3]), ([3], [3, 4]), ([2, 3], [3, 4]), ([5, 2, 3], [3, 4]), ([5, 2, 3], [3]),
    ([3], [5, 3, 4]), ([2, 3], [5, 3, 4]), ([5, 2, 3], [5, 3, 4]), ([5, 1, 2, 3], [7, 3, 4]), ([5, 2, 3], [1, 3, 4]),
    ([2, 1, 4, 3], [3, 3, 5]), ([1, 3], [3, 1]), ([3, 1], [1, 4]), ([4, 2, 5], [2, 4, 5, 1]),
]
for dtype in ['FLOAT32', 'FLOAT64', 'INT64']:
    for a, b in MATMUL_SHAPES:
        case('matmul_%s_%s_%s' % (dtype, 'x'.join(map(str, a)), 'x'.join(map(str, b))), 'matmul', dtype, [a, b])
for dtype in ['INT32', 'INT16', 'INT8', 'UINT8', 'FLOAT16', 'BFLOAT16']:
    case('matmul_%s_2x3_3x4' % dtype, 'matmul', dtype, [[2, 3], [3, 4]])
    case('matmul_%s_5x2x3_3' % dtype, 'matmul', dtype, [[5, 2, 3], [3]])

# empty dims: m = 0 gives an empty result, k = 0 gives zeros (64x64 reaches native, pooled memory)
for a, b in [([0, 3], [3, 4]), ([2, 0], [0, 4]), ([2, 3], [3, 0]), ([0, 2, 3], [3, 4]), ([64, 0], [0, 64]),
             ([0], [0]), ([3, 0], [0]), ([2, 64, 0], [0, 64])]:
    for dtype in ['FLOAT32', 'INT64']:
        case('empty_%s_%s_%s' % (dtype, 'x'.join(map(str, a)), 'x'.join(map(str, b))), 'matmul', dtype, [a, b])

# strided operands: transposed (no copy), row-step slices (no copy), column-step slices and expands (copy)
STRIDED = [
    ('mT_a', [6, 5], [5, 7], ['mT', '']), ('mT_b', [6, 5], [5, 7], ['', 'mT']), ('mT_both', [6, 5], [5, 7], ['mT', 'mT']),
    ('rowstep_a', [3, 4], [4, 5], ['step0:2', '']), ('colstep_a', [3, 4], [4, 5], ['step1:2', '']),
    ('rowstep_b', [3, 4], [4, 5], ['', 'step0:3']), ('colstep_b', [3, 4], [4, 5], ['', 'step1:2']),
    ('batch_mT', [4, 3, 5], [4, 5, 2], ['mT', 'mT']), ('batch_expand', [4, 2, 3], [4, 3, 5], ['expand:4,2,3', '']),
    ('mv_mT', [4, 6], [6], ['mT', '']), ('mv_vecstep', [4, 6], [6], ['', 'step0:2']),
    ('vec_mT_b', [6], [6, 3], ['', 'mT']), ('large_mT_a', [20, 70], [70, 9], ['mT', '']),
]
for name, a, b, rec in STRIDED:
    for dtype in ['FLOAT32', 'FLOAT64', 'INT64']:
        case('strided_%s_%s' % (name, dtype), 'matmul', dtype, [a, b], rec)

for dtype in ['FLOAT32', 'FLOAT64', 'INT64']:
    case('dot_%s' % dtype, 'dot', dtype, [[7], [7]])
    case('mv_%s' % dtype, 'mv', dtype, [[3, 7], [7]])
    case('mm_%s' % dtype, 'mm', dtype, [[3, 7], [7, 2]])
    case('mm_big_%s' % dtype, 'mm', dtype, [[33, 65], [65, 17]])
    case('bmm_%s' % dtype, 'bmm', dtype, [[3, 2, 4], [3, 4, 5]])
    case('outer_%s' % dtype, 'outer', dtype, [[3], [4]])
    case('addmm_%s' % dtype, 'addmm', dtype, [[2, 3], [2, 4], [4, 3]])
    case('addmm_bias_%s' % dtype, 'addmm', dtype, [[3], [2, 4], [4, 3]], beta=1.0 if dtype == 'INT64' else 0.5,
         alpha=2.0)
    case('addmm_beta0_%s' % dtype, 'addmm', dtype, [[1, 3], [2, 4], [4, 3]], beta=0.0, alpha=3.0)
    case('baddbmm_%s' % dtype, 'baddbmm', dtype, [[3, 2, 5], [3, 2, 4], [3, 4, 5]], beta=2.0, alpha=1.0 if dtype == 'INT64' else 0.5)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    for r in rows:
        f.write('\t'.join(r) + '\n')
print(len(rows), 'cases ->', os.path.normpath(OUT))
