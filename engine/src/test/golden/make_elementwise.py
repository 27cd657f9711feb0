#!/usr/bin/env python3
"""Golden values for jtensor's elementwise ops (binary, unary, comparisons, logical, where, clamp).

Run with a Python that has torch (Debian's /usr/bin/python3 has 1.13):
    /usr/bin/python3 engine/src/test/golden/make_elementwise.py
Writes engine/src/test/resources/golden/elementwise/cases.txt, one case per block:
    case NAME
    op OPNAME [PARAM...]
    input DTYPE SHAPE VIEW VALUES...      (values of the contiguous base, before the view)
    scalar KIND VALUE                     (a Java double or long operand)
    output DTYPE SHAPE VALUES...          (or: error MESSAGE)
VIEW is none | t (transpose the last two dims) | step (every 2nd row of dim 0) | expand:S0xS1...
"""
import math
import os
import torch

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), '..', 'resources', 'golden', 'elementwise', 'cases.txt')
DT = {'float32': torch.float32, 'float64': torch.float64, 'float16': torch.float16, 'bfloat16': torch.bfloat16,
      'int8': torch.int8, 'uint8': torch.uint8, 'int16': torch.int16, 'int32': torch.int32, 'int64': torch.int64,
      'bool': torch.bool}
NAME = {v: k for k, v in DT.items()}
lines = []


def fmt(v):
    if isinstance(v, bool):
        return '1' if v else '0'
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return repr(float(v))


def base_values(dtype, shape, kind):
    n = 1
    for s in shape:
        n *= s
    g = torch.Generator().manual_seed(len(lines) + 7)
    if dtype == torch.bool:
        return torch.randint(0, 2, (n,), generator=g).bool().reshape(shape)
    if not dtype.is_floating_point:
        lo, hi = (-20, 20) if dtype != torch.uint8 else (0, 40)
        if kind == 'nonzero':
            v = torch.randint(1, 10, (n,), generator=g) * (1 if dtype == torch.uint8 else (torch.randint(0, 2, (n,), generator=g) * 2 - 1))
        else:
            v = torch.randint(lo, hi, (n,), generator=g)
        return v.to(dtype).reshape(shape)
    v = torch.randn(n, generator=g, dtype=torch.float64) * 2
    if kind == 'positive':
        v = v.abs() + 0.1
    if kind == 'unit':
        v = torch.tanh(v) * 0.9
    if kind == 'special':
        v[:6] = torch.tensor([float('nan'), float('inf'), -float('inf'), 0.0, -0.0, 2.5])[:min(6, n)]
    if kind == 'halves':
        v = torch.tensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -3.7, 3.2, 1e-3][:n] + [0.0] * max(0, n - 10), dtype=torch.float64)
    return v.to(dtype).reshape(shape)


def view(t, v):
    if v == 'none':
        return t
    if v == 't':
        return t.transpose(-2, -1)
    if v == 'step':
        return t[::2]
    if v.startswith('expand:'):
        return t.expand(*[int(s) for s in v[7:].split('x')])
    raise ValueError(v)


def tensor_line(t, v):
    vals = t.reshape(-1).tolist()
    return 'input %s %s %s %s' % (NAME[t.dtype], ','.join(map(str, t.shape)) or '-', v, ' '.join(fmt(x) for x in vals))


def out_line(r):
    vals = r.reshape(-1).tolist()
    return 'output %s %s %s' % (NAME[r.dtype], ','.join(map(str, r.shape)) or '-', ' '.join(fmt(x) for x in vals))


def case(name, op, fn, inputs, scalar=None, params=()):
    """inputs: list of (dtype, base shape, view, kind)."""
    ts, block = [], ['case ' + name, 'op ' + ' '.join([op] + [str(p) for p in params])]
    for dtype, shape, v, kind in inputs:
        base = base_values(DT[dtype], shape, kind)
        block.append(tensor_line(base, v))
        ts.append(view(base, v))
    if scalar is not None:
        block.append('scalar %s %s' % ('long' if isinstance(scalar, int) else 'double', fmt(scalar)))
        ts.append(scalar)
    try:
        block.append(out_line(fn(*ts)))
    except Exception as e:  # noqa: BLE001 - the message is the golden value
        block.append('error ' + str(e).splitlines()[0])
    lines.extend(block + [''])


BIN = {'add': torch.add, 'sub': torch.sub, 'mul': torch.mul, 'div': torch.div, 'floorDiv': torch.floor_divide,
       'remainder': torch.remainder, 'pow': torch.pow, 'maximum': torch.maximum, 'minimum': torch.minimum,
       'atan2': torch.atan2, 'eq': torch.eq, 'ne': torch.ne, 'lt': torch.lt, 'le': torch.le, 'gt': torch.gt, 'ge': torch.ge,
       'logicalAnd': torch.logical_and, 'logicalOr': torch.logical_or, 'logicalXor': torch.logical_xor}
