"""PyTorch 1.13 figures for LstmBench's rows (issue 23): a character LSTM (embedding 128, nn.LSTM of 2 layers x 256
units, batch first, a linear head over 65 characters), batch 32 x 64 steps, float32 on the CPU. Rows, median of timed
repeats after warm-up:
  trainStep  forward, cross entropy, backward, Adam(lr=1e-3)   ms per step
  forward    the same forward under no_grad                      ms per batch
    /usr/bin/python3 bench/torch_lstm_bench.py [threads]
"""
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, EMBED, HIDDEN, LAYERS, BATCH, STEPS = 65, 128, 256, 2, 32, 64


class CharLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, EMBED)
        self.lstm = nn.LSTM(EMBED, HIDDEN, LAYERS, batch_first=True)
        self.head = nn.Linear(HIDDEN, VOCAB)

    def forward(self, x):
        return self.head(self.lstm(self.embed(x))[0])


def median_ms(fn, warm=2, reps=5, min_s=2.0):
    for _ in range(warm):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < reps or time.perf_counter() - start < min_s:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    torch.manual_seed(0)
    model = CharLstm()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randint(0, VOCAB, (BATCH, STEPS))
    y = torch.randint(0, VOCAB, (BATCH, STEPS))
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, LSTM {LAYERS} x {HIDDEN}, batch {BATCH} x {STEPS}")

    def step():
        loss = F.cross_entropy(model(x).reshape(-1, VOCAB), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    first = step()
    assert abs(first - math.log(VOCAB)) < 0.5, first
    print(f"trainStep: {median_ms(step):.3f} ms")

    def forward():
        with torch.no_grad():
            return model(x)

    print(f"forward: {median_ms(forward):.3f} ms")


if __name__ == "__main__":
    main()
