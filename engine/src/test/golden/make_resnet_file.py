"""A real torch.save file of torchvision 0.14's resnet18 state dict, small enough to commit (issue 22), and what PyTorch
1.13 computes with it.

Run with Debian's python3-torch:  /usr/bin/python3 engine/src/test/golden/make_resnet_file.py
Writes engine/src/test/resources/golden/cnn/:
  resnet18_views.pt   torch.save(state_dict) of resnet18 (all 122 entries, torchvision's keys and shapes) whose
                      float tensors are overlapping strided views (torch.as_strided) into ONE float32 storage of
                      seeded values (a block per scale: sqrt(1 / fan_in) for each conv/linear fan-in, batch-norm
                      weights near 1, biases and running means near 0) plus a positive storage for the running
                      variances; torch.save writes each storage once and (offset, size, stride) per tensor, so the
                      11.7M-parameter state dict takes about 250 KB. num_batches_tracked are int64 scalars.
  resnet18_views.npz  what torchvision's model computes after load_state_dict of that file (load_state_dict copies,
                      so the model itself holds ordinary tensors): eval-mode logits of a 2x3x64x64 batch (the input is
                      make_cnn.py's uniform(2 * 3 * 64 * 64, 1000), rebuilt by the Java test), then one train-mode
                      forward + cross entropy (targets 3, 7) + backward: the loss, every parameter gradient's L2 norm in
                      named_parameters order, a few gradient slices and the updated running statistics of two layers.
"""
import collections
import os
import numpy as np
import torch
import torch.nn.functional as F
import torchvision

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "golden", "cnn")
BLOCK = 6144  # elements per scale block of the shared storage
VECTOR = 1024  # elements per block of 1-d entries


def uniform(n, k):
    """make_cnn.py's uniform: n values in [-1, 1) from splitmix64 of (i, k) (ResNetTest.uniform in Java)."""
    with np.errstate(over="ignore"):
        z = np.arange(n, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(k) * np.uint64(0xD1B54A32D192ED03)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(40)).astype(np.float64) / 2.0 ** 24 * 2 - 1


def primes_below(n):
    return [p for p in range(2, n) if all(p % q for q in range(2, int(p ** 0.5) + 1))]


PRIMES = primes_below(4096)


def strides_for(shape, room):
    """Overlapping strides for a weight [O, C, k...] within `room` elements: the kernel taps contiguous, C and O strided by
    two distinct primes (b < a) as large as fit, so neighbouring rows and columns differ but the view stays in its block."""
    inner = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    inner_strides = list(torch.empty(shape[2:]).stride()) if len(shape) > 2 else []
    d0, d1 = shape[0] - 1, shape[1] - 1
    best = None
    for i, b in enumerate(PRIMES[:-1]):
        a = PRIMES[i + 1]
        if d0 * a + d1 * b + inner <= room:
            best = (a, b)
    assert best is not None, shape
    return [best[0], best[1]] + inner_strides, d0 * best[0] + d1 * best[1] + inner


def build_state(model):
    rng = np.random.default_rng(22)
    keys = [(k, v) for k, v in model.state_dict().items()]
    fan_ins = sorted({int(np.prod(v.shape[1:])) for k, v in keys if v.dim() >= 2})
    blocks = {f: i for i, f in enumerate(fan_ins)}  # one block per fan-in, then weight/bias/mean blocks of 1-d entries
    vec0 = len(fan_ins) * BLOCK
    values = np.empty(vec0 + 3 * VECTOR, dtype=np.float32)
    for f, i in blocks.items():
        values[i * BLOCK:(i + 1) * BLOCK] = rng.uniform(-1, 1, BLOCK) * np.sqrt(3.0 / f)  # std sqrt(1 / fan_in)
    values[vec0:vec0 + VECTOR] = 1 + 0.2 * rng.uniform(-1, 1, VECTOR)  # batch-norm weights
    values[vec0 + VECTOR:vec0 + 2 * VECTOR] = 0.1 * rng.uniform(-1, 1, VECTOR)  # biases
    values[vec0 + 2 * VECTOR:] = 0.1 * rng.uniform(-1, 1, VECTOR)  # running means
    shared = torch.from_numpy(values)
    positive = torch.from_numpy((0.6 + 0.8 * rng.random(VECTOR)).astype(np.float32))  # running variances in [0.6, 1.4)
    state = collections.OrderedDict()
    for name, v in keys:
        if name.endswith("num_batches_tracked"):
            state[name] = torch.tensor(0, dtype=torch.int64)
        elif v.dim() >= 2:
            f = int(np.prod(v.shape[1:]))
            stride, span = strides_for(list(v.shape), BLOCK)
            offset = blocks[f] * BLOCK + int(rng.integers(0, BLOCK - span + 1))
            state[name] = torch.as_strided(shared, v.shape, stride, offset)
        else:
            n = v.shape[0]
            if name.endswith("running_var"):
                state[name] = torch.as_strided(positive, (n,), (1,), int(rng.integers(0, VECTOR - n + 1)))
                continue
            kind = 2 if name.endswith("running_mean") else 0 if name.endswith("weight") else 1
            start = vec0 + kind * VECTOR + int(rng.integers(0, VECTOR - n + 1))
            state[name] = torch.as_strided(shared, (n,), (1,), start)
    return state


def main():
    torch.manual_seed(0)
    model = torchvision.models.resnet18()
    state = build_state(model)
    path = os.path.join(OUT, "resnet18_views.pt")
    torch.save(state, path)
    model.load_state_dict(torch.load(path))
    x = torch.from_numpy(uniform(2 * 3 * 64 * 64, 1000).astype(np.float32)).reshape(2, 3, 64, 64)
    out = {}
    model.eval()
    with torch.no_grad():
        out["logits"] = model(x)
    model.train()
    loss = F.cross_entropy(model(x), torch.tensor([3, 7]))
    loss.backward()
    out["loss"] = loss.detach()
    named = list(model.named_parameters())
    out["grad_norms"] = torch.stack([p.grad.double().norm() for _, p in named])  # float64: a float32 norm of 512K elements is off by 2e-4
    out["conv1.weight.grad"] = model.conv1.weight.grad[:2].flatten()
    out["layer3.0.downsample.0.weight.grad"] = model.layer3[0].downsample[0].weight.grad[:4, :16].flatten()
    out["layer4.1.bn2.weight.grad"] = model.layer4[1].bn2.weight.grad[:32]
    out["fc.weight.grad"] = model.fc.weight.grad[:8, :32].flatten()
    out["fc.bias.grad"] = model.fc.bias.grad
    out["bn1.running_mean"] = model.bn1.running_mean
    out["bn1.running_var"] = model.bn1.running_var
    out["layer4.1.bn2.running_var"] = model.layer4[1].bn2.running_var
    np.savez(os.path.join(OUT, "resnet18_views.npz"), **{k: v.detach().numpy() for k, v in out.items()})

    # conditioning check: the same in float64 must agree far below the Java test's tolerances
    m64 = torchvision.models.resnet18().double()
    m64.load_state_dict({k: v.double() if v.is_floating_point() else v for k, v in torch.load(path).items()})
    m64.eval()
    with torch.no_grad():
        d = (m64(x.double()) - out["logits"].double()).abs().max().item()
    m64.train()
    loss64 = F.cross_entropy(m64(x.double()), torch.tensor([3, 7]))
    print(f"saved {os.path.getsize(path)} bytes; logits |max| {out['logits'].abs().max():.3f}, float32 vs float64 logits {d:.2e}; "
          f"loss {loss.item():.6f} vs float64 {loss64.item():.6f}")


if __name__ == "__main__":
    main()
