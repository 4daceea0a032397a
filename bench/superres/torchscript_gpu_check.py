#!/usr/bin/env python3
"""GPU check of the super-resolution TorchScript models on a box with only CUDA PyTorch (the `device` tool's
machines have no Qt/ITK/OpenCV, so the C++ bench cannot run there): the torch 1.13 TorchScript files load in the
local torch, CUDA fp32 / fp16 agree with the CPU, and frames/s of the bare network on 768 x 576 frames (vtest.avi's
size) in batches, fp32 and fp16.

    python3 bench/superres/torchscript_gpu_check.py [--models slim-x2,slim-x4,medium-x2,medium-x4] [--batch 4]
"""
import argparse
import json
import os
import time

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models", "sr")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="slim-x2,slim-x4,medium-x2,medium-x4")
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--iters", type=int, default=10)
    args = ap.parse_args()
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    print("torch", torch.__version__, "device", torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu")
    torch.backends.cudnn.benchmark = True
    results = {}
    for name in args.models.split(","):
        m_cpu = torch.jit.load(os.path.join(ROOT, name, "model.pt"), map_location="cpu").eval()
        m = torch.jit.load(os.path.join(ROOT, name, "model.pt"), map_location=dev).eval()
        g = torch.Generator().manual_seed(0)
        small = torch.rand(1, 3, 40, 52, generator=g)
        with torch.no_grad():
            ref = m_cpu(small)
            out32 = m(small.to(dev)).cpu()
        r = {"max_abs_diff_fp32_vs_cpu": float((out32 - ref).abs().max())}
        x = torch.rand(args.batch, 3, 576, 768, device=dev)
        runs = [("fp32", m, x)]
        if dev.type == "cuda":
            mh = torch.jit.load(os.path.join(ROOT, name, "model.pt"), map_location=dev).eval().half()
            with torch.no_grad():
                out16 = mh(small.to(dev).half()).float().cpu()
            r["max_abs_diff_fp16_vs_cpu"] = float((out16 - ref).abs().max())
            runs.append(("fp16", mh, x.half()))
        for label, model, inp in runs:
            with torch.no_grad():
                for _ in range(2):
                    model(inp)
                if dev.type == "cuda":
                    torch.cuda.synchronize()
                t0 = time.perf_counter()
                for _ in range(args.iters):
                    model(inp)
                if dev.type == "cuda":
                    torch.cuda.synchronize()
                dt = time.perf_counter() - t0
            r[f"frames_per_s_{label}"] = round(args.batch * args.iters / dt, 2)
        if dev.type == "cuda":
            r["peak_mem_mib"] = round(torch.cuda.max_memory_allocated() / 2**20)
            torch.cuda.reset_peak_memory_stats()
        results[name] = r
        print(name, json.dumps(r))
    return results


if __name__ == "__main__":
    main()
