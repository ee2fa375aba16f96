#!/usr/bin/env python3
"""PyTorch peer of `edgeseg-train bench`: the same U-Net (two 3x3 conv+BN+ReLU per level, max-pool, bottleneck,
2x2 stride-2 transposed convolution or bilinear up-sampling, concatenation, 1x1 head), the same step (zero grad,
forward, cross-entropy, backward, SGD with momentum 0.9 and weight decay 1e-4) on random data, CPU, a given number
of threads. Prints one JSON line: forward_ms, backward_ms, step_ms (medians), images_per_second, step_cpu_s (process CPU time
of a step, all threads), torch version.

Needs Debian's python3-torch (python3 -c 'import torch'); the bench reports when it is absent.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class DoubleConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


class UNet(nn.Module):
    def __init__(self, depth, base, classes, bilinear):
        super().__init__()
        self.depth, self.bilinear = depth, bilinear
        self.encoders = nn.ModuleList()
        cin = 3
        for i in range(depth):
            self.encoders.append(DoubleConv(cin, base << i))
            cin = base << i
        self.bottleneck = DoubleConv(cin, base << depth)
        self.ups = nn.ModuleList()
        self.decoders = nn.ModuleList()
        for j in range(depth):
            level = depth - 1 - j
            below, skip = base << (level + 1), base << level
            if bilinear:
                self.decoders.append(DoubleConv(below + skip, skip))
            else:
                self.ups.append(nn.ConvTranspose2d(below, skip, 2, stride=2))
                self.decoders.append(DoubleConv(2 * skip, skip))
        self.head = nn.Conv2d(base, classes, 1)

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        m = 1 << self.depth
        x = F.pad(x, (0, (-w) % m, 0, (-h) % m))
        skips = []
        for enc in self.encoders:
            x = enc(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.bottleneck(x)
        for j, dec in enumerate(self.decoders):
            skip = skips[self.depth - 1 - j]
            x = F.interpolate(x, size=skip.shape[2:], mode="bilinear", align_corners=False) if self.bilinear else self.ups[j](x)
            x = dec(torch.cat([skip, x], 1))
        return self.head(x)[:, :, :h, :w]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--depth", type=int, default=4)
    p.add_argument("--base", type=int, default=32)
    p.add_argument("--classes", type=int, default=5)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--height", type=int, default=256)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--bilinear", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = UNet(a.depth, a.base, a.classes, a.bilinear).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    x = torch.randn(a.batch, 3, a.height, a.width)
    y = torch.randint(0, a.classes, (a.batch, a.height, a.width))
    fwd, bwd, step, cpu = [], [], [], []
    for s in range(a.warmup + a.steps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=False)
        loss = F.cross_entropy(model(x), y)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        t3 = time.perf_counter()
        if s >= a.warmup:
            fwd.append((t1 - t0) * 1e3)
            bwd.append((t2 - t1) * 1e3)
            step.append((t3 - t0) * 1e3)
            cpu.append(time.process_time() - c0)
    step_ms = statistics.median(step)
    print(json.dumps({
        "forward_ms": statistics.median(fwd), "backward_ms": statistics.median(bwd), "step_ms": step_ms,
        "images_per_second": a.batch * 1000.0 / step_ms, "step_cpu_s": statistics.median(cpu), "torch": torch.__version__, "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
