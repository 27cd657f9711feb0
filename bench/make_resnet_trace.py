"""The TorchScript file of issue 22's DJL row, made at benchmark time (never committed): torchvision 0.14's resnet18
(default init, eval mode) traced by torch.jit.trace on a 1x3x224x224 input, saved to bench/target/resnet18_traced.pt,
which DjlCnnBench loads with DJL's PyTorch engine (libtorch 2.5.1 reads TorchScript saved by 1.13).
    /usr/bin/python3 bench/make_resnet_trace.py [output path]
"""
import os
import sys
import torch
import torchvision

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "target", "resnet18_traced.pt")
os.makedirs(os.path.dirname(out), exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.resnet18().eval()
with torch.no_grad():
    traced = torch.jit.trace(model, torch.randn(1, 3, 224, 224))
traced.save(out)
print(f"wrote {out} ({os.path.getsize(out)} bytes)")
