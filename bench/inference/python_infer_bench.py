#!/usr/bin/python3
"""The same sliding-window inference as strata_infer_bench, in python3-torch, on the same TorchScript and input.
Usage: python_infer_bench.py MODEL_DIR RAW_F32 X Y Z [--threads N] [--repeat N]"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models", "knee"))
from sliding_window import gaussian_weights, plan_tiles  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("raw")
    ap.add_argument("size", type=int, nargs=3)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tile-voxels", type=int, default=600_000)
    ap.add_argument("--tile-overlap", type=int, default=16)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    card = json.load(open(f"{args.model_dir}/model.json"))
    classes = card["output_channels"]
    X, Y, Z = args.size
    vol = torch.from_numpy(np.fromfile(args.raw, dtype=np.float32, count=X * Y * Z).reshape(Z, Y, X))
    (px, py, pz), (xs, ys, zs) = plan_tiles((X, Y, Z), args.tile_voxels, args.tile_overlap)
    Xp, Yp, Zp = max(X, px), max(Y, py), max(Z, pz)
    padded = torch.full((Zp, Yp, Xp), float(vol.min()))
    padded[:Z, :Y, :X] = vol
    t0 = time.time()
    model = torch.jit.load(f"{args.model_dir}/{card.get('file', 'model.pt')}").eval()
    load = time.time() - t0
    w = gaussian_weights((pz, py, px))
    times = []
    with torch.inference_mode():
        for _ in range(args.repeat):
            t0 = time.time()
            acc = torch.zeros((classes, Zp, Yp, Xp))
            for z in zs:
                for y in ys:
                    for x in xs:
                        out = model(padded[None, None, z:z + pz, y:y + py, x:x + px])
                        acc[:, z:z + pz, y:y + py, x:x + px] += torch.softmax(out, 1)[0] * w
            labels = acc.argmax(0)[:Z, :Y, :X]
            times.append(time.time() - t0)
    counts = torch.bincount(labels.flatten().to(torch.int64), minlength=256).tolist()
    print(json.dumps({"engine": "python", "threads": torch.get_num_threads(), "load_seconds": load, "seconds": times,
                      "best_seconds": min(times), "label_counts": counts}))


if __name__ == "__main__":
    main()
