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


def _round8(v):
    return (v + 7) // 8 * 8


def _tile_for(length, n, overlap):
    if n == 1:
        return _round8(length)
    return _round8((length + (n - 1) * overlap + n - 1) // n)


def _spread(length, tile, n):
    span = max(0, length - tile)
    return [0] if n == 1 else [(span * i + (n - 1) // 2) // (n - 1) for i in range(n)]


def plan_tiles(size_xyz, max_voxels, min_overlap=16):
    """Same plan as planTiles() in core/src/inference/SlidingWindow.cpp: returns (tile_xyz, starts_xyz)."""
    best = None
    for nx in range(1, 17):
        for ny in range(1, 17):
            for nz in range(1, 17):
                n = (nx, ny, nz)
                t, ok = [], True
                for a in range(3):
                    t.append(min(_tile_for(size_xyz[a], n[a], min_overlap), _round8(size_xyz[a])))
                    if n[a] > 1 and _tile_for(size_xyz[a], n[a] - 1, min_overlap) == t[a]:
                        ok = False
                vox = t[0] * t[1] * t[2]
                if not ok or vox > max_voxels:
                    continue
                count = nx * ny * nz
                key = (vox * count, count)
                if best is None or key < best[0]:
                    best = (key, tuple(t), [_spread(max(size_xyz[a], t[a]), t[a], n[a]) for a in range(3)])
    return best[1], best[2]
