#!/usr/bin/env python3
"""Expected parameter counts for model files that use `group` and `parallel`.

Each case is a paramcount model file (written here) and the PyTorch module that computes the same
thing, built from torch.nn and torchvision's own blocks. The script writes both into
Tests/ParamCountFilesTests/Fixtures/reference/groups/ (cases/*.yaml and expected.json).

  pip install torch torchvision
  python3 scripts/reference/groups_reference.py

Generated with torch 2.15.0 and torchvision 0.29.2 (Python 3.11); the versions actually used are
written into expected.json. Only this script needs Python: `swift test` reads what it writes.

total = sum(p.numel() for p in module.parameters()); trainable = the same over parameters with
requires_grad; non_trainable = the rest. BatchNorm's running statistics are buffers, not parameters.
"""

import json
import os
import platform

import torch
import torchvision
from torch import nn
from torchvision.models.densenet import _DenseBlock
from torchvision.models.googlenet import Inception
from torchvision.models.resnet import BasicBlock, Bottleneck, conv1x1

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "ParamCountFilesTests", "Fixtures", "reference", "groups")


def counts(module):
    total = sum(p.numel() for p in module.parameters())
    trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
    return {"total": total, "trainable": trainable, "non_trainable": total - trainable}


CASES = []


def case(name, yaml, module, source, note=""):
    CASES.append((name, yaml, module, source, note))


# 1. torchvision's BasicBlock with a strided downsample: a parallel whose branches end at the same
#    width, added.
case("basic-block-downsample.yaml", """\
name: BasicBlock 64->128 with downsample
convention: pytorch
layers:
  - kind: parallel
    name: layer2.0
    branches:
      - - kind: conv
          name: conv1
          in: 64
          out: 128
          kernel: 3
          bias: false
        - kind: batchnorm
          name: bn1
        - kind: conv
          name: conv2
          out: 128
          kernel: 3
          bias: false
        - kind: batchnorm
          name: bn2
      - - kind: conv
          name: downsample.0
          in: 64
          out: 128
          kernel: 1
          bias: false
        - kind: batchnorm
          name: downsample.1
""", BasicBlock(64, 128, stride=2, downsample=nn.Sequential(conv1x1(64, 128, 2), nn.BatchNorm2d(128))),
    "torchvision.models.resnet.BasicBlock(64, 128, stride=2, downsample=nn.Sequential(conv1x1(64, 128, 2), nn.BatchNorm2d(128)))")

# 2. A bottleneck beside the identity, repeated: the group's widths stay, so every repetition counts alike.
case("bottleneck-identity-x3.yaml", """\
name: three Bottlenecks 256 -> 256, identity shortcut
convention: pytorch
layers:
  - kind: conv
    name: stem
    in: 3
    out: 256
    kernel: 1
  - kind: group
    name: layer1.1-3
    repeat: 3
    layers:
      - kind: parallel
        branches:
          - - kind: conv
              name: conv1
              out: 64
              kernel: 1
              bias: false
            - kind: batchnorm
              name: bn1
            - kind: conv
              name: conv2
              out: 64
              kernel: 3
              bias: false
            - kind: batchnorm
              name: bn2
            - kind: conv
              name: conv3
              out: 256
              kernel: 1
              bias: false
            - kind: batchnorm
              name: bn3
          - []
""", nn.Sequential(nn.Conv2d(3, 256, 1), *[Bottleneck(256, 64) for _ in range(3)]),
    "nn.Sequential(nn.Conv2d(3, 256, 1), *[torchvision.models.resnet.Bottleneck(256, 64) for _ in range(3)])")

# 3. GoogLeNet's inception block 3a: four branches joined; the layer after it reads their summed width.
case("inception-3a-concat.yaml", """\
name: Inception 3a, then a 1x1 conv over the joined channels
convention: pytorch
layers:
  - kind: parallel
    name: inception3a
    merge: concat
    branches:
      - - kind: conv
          name: branch1.conv
          in: 192
          out: 64
          kernel: 1
          bias: false
        - kind: batchnorm
          name: branch1.bn
      - - kind: conv
          name: branch2.0.conv
          in: 192
          out: 96
          kernel: 1
          bias: false
        - kind: batchnorm
          name: branch2.0.bn
        - kind: conv
          name: branch2.1.conv
          out: 128
          kernel: 3
          bias: false
        - kind: batchnorm
          name: branch2.1.bn
      - - kind: conv
          name: branch3.0.conv
          in: 192
          out: 16
          kernel: 1
          bias: false
        - kind: batchnorm
          name: branch3.0.bn
        - kind: conv
          name: branch3.1.conv
          out: 32
          kernel: 3
          bias: false
        - kind: batchnorm
          name: branch3.1.bn
      - - kind: conv
          name: branch4.1.conv
          in: 192
          out: 32
          kernel: 1
          bias: false
        - kind: batchnorm
          name: branch4.1.bn
  - kind: conv
    name: after
    out: 10
    kernel: 1
""", nn.Sequential(Inception(192, 64, 96, 128, 16, 32, 32), nn.Conv2d(256, 10, 1)),
    "nn.Sequential(torchvision.models.googlenet.Inception(192, 64, 96, 128, 16, 32, 32), nn.Conv2d(256, 10, 1))",
    "torchvision's branch 3 uses a 3x3 kernel (a known departure from the paper's 5x5)")