UN = {'neg': torch.neg, 'abs': torch.abs, 'sign': torch.sign, 'exp': torch.exp, 'expm1': torch.expm1, 'log': torch.log,
      'log1p': torch.log1p, 'log2': torch.log2, 'sqrt': torch.sqrt, 'rsqrt': torch.rsqrt, 'square': torch.square,
      'reciprocal': torch.reciprocal, 'sin': torch.sin, 'cos': torch.cos, 'tan': torch.tan, 'tanh': torch.tanh,
      'sigmoid': torch.sigmoid, 'relu': torch.relu, 'erf': torch.erf, 'gelu': torch.nn.functional.gelu,
      'silu': torch.nn.functional.silu, 'floor': torch.floor, 'ceil': torch.ceil, 'round': torch.round,
      'trunc': torch.trunc, 'isnan': torch.isnan, 'isinf': torch.isinf, 'isfinite': torch.isfinite,
      'logicalNot': torch.logical_not, 'nanToNum': torch.nan_to_num}
POSITIVE = {'log', 'log2', 'sqrt', 'rsqrt', 'log1p'}

# ---- binary: dtypes, layouts, broadcasting
for op, fn in BIN.items():
    kb = 'nonzero' if op in ('floorDiv', 'remainder') else ('positive' if op == 'pow' else 'any')
    ka = 'positive' if op == 'pow' else 'any'
    for dt in ['float32', 'float64', 'int64', 'int32', 'float16', 'bfloat16', 'bool', 'uint8']:
        if op in ('pow',) and dt in ('bool',):
            continue
        case('%s_%s' % (op, dt), op, fn, [(dt, (3, 4), 'none', ka), (dt, (3, 4), 'none', kb)])
    case(op + '_transposed', op, fn, [('float32', (4, 3), 't', ka), ('float32', (3, 4), 'none', kb)])
    case(op + '_step', op, fn, [('float64', (6, 3), 'step', ka), ('float64', (3, 3), 't', kb)])
    case(op + '_bcast', op, fn, [('float32', (2, 1, 4), 'none', ka), ('float32', (3, 1), 'none', kb)])
    case(op + '_expand', op, fn, [('float32', (1, 4), 'expand:3x4', ka), ('float32', (3, 4), 'none', kb)])
    case(op + '_0d', op, fn, [('float32', (), 'none', ka), ('float32', (), 'none', kb)])
    case(op + '_empty', op, fn, [('float32', (0, 3), 'none', ka), ('float32', (3,), 'none', kb)])
    case(op + '_mixed_int_float', op, fn, [('int64', (5,), 'none', 'positive' if op == 'pow' else ka), ('float32', (5,), 'none', kb)])
    case(op + '_mixed_u8_i8', op, fn, [('uint8', (5,), 'none', ka), ('int8', (5,), 'none', kb)])
    case(op + '_f16_bf16', op, fn, [('float16', (5,), 'none', ka), ('bfloat16', (5,), 'none', kb)])
    case(op + '_f32_0d_f64', op, fn, [('float32', (5,), 'none', ka), ('float64', (), 'none', kb)])
    case(op + '_i8_0d_i64', op, fn, [('int8', (5,), 'none', ka), ('int64', (), 'none', kb)])
    case(op + '_scalar_double', op, fn, [('float32', (2, 3), 'none', ka)], scalar=2.5)
    case(op + '_int_scalar_double', op, fn, [('int64', (2, 3), 'none', ka)], scalar=2.5)
    case(op + '_int_scalar_long', op, fn, [('int32', (2, 3), 'none', ka)], scalar=3)
    case(op + '_f16_scalar', op, fn, [('float16', (4,), 'none', ka)], scalar=1.25)
    case(op + '_special', op, fn, [('float32', (8,), 'none', 'special'), ('float32', (8,), 'none', 'special')])
case('add_alpha', 'add', lambda a, b: torch.add(a, b, alpha=2.5), [('float32', (3,), 'none', 'any'), ('float32', (3,), 'none', 'any')], params=(2.5,))
case('sub_alpha_int', 'sub', lambda a, b: torch.sub(a, b, alpha=3), [('int64', (3,), 'none', 'any'), ('int64', (3,), 'none', 'any')], params=(3,))
case('add_alpha_int_float', 'add', lambda a, b: torch.add(a, b, alpha=1.5), [('int64', (3,), 'none', 'any'), ('int64', (3,), 'none', 'any')], params=(1.5,))
case('sub_bool', 'sub', torch.sub, [('bool', (3,), 'none', 'any'), ('bool', (3,), 'none', 'any')])
case('floorDiv_int_zero', 'floorDiv', torch.floor_divide, [('int64', (3,), 'none', 'any'), ('int64', (3,), 'expand:3', 'zero')] if False else
     [('int64', (3,), 'none', 'any'), ('int64', (1,), 'expand:3', 'any')])
