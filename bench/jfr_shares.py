"""Shares of a JFR profile of GptStepProfileMain by category (issue 23's GPT step profile in bench/RESULTS.md).

Reads `jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 64 FILE.jfr` output; a sample
counts in the first category whose class/method names occur in its stack (worker-pool samples carry only the kernel's
frames, so the composite ops' worker time falls into "other elementwise/reduce"); parked threads and the model's setup
are left out. Shares only: the machine is shared, so absolute counts are noise.
    python3 bench/jfr_shares.py gpt.json [more.json ...]
"""
import json,collections,sys
def fname(f):
    m=f['method']; t=m['type']['name'].replace('/','.'); return t.split('.')[-1]+'.'+m['name']
CATS=[('setup (model init, not a step)',['CpuRandom','Init.','CharGpt.<init>']),
 ('GELU backward',['Pointwise.geluBackward','Pointwise.geluDerivative','NativeNorms.gelu','CpuNorms.gelu']),
 ('layer norm fwd+bwd',['LayerNorms.layerNorm','LayerNorms.lambda$fused','LayerNorms.fused','LayerNorms.formula','Activations.layerNorm','NativeNorms.layerNorm','CpuNorms.layerNorm']),
 ('attention kernel fwd+bwd',['ScaledDotProductAttention.lambda','NativeAttention','CpuAttention']),
 ('copies (contiguous/transposes)',['Movement.copyAs','CpuCopy']),
 ('matmul (BLAS gemm)',['CpuLinalg','MatmulForward','Blas.']),
 ('optimizer (AdamW)',['AdamW.','Adam.','Optimizer.','NativeSteps','CpuOptimizerSteps']),
 ('grad clipping',['GradClipping.']),
 ('cross entropy',['ClassLosses','crossEntropy']),
 ('other elementwise/reduce',['Elementwise.','Reduce.','CpuReduce','CpuFloatLoops','SimdFloatLoops','NativeElementwise','CpuLoops','CpuSum']),
]
def run(path):
    d=json.load(open(path)); c=collections.Counter(); n=0
    for e in d['recording']['events']:
        st=e['values'].get('stackTrace')
        if not st or not st['frames']: continue
        names=[fname(f) for f in st['frames']]
        if any('park' in x.lower() for x in names[:4]): continue
        n+=1; s=' '.join(names)
        for cat,keys in CATS:
            if any(k in s for k in keys): c[cat]+=1; break
        else: c['rest (autograd engine, allocation, JIT, ...)']+=1
    return n,c
for p in sys.argv[1:]:
    n,c=run(p); setup=c['setup (model init, not a step)']; m=n-setup
    print(p, 'samples in steps', m)
    for k,v in c.most_common():
        if k.startswith('setup'): continue
        print(f'  {100*v/m:5.1f}%  {v:5d}  {k}')