# 4. DenseNet's dense block: each layer joins its input with 32 new channels, so every repetition
#    reads a wider input and counts differently.
case("dense-block-growing.yaml", """\
name: DenseNet block, 6 layers, growth 32
convention: pytorch
layers:
  - kind: batchnorm
    name: entry
    features: 64
  - kind: group
    name: denseblock1
    repeat: 6
    layers:
      - kind: parallel
        merge: concat
        branches:
          - []
          - - kind: batchnorm
              name: norm1
            - kind: conv
              name: conv1
              out: 128
              kernel: 1
              bias: false
            - kind: batchnorm
              name: norm2
            - kind: conv
              name: conv2
              out: 32
              kernel: 3
              bias: false
  - kind: batchnorm
    name: transition.norm
""", nn.Sequential(nn.BatchNorm2d(64),
                   _DenseBlock(num_layers=6, num_input_features=64, bn_size=4, growth_rate=32, drop_rate=0),
                   nn.BatchNorm2d(64 + 6 * 32)),
    "nn.Sequential(nn.BatchNorm2d(64), torchvision.models._DenseBlock(num_layers=6, num_input_features=64, "
    "bn_size=4, growth_rate=32, drop_rate=0), nn.BatchNorm2d(256))",
    "a parallel of the identity and the new layer, joined, is DenseNet's torch.cat([x, new], 1)")


def frozen_case():
    body = nn.Sequential(nn.Linear(16, 16), nn.LayerNorm(16), nn.Linear(16, 16), nn.LayerNorm(16))
    body.requires_grad_(False)
    return nn.Sequential(nn.Linear(8, 16), body, nn.Linear(16, 4))


# 5. trainable: false on a group freezes everything inside it.
case("frozen-group.yaml", """\
name: a frozen block between two trained layers
convention: pytorch
layers:
  - kind: dense
    in: 8
    out: 16
  - kind: group
    name: backbone
    repeat: 2
    trainable: false
    layers:
      - kind: dense
        out: 16
      - kind: layernorm
  - kind: dense
    out: 4
""", frozen_case(),
    "nn.Sequential(nn.Linear(8, 16), nn.Sequential(nn.Linear(16, 16), nn.LayerNorm(16), nn.Linear(16, 16), "
    "nn.LayerNorm(16)).requires_grad_(False), nn.Linear(16, 4))")


class Branches(nn.Module):
    """Runs each branch on the same input and adds (or joins) the results."""

    def __init__(self, branches, concat=False):
        super().__init__()
        self.branches = nn.ModuleList(branches)
        self.concat = concat

    def forward(self, x):
        ys = [b(x) for b in self.branches]
        return torch.cat(ys, -1) if self.concat else sum(ys)


# 6. A parallel inside a parallel inside a repeated group, with an identity branch at each level.
case("nested-parallel.yaml", """\
name: parallels inside a repeated group
convention: pytorch
layers:
  - kind: dense
    in: 12
    out: 20
  - kind: group
    name: blocks
    repeat: 2
    layers:
      - kind: parallel
        branches:
          - []
          - - kind: layernorm
            - kind: parallel
              merge: concat
              branches:
                - - kind: dense
                    out: 8
                - - kind: dense
                    out: 12
                    bias: false
            - kind: dense
              out: 20
  - kind: rmsnorm
""", nn.Sequential(
    nn.Linear(12, 20),
    *[Branches([nn.Identity(), nn.Sequential(nn.LayerNorm(20),
                                             Branches([nn.Linear(20, 8), nn.Linear(20, 12, bias=False)], concat=True),
                                             nn.Linear(20, 20))]) for _ in range(2)],
    nn.RMSNorm(20)),
    "nn.Sequential(nn.Linear(12, 20), *[Branches([nn.Identity(), nn.Sequential(nn.LayerNorm(20), "
    "Branches([nn.Linear(20, 8), nn.Linear(20, 12, bias=False)], concat=True), nn.Linear(20, 20))]) for _ in range(2)], "
    "nn.RMSNorm(20)); Branches adds (or concatenates) its branches' outputs")


def main():
    os.makedirs(os.path.join(OUT, "cases"), exist_ok=True)
    expected = {}
    for name, yaml, module, source, note in CASES:
        with open(os.path.join(OUT, "cases", name), "w") as f:
            f.write(yaml)
        entry = counts(module)
        entry["source"] = source
        if note:
            entry["note"] = note
        expected[name] = entry
    expected["_generated_with"] = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")
    for name in expected:
        if not name.startswith("_"):
            print(f"{name:32} {expected[name]['total']:>12,}")


if __name__ == "__main__":
    main()
