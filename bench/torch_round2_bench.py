"""PyTorch 1.13 (Debian's python3-torch, its OpenBLAS) figures for this round's rows, beside the JMH classes:
CnnBench (3x3 conv 64->64 on 56x56, ResNet-18 forward batch 1 / 32, train step batch 32), AttentionBench
(causal attention forward and forward+backward at [8, 12, L, 64]). Median of timed repeats after warm-up.
    /usr/bin/python3 bench/torch_round2_bench.py [threads] [attention length]
"""
import sys, time, statistics
import torch, torch.nn.functional as F, torchvision

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
length = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
torch.set_num_threads(threads)
torch.manual_seed(0)

def median_ms(fn, warm=2, reps=5, min_s=1.0):
    for _ in range(warm):
        fn()
    times = []
    t_end = time.perf_counter() + min_s
    while len(times) < reps or time.perf_counter() < t_end:
        t0 = time.perf_counter(); fn(); times.append((time.perf_counter() - t0) * 1e3)
        if len(times) >= 50: break
    return statistics.median(times)

print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, blas {torch.__config__.show().splitlines()[0] if False else ''}")
w = torch.randn(64, 64, 3, 3)
for batch in (1, 32):
    x = torch.randn(batch, 64, 56, 56)
    with torch.no_grad():
        print(f"conv3x3Batch{batch}: {median_ms(lambda: F.conv2d(x, w, padding=1)):.3f} ms")
model = torchvision.models.resnet18().eval()
for batch in (1, 32):
    x = torch.randn(batch, 3, 224, 224)
    with torch.no_grad():
        print(f"resnet18Batch{batch}: {median_ms(lambda: model(x), warm=1, reps=3):.3f} ms")
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
x = torch.randn(32, 3, 224, 224); y = torch.randint(0, 1000, (32,))
def step():
    opt.zero_grad(); loss = F.cross_entropy(model(x), y); loss.backward(); opt.step()
print(f"resnet18TrainStep32: {median_ms(step, warm=1, reps=3):.3f} ms")

q, k, v = (torch.randn(8, 12, length, 64, requires_grad=True) for _ in range(3))
g = torch.randn(8, 12, length, 64)
def attention(q, k, v):  # torch 1.13 has no F.scaled_dot_product_attention: the composite PyTorch users wrote
    s = q @ k.transpose(-2, -1) / 8.0
    s = s.masked_fill(torch.ones(length, length, dtype=torch.bool).triu(1), float("-inf"))
    return torch.softmax(s, -1) @ v
with torch.no_grad():
    print(f"attentionForward L={length}: {median_ms(lambda: attention(q, k, v), warm=1, reps=3):.3f} ms")
def fb():
    out = attention(q, k, v); torch.autograd.grad(out, (q, k, v), g)
print(f"attentionForwardBackward L={length}: {median_ms(fb, warm=1, reps=3):.3f} ms")