case('floorDiv_int_scalar_zero', 'floorDiv', torch.floor_divide, [('int64', (3,), 'none', 'any')], scalar=0)
case('remainder_int_scalar_zero', 'remainder', torch.remainder, [('int64', (3,), 'none', 'any')], scalar=0)
case('div_int_zero', 'div', torch.div, [('int64', (4,), 'none', 'any')], scalar=0)
case('pow_int_negative', 'pow', torch.pow, [('int64', (3,), 'none', 'any')], scalar=-1)
case('bcast_error', 'add', torch.add, [('float32', (2, 3), 'none', 'any'), ('float32', (4,), 'none', 'any')])

# ---- unary
for op, fn in UN.items():
    kind = 'positive' if op in POSITIVE else 'any'
    for dt in ['float32', 'float64', 'int64', 'bool', 'float16', 'bfloat16', 'int8']:
        case('%s_%s' % (op, dt), op, fn, [(dt, (3, 4), 'none', kind)])
    case(op + '_transposed', op, fn, [('float32', (4, 3), 't', kind)])
    case(op + '_step', op, fn, [('float64', (6, 2), 'step', kind)])
    case(op + '_expand', op, fn, [('float32', (1, 3), 'expand:2x3', kind)])
    case(op + '_0d', op, fn, [('float32', (), 'none', kind)])
    case(op + '_empty', op, fn, [('float32', (0, 2), 'none', kind)])
    case(op + '_special', op, fn, [('float32', (8,), 'none', 'special')])
case('round_halves', 'round', torch.round, [('float32', (10,), 'none', 'halves')])
case('round_halves_f64', 'round', torch.round, [('float64', (10,), 'none', 'halves')])
case('gelu_tanh', 'gelu', lambda x: torch.nn.functional.gelu(x, approximate='tanh'), [('float32', (3, 4), 'none', 'any')], params=('tanh',))
case('gelu_tanh_f64', 'gelu', lambda x: torch.nn.functional.gelu(x, approximate='tanh'), [('float64', (3, 4), 'none', 'any')], params=('tanh',))
case('nanToNum_args', 'nanToNum', lambda x: torch.nan_to_num(x, nan=1.5, posinf=7.0, neginf=-9.0), [('float32', (8,), 'none', 'special')], params=(1.5, 7.0, -9.0))
for dt in ['float32', 'float64', 'int64', 'float16']:
    case('clamp_' + dt, 'clamp', lambda x: torch.clamp(x, -0.5, 1.0), [(dt, (3, 4), 'none', 'any')], params=(-0.5, 1.0))
case('clamp_min_only', 'clamp', lambda x: torch.clamp(x, min=0.25), [('float32', (3, 4), 'none', 'any')], params=(0.25, 'none'))
case('clamp_max_only', 'clamp', lambda x: torch.clamp(x, max=0.25), [('float32', (3, 4), 'none', 'any')], params=('none', 0.25))
case('clamp_crossed', 'clamp', lambda x: torch.clamp(x, 1.0, -1.0), [('float32', (6,), 'none', 'any')], params=(1.0, -1.0))
case('clamp_special', 'clamp', lambda x: torch.clamp(x, -1.0, 1.0), [('float32', (8,), 'none', 'special')], params=(-1.0, 1.0))
case('clamp_transposed', 'clamp', lambda x: torch.clamp(x, -1.0, 1.0), [('float64', (4, 3), 't', 'any')], params=(-1.0, 1.0))

# ---- where
for dt in ['float32', 'int64', 'float64']:
    case('where_' + dt, 'where', torch.where, [('bool', (3, 4), 'none', 'any'), (dt, (3, 4), 'none', 'any'), (dt, (3, 4), 'none', 'any')])
case('where_bcast', 'where', torch.where, [('bool', (3, 1), 'none', 'any'), ('float32', (1, 4), 'none', 'any'), ('float64', (4,), 'none', 'any')])
case('where_transposed', 'where', torch.where, [('bool', (4, 3), 't', 'any'), ('float32', (3, 4), 'none', 'any'), ('float32', (4, 3), 't', 'any')])
case('where_mixed', 'where', torch.where, [('bool', (5,), 'none', 'any'), ('int64', (5,), 'none', 'any'), ('float32', (5,), 'none', 'any')])
case('where_scalar', 'where', torch.where, [('bool', (5,), 'none', 'any'), ('int64', (5,), 'none', 'any')], scalar=2.5)

with open(OUT, 'w') as f:
    f.write('# generated by engine/src/test/golden/make_elementwise.py with torch %s; do not edit\n' % torch.__version__)
    f.write('\n'.join(lines))
print('wrote', OUT, sum(1 for l in lines if l.startswith('case ')), 'cases')
