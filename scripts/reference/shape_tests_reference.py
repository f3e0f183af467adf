#!/usr/bin/env python3
"""The PyTorch side of Tests/ParamCountCoreTests/ShapeTests.swift and ShapeFileTests.swift.

Prints, for the small models those tests build, the output shape (without the batch), the parameter
count and FlopCounterMode's total halved (multiply-accumulates), and checks that PyTorch refuses the
layer settings the tests expect paramcount to report as errors (printing PyTorch's own message).

  pip install torch==2.15.0
  python3 scripts/reference/shape_tests_reference.py

Run with torch 2.15.0 (Python 3.11). Nothing is downloaded; only the tests' comments quote it.
"""

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode


def measure(name, module, *shape):
    module.eval()
    x = torch.zeros(1, *shape)
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        y = module(x)
    params = sum(p.numel() for p in module.parameters())
    flops = counter.get_total_flops()
    assert flops % 2 == 0
    print(f"{name}: output {list(y.shape[1:])}, params {params:,}, MACs {flops // 2:,}")


def refused(name, make, *shape):
    try:
        module = make()
        module(torch.zeros(1, *shape))
    except Exception as e:  # noqa: BLE001 - any refusal is what we look for
        print(f"{name}: refused: {type(e).__name__}: {str(e).splitlines()[0][:160]}")
        return
    raise SystemExit(f"{name}: PyTorch accepted it")


print("torch", torch.__version__)

# One kernel size for every spatial dimension: a conv with dims 1 and with dims 3.
measure("Conv1d(2, 4, 3) on [2, 100]", nn.Conv1d(2, 4, 3), 2, 100)
measure("Conv3d(1, 2, 3) on [1, 8, 8, 8]", nn.Conv3d(1, 2, 3), 1, 8, 8, 8)
# A transposed 1-D conv with kernel 2 grows the length by one; stride 2 and output_padding 1.
measure("ConvTranspose1d(4, 4, 2) on [4, 8]", nn.ConvTranspose1d(4, 4, 2), 4, 8)
measure("ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1) on [4, 5, 5]",
        nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1), 4, 5, 5)
# A group of Conv2d(4, 4, 3) applied four times to 9x9: 7, 5, 3, 1; a fifth is refused below.
measure("4 x Conv2d(4, 4, 3) on [4, 9, 9]", nn.Sequential(*[nn.Conv2d(4, 4, 3) for _ in range(4)]), 4, 9, 9)
# Pools and padding the tests round-trip through files.
measure("Conv2d(3, 8, 3, stride=(2, 1), padding=(1, 2), dilation=2) on [3, 32, 32]",
        nn.Conv2d(3, 8, 3, stride=(2, 1), padding=(1, 2), dilation=2), 3, 32, 32)
measure("Conv2d(3, 8, 4, padding='same') on [3, 32, 32]", nn.Conv2d(3, 8, 4, padding="same"), 3, 32, 32)
measure("MaxPool2d(3, stride=2, padding=1) on [8, 32, 32]", nn.MaxPool2d(3, stride=2, padding=1), 8, 32, 32)
# ShapeFileTests' file with every new field: [8, 15, 32], [8, 15, 32], [8, 13, 30], [8, 7, 15],
# [4, 14, 30], [4, 2, 3], [24], [10].
measure("every new field", nn.Sequential(
    nn.Conv2d(3, 8, 3, stride=(2, 1), padding=(1, 2), dilation=2),
    nn.Conv2d(8, 8, 4, padding="same"),
    nn.Conv2d(8, 8, 3, padding="valid"),
    nn.MaxPool2d(3, stride=2, padding=1),
    nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1),
    nn.AdaptiveAvgPool2d((2, 3)),
    nn.Flatten(),
    nn.Linear(24, 10),
), 3, 32, 32)

# What paramcount must refuse.
refused("Conv2d(3, 8, 7, padding=1) on 4x4 (kernel larger than the padded input)",
        lambda: nn.Conv2d(3, 8, 7, padding=1), 3, 4, 4)
refused("Conv2d(3, 8, 3, dilation=3) on 6x6 (dilated span 7)", lambda: nn.Conv2d(3, 8, 3, dilation=3), 3, 6, 6)
refused("ConvTranspose2d(4, 4, 3, padding=2) on 2x2 (output size 0)",
        lambda: nn.ConvTranspose2d(4, 4, 3, padding=2), 4, 2, 2)
refused("a fifth Conv2d(4, 4, 3) on 1x1", lambda: nn.Conv2d(4, 4, 3), 4, 1, 1)
refused("Conv2d(4, 8, 3) on [3, 32, 32] (in disagrees)", lambda: nn.Conv2d(4, 8, 3), 3, 32, 32)
refused("Conv2d(3, 8, 3, stride=2, padding='same')", lambda: nn.Conv2d(3, 8, 3, stride=2, padding="same"), 3, 8, 8)
refused("ConvTranspose2d(4, 4, 3, stride=2, output_padding=2)",
        lambda: nn.ConvTranspose2d(4, 4, 3, stride=2, output_padding=2), 4, 8, 8)
refused("MaxPool2d(3, padding=2) (padding over half the kernel)", lambda: nn.MaxPool2d(3, padding=2), 8, 8, 8)
refused("Conv3d on [3, 32, 32] (kernel list of 3 on 2 spatial sizes)", lambda: nn.Conv3d(3, 8, (3, 3, 3)), 3, 32, 32)


class Add(nn.Module):
    def __init__(self, a, b):
        super().__init__()
        self.a, self.b = a, b

    def forward(self, x):
        return self.a(x) + self.b(x)


class Cat(Add):
    def forward(self, x):
        return torch.cat([self.a(x), self.b(x)], dim=1)


refused("parallel add of [8, 8, 8] and [8, 16, 16]", lambda: Add(nn.Conv2d(8, 8, 3, stride=2, padding=1), nn.Identity()), 8, 16, 16)
refused("parallel concat of [4, 16, 16] and [4, 14, 14]", lambda: Cat(nn.Conv2d(8, 4, 3, padding=1), nn.Conv2d(8, 4, 3)), 8, 16, 16)
