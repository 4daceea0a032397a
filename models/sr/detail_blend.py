#!/usr/bin/env python3
"""Chooses the superres pipeline's detail_blend on the held-out VALIDATION photos of finetune.py (never on the
quality test's images): PSNR gain over bicubic of the network's output mixed with bicubic by local contrast,
out = bicubic + min(1, c / t) (network - bicubic), c = SD of the bicubic image's luma over k x k pixels (the C++
blendDetail uses k = 3), for a grid of t, plus constant mixes for comparison.

    /usr/bin/python3 models/sr/detail_blend.py --images /tmp/sr-rgb [--models slim-x2,slim-x4,medium-x2,medium-x4]
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import finetune as ft  # noqa: E402


def local_contrast(bic, k):
    y = (0.299 * bic[:, 0] + 0.587 * bic[:, 1] + 0.114 * bic[:, 2])[:, None]
    m = F.avg_pool2d(y, k, 1, k // 2, count_include_pad=False)
    m2 = F.avg_pool2d(y * y, k, 1, k // 2, count_include_pad=False)
    return (m2 - m * m).clamp_min(0).sqrt()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", required=True, help="folder written by dump_rgb (index.txt + <name>.rgb)")
    ap.add_argument("--models", default="slim-x2,slim-x4,medium-x2,medium-x4")
    ap.add_argument("--model-root", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    torch.set_num_threads(2)
    images = ft.load_images(args.images)
    settings = [("network only", None, None)] + [(f"constant {c}", None, c) for c in (0.5, 0.7)] + \
               [(f"k={k} t={t}", k, t) for k in (3, 5) for t in (0.04, 0.08, 0.12, 0.2, 0.3)]
    for model in args.models.split(","):
        s = 4 if model.endswith("x4") else 2
        net = torch.jit.load(os.path.join(args.model_root, model, "model.pt")).eval()
        data = []
        with torch.no_grad():
            for name in ft.VALIDATION:
                im = images[name]
                _, h, w = im.shape
                y0, x0 = (h - 192) // 2, (w - 192) // 2
                hr = im[None, :, y0:y0 + 192, x0:x0 + 192].float() / 255.0
                lr = ft.degrade(hr, s)
                sr = net(lr).clamp(0, 1)
                bic = F.interpolate(lr, scale_factor=s, mode="bicubic", align_corners=False).clamp(0, 1)
                data.append((hr, sr, bic))
        for label, k, t in settings:
            gains = []
            for hr, sr, bic in data:
                if t is None:
                    out = sr
                elif k is None:
                    out = bic + t * (sr - bic)
                else:
                    out = bic + (local_contrast(bic, k) / t).clamp(max=1) * (sr - bic)
                q = lambda x: torch.round(x.clamp(0, 1) * 255) / 255  # noqa: E731
                gains.append(ft.psnr(q(out), hr, s) - ft.psnr(q(bic), hr, s))
            print(f"{model:10s} {label:14s} validation gain {sum(gains) / len(gains):+.3f} dB  "
                  + " ".join(f"{g:+.2f}" for g in gains), flush=True)


if __name__ == "__main__":
    main()
