"""The problem sizes that several benchmarks time, so that their tables compare like with like.

Conv shapes are ``(x shape N, C, H, W), (w shape F, C, KH, KW), padding``: LeNet's two layers on
MNIST-sized input and a CIFAR-sized 5x5 layer; matmul sizes are the side of square matrices.
"""

from __future__ import annotations

CONV_SHAPES = [
    ((64, 1, 28, 28), (8, 1, 3, 3), 1),
    ((64, 8, 14, 14), (16, 8, 3, 3), 1),
    ((32, 3, 32, 32), (32, 3, 5, 5), 0),
]
MATMUL_SIZES = [256, 512, 1024]
