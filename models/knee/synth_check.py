#!/usr/bin/python3
"""Smoke check of the domain randomisation (synth.py), CPU, no test framework: exits non-zero on a failed check.

Usage: models/knee/synth_check.py --phantom-raw build/tools/strata-knee-phantom-raw [--data /tmp/synth-check]
       [--png DIR]   (mid-slice montages of synthesised samples, to look at)
"""
import argparse
import os
import struct
import subprocess
import sys
import time
import zlib

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402

FAILED = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        FAILED.append(what)


def write_png(path, img):
    """8-bit greyscale PNG from a 2D array (scaled by its 0.5 / 99.5 percentiles)."""
    lo, hi = np.percentile(img, [0.5, 99.5])
    a = (np.clip((img - lo) / max(hi - lo, 1e-6), 0, 1) * 255).astype(np.uint8)
    raw = b"".join(b"\x00" + row.tobytes() for row in a)
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", a.shape[1], a.shape[0], 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def tile(images, cols, pad=2):
    """Montage of 2D arrays, each scaled to 0..1 on its own."""
    h = max(i.shape[0] for i in images)
    w = max(i.shape[1] for i in images)
    rows = (len(images) + cols - 1) // cols
    out = np.zeros((rows * (h + pad), cols * (w + pad)), np.float32)
    for k, im in enumerate(images):
        lo, hi = np.percentile(im, [0.5, 99.5])
        r, c = divmod(k, cols)
        out[r * (h + pad):r * (h + pad) + im.shape[0], c * (w + pad):c * (w + pad) + im.shape[1]] = \
            np.clip((im - lo) / max(hi - lo, 1e-6), 0, 1)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--phantom-raw", required=True)
    ap.add_argument("--data", default="/tmp/synth-check")
    ap.add_argument("--png", help="folder for the montages")
    ap.add_argument("--patch", type=int, nargs=3, default=[64, 96, 96])
    args = ap.parse_args()
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    case = os.path.join(args.data, "seed1000")
    if not os.path.exists(os.path.join(case, "tissue.u8")):
        subprocess.run([args.phantom_raw, "--seed", "1000", "--out", case, "--tissues"], check=True,
                       stdout=subprocess.DEVNULL)
    gen = synth.load_gen(case)
    lab = np.fromfile(os.path.join(case, "labels.u8"), np.uint8).reshape(gen.shape)
    tissue = np.fromfile(os.path.join(case, "tissue.u8"), np.uint8).reshape(gen.shape)

    # generation map
    check(gen.dtype == np.uint8 and gen.max() == 15, "generation map: uint8, ids 0..15")
    cls = np.array(synth.GEN_TO_CLASS, np.uint8)[gen]
    check(np.array_equal(cls, np.where(lab > 9, 0, lab)), "generation map -> model classes == phantom labels (0..9)")
    check(((gen >= 13) == ((tissue == 1) & (lab >= 1) & (lab <= 3))).all(), "cortex classes 13..15 == cortical bone")
    approx = synth.gen_map(lab, None)
    both = ((approx >= 13) & (gen >= 13)).sum() / max(1, (gen >= 13).sum())
    print(f"      fallback cortex (no tissue map): {both:.0%} of the true cortex covered", flush=True)

    # mirroring: z is left-right (medial tibial plate at low z in the right knee), swap 5<->6, 8<->9
    z5, z6 = np.nonzero(lab == 5)[0].mean(), np.nonzero(lab == 6)[0].mean()
    check(z5 < z6 - 30, f"phantom's medial tibial plate lies at lower z ({z5:.0f}) than the lateral ({z6:.0f})")
    t = torch.from_numpy(gen)
    m = synth.mirror(t, swap=True).numpy()
    swap = np.array(synth.MIRROR_SWAP, np.uint8)
    check(np.array_equal(m, swap[gen[::-1]]), "mirror: flips axis z and swaps ids 5<->6, 8<->9")
    counts, mcounts = np.bincount(gen.ravel(), minlength=16), np.bincount(m.ravel(), minlength=16)
    check(mcounts[5] == counts[6] and mcounts[6] == counts[5] and mcounts[8] == counts[9] and mcounts[9] == counts[8]
          and mcounts[4] == counts[4], "mirror: voxel counts of 5/6 and 8/9 exchanged, others kept")
    mz5 = np.nonzero(m == 5)[0].mean()
    check(abs(mz5 - z5) < 15, f"mirror+swap keeps labels positional: medial plate still at low z ({mz5:.0f})")
    k = synth.mirror(t, swap=False).numpy()
    check(np.nonzero(k == 5)[0].mean() > z6 - 15, "mirror without swap: the medial plate moves to high z")

    # resolution: blurs along the chosen axis only (stripes along one axis, degrade each axis in turn)
    shape = (64, 64, 64)
    for axis in range(3):
        for stripes in range(3):
            idx = np.indices(shape)[stripes]
            vol = np.where((idx // 6) % 2 == 0, 10, 11).astype(np.uint8)  # fluid / muscle
            spacing = list(synth.SPACING_ZYX)
            spacing[axis] = 3.0
            p = synth.fixed_params(synth.HELD_OUT_PRESETS["t2fs"], spacing, noise=0.0, bias=0.0)
            p["pv_sigma"], p["sd"] = 0.0, torch.zeros(synth.GEN_CLASSES)
            img = synth.render(torch.from_numpy(vol.astype(np.int64))[None], [p], torch.Generator().manual_seed(0))
            ref = np.where(vol == 10, float(p["mean"][10]), float(p["mean"][11]))
            diff = float(np.abs(img[0, 0].numpy() - ref).max())
            if axis == stripes:
                check(diff > 0.2 * abs(ref.max() - ref.min()), f"3 mm along axis {axis}: stripes along {stripes} blurred "
                      f"(max change {diff:.3f})")
            else:
                check(diff < 1e-4, f"3 mm along axis {axis}: stripes along {stripes} untouched (max change {diff:.1e})")

    # held-out contrasts are never drawn in training
    drawn = {p["contrast"] for p in synth.draw_params(400, torch.Generator().manual_seed(3))}
    check(not set(synth.HELD_OUT_PRESETS) & (set(synth.PRESETS) | drawn) and drawn == set(synth.PRESETS) | {"random"},
          f"training draws {sorted(drawn)}, never the held-out {sorted(synth.HELD_OUT_PRESETS)}")

    # training batches: shapes, dtypes, labels independent of the contrast draws, determinism
    def batch(spatial_seed, contrast_seed, n=3, mirror_p=0.5):
        sampler = synth.SynthSampler([gen], args.patch, torch.device("cpu"), torch.Generator().manual_seed(spatial_seed),
                                     mirror="swap")  # the mirror path with its id swap, drawn half the time
        sampler.mirror_p = mirror_p
        return synth.synth_batch(sampler, n, torch.Generator().manual_seed(contrast_seed),
                                 torch.Generator().manual_seed(contrast_seed + 1))
    t0 = time.time()
    img1, lab1 = batch(1, 10)
    dt = time.time() - t0
    img2, lab2 = batch(1, 10)
    img3, lab3 = batch(1, 20)
    check(img1.dtype == torch.float32 and img1.shape == (3, 1, *args.patch), f"image float32 {tuple(img1.shape)}")
    check(lab1.dtype == torch.int64 and lab1.shape == (3, *args.patch) and int(lab1.max()) <= 9 and int(lab1.min()) >= 0,
          f"labels int64 {tuple(lab1.shape)}, classes 0..9")
    check(bool(torch.isfinite(img1).all()) and abs(float(img1.mean())) < 0.05 and abs(float(img1.std()) - 1) < 0.05,
          f"normalised: mean {float(img1.mean()):+.3f}, sd {float(img1.std()):.3f}")
    check(torch.equal(img1, img2) and torch.equal(lab1, lab2), "same seeds -> bit-identical batch")
    check(torch.equal(lab1, lab3) and not torch.equal(img1, img3),
          "other contrast seed -> same labels, other image (labels unchanged by intensity randomisation)")
    fg = [(lab1[i] > 0).float().mean().item() for i in range(3)]
    check(all(f > 0.01 for f in fg), f"patches hold structures (foreground fractions {', '.join(f'{f:.2f}' for f in fg)})")
    print(f"      {dt:.2f} s for a batch of 3 {tuple(args.patch)} patches on CPU", flush=True)

    if args.png:
        os.makedirs(args.png, exist_ok=True)
        g, dg = torch.Generator().manual_seed(5), torch.Generator().manual_seed(6)
        sampler = synth.SynthSampler([gen], (96, 160, 160), torch.device("cpu"), torch.Generator().manual_seed(7))
        imgs, labs, names = [], [], []
        for i in range(12):
            gb, fov = sampler.sample(1)
            params = synth.draw_params(1, g)
            im = synth.normalise(synth.render(gb, params, dg, fov))
            imgs.append(im[0, 0, im.shape[2] // 2].numpy())
            labs.append(np.array(synth.GEN_TO_CLASS)[gb[0, gb.shape[1] // 2].numpy()].astype(np.float32))
            p = params[0]
            names.append(f"{p['contrast']} {'x'.join(f'{v:.1f}' for v in p['spacing'])} mm")
        write_png(os.path.join(args.png, "synth_samples.png"), tile(imgs, 4))
        write_png(os.path.join(args.png, "synth_labels.png"), tile(labs, 4))
        print("      synth_samples.png (row-major, mid-z slices, each P to the right, I down): " + "; ".join(names))
        held = []
        for v in synth.VALIDATION[:4]:
            vol = synth.render_volume(gen, synth.HELD_OUT_PRESETS[v["contrast"]], v["spacing_zyx"], v["noise"])
            held.append(vol[vol.shape[0] // 2 - 25])
        own = np.fromfile(os.path.join(case, "image.u16"), np.uint16).reshape(gen.shape).astype(np.float32)
        held.append(own[own.shape[0] // 2 - 25])
        write_png(os.path.join(args.png, "heldout_contrasts.png"), tile(held, 5))
        print("      heldout_contrasts.png: " + "; ".join(f"{v['contrast']} {v['spacing_zyx']}" for v in synth.VALIDATION)
              + "; the phantom's own image")

    print("all checks passed" if not FAILED else f"{len(FAILED)} check(s) FAILED", flush=True)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
