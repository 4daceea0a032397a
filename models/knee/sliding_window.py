"""Sliding-window tiling and Gaussian blending, identical to the C++ engine (core/src/inference/SlidingWindow.cpp)."""
import math

import torch


def tile_starts(length, tile, overlap):
    """Start offsets of tiles covering [0, length); the last tile ends exactly at length."""
    step = max(1, int(math.floor(tile * (1 - overlap))))
    starts, s = [], 0
    while True:
        if s + tile >= length:
            starts.append(length - tile)
            return starts
        starts.append(s)
        s += step


def gaussian_weights(shape):
    """Importance weights of a tile (z, y, x): sigma = size / 8, peak 1, floor 1e-3."""
    axes = []
    for n in shape:
        c, sigma = (n - 1) / 2, n / 8
        axes.append(torch.exp(-0.5 * ((torch.arange(n, dtype=torch.float64) - c) / sigma) ** 2))
    return (axes[0][:, None, None] * axes[1][None, :, None] * axes[2][None, None, :]).clamp(min=1e-3).float()
