#!/usr/bin/python3
"""Trains Strata's knee MRI segmentation model (compact 3D U-Net) on synthetic knee phantoms.

Reproducible from --seed: phantoms come from `strata-cli phantom` (bit-identical per seed), the sampler,
augmentation and initialisation use torch/numpy generators seeded from --seed, and training runs on CPU.

Data      : --train-seeds phantoms (256x256x160 @ 0.4x0.4x0.7 mm, sagittal DESS-like) whose SNR (12..40)
            and bias strength (0..0.35) vary with the seed; held-out validation phantoms use other seeds and
            other contrast/noise settings (see VALIDATION below). Nothing is downloaded.
Labels    : background(+fluid, muscle, fat), femur, tibia, patella, femoral / medial tibial / lateral tibial /
            patellar cartilage, medial / lateral meniscus (10 classes; ids as in the phantom).
Sampling  : patches centred on cartilage/menisci (50 %), on bone (30 %) or anywhere (20 %).
Augment   : intensity scale/shift, gamma contrast, Gaussian noise, multiplicative smooth bias field,
            rotation (+-15 deg), scaling (0.85..1.15), elastic deformation (smooth random displacement).
Loss      : cross-entropy + soft Dice; AdamW, cosine learning-rate decay.
Output    : model.pt (TorchScript) and model.json (card with sha256 and held-out accuracy) in --out.

Usage: models/knee/train.py --cli build/app/strata-cli --data /tmp/knee-data --out models/knee
"""
import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nifti import read_nifti  # noqa: E402
from sliding_window import gaussian_weights, tile_starts  # noqa: E402
from unet3d import UNet3D  # noqa: E402

CLASSES = 10
LABEL_NAMES = ["background", "femur", "tibia", "patella", "femoral_cartilage", "medial_tibial_cartilage",
               "lateral_tibial_cartilage", "patellar_cartilage", "medial_meniscus", "lateral_meniscus"]
TRAIN_PATCH = (56, 72, 72)   # z, y, x voxels (z is left-right: 39 mm of context to tell medial from lateral)
INFER_PATCH = (160, 256, 256)  # z, y, x voxels used by the C++ engine (model card patch_size is x, y, z)
INFER_OVERLAP = 0.25
# Held-out phantoms: seeds never used for training and settings outside the training distribution.
VALIDATION = [
    {"seed": 900001, "snr": 10.0, "bias": 0.30},
    {"seed": 900002, "snr": 45.0, "bias": 0.05},
    {"seed": 900003, "snr": 18.0, "bias": 0.40},
]


def phantom_settings(seed):
    rng = np.random.default_rng(seed)
    return {"snr": float(rng.uniform(12, 40)), "bias": float(rng.uniform(0.0, 0.35))}


def make_phantom(cli, data_dir, seed, snr, bias):
    out = os.path.join(data_dir, f"seed{seed}")
    if not os.path.exists(os.path.join(out, "ground_truth.json")):
        subprocess.run([cli, "phantom", "--seed", str(seed), "--out", out, "--snr", f"{snr:.3f}", "--bias", f"{bias:.3f}"],
                       check=True, stdout=subprocess.DEVNULL)
    return out


def normalise(img):
    """Must match the C++ knee pipeline: clip to the 0.5/99.5th percentiles, then z-score."""
    img = img.astype(np.float32)
    lo, hi = np.percentile(img, [0.5, 99.5])
    img = np.clip(img, lo, hi)
    return (img - img.mean()) / max(img.std(), 1e-6)


LABEL_TO_CLASS = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0] + [0] * 243, dtype=np.int64)


def load_case(case_dir):
    img, _ = read_nifti(os.path.join(case_dir, "image.nii.gz"))
    lab, _ = read_nifti(os.path.join(case_dir, "labels.nii.gz"))
    return normalise(img), LABEL_TO_CLASS[lab.astype(np.int64)].astype(np.uint8)


def smooth_field(gen, shape, coarse, amplitude):
    noise = torch.randn((1, 3 if amplitude is not None else 1) + coarse, generator=gen)
    return F.interpolate(noise, size=shape, mode="trilinear", align_corners=False)


def augment(img, lab, gen):
    """img: [B,1,Z,Y,X] float, lab: [B,Z,Y,X] long. Spatial + intensity augmentation."""
    b = img.shape[0]
    shape = img.shape[2:]
    if torch.rand(1, generator=gen).item() < 0.8:
        thetas = []
        for _ in range(b):
            ang = (torch.rand(3, generator=gen) * 2 - 1) * math.radians(15)
            s = 0.85 + 0.3 * torch.rand(1, generator=gen).item()
            cx, cy, cz = torch.cos(ang)
            sx, sy, sz = torch.sin(ang)
            rx = torch.tensor([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
            ry = torch.tensor([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
            rz = torch.tensor([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
            r = (rz @ ry @ rx) / s
            thetas.append(torch.cat([r, torch.zeros(3, 1)], 1))
        grid = F.affine_grid(torch.stack(thetas), list(img.shape), align_corners=False)
        if torch.rand(1, generator=gen).item() < 0.5:
            disp = torch.randn((b, 3, 4, 4, 4), generator=gen) * 0.03
            disp = F.interpolate(disp, size=shape, mode="trilinear", align_corners=False)
            grid = grid + disp.permute(0, 2, 3, 4, 1)
        img = F.grid_sample(img, grid, mode="bilinear", padding_mode="border", align_corners=False)
        lab = F.grid_sample(lab.unsqueeze(1).float(), grid, mode="nearest", padding_mode="border",
                            align_corners=False).squeeze(1).long()
    # intensity: bias field, gamma contrast, scale/shift, noise
    bias = torch.randn((b, 1, 3, 3, 3), generator=gen) * 0.15
    img = img * torch.exp(F.interpolate(bias, size=shape, mode="trilinear", align_corners=False))
    gamma = torch.exp((torch.rand((b, 1, 1, 1, 1), generator=gen) * 2 - 1) * 0.35)
    lo = img.amin(dim=(2, 3, 4), keepdim=True)
    hi = img.amax(dim=(2, 3, 4), keepdim=True)
    img = ((img - lo) / (hi - lo + 1e-6)).clamp(0, 1) ** gamma * (hi - lo) + lo
    img = img * (0.8 + 0.4 * torch.rand((b, 1, 1, 1, 1), generator=gen)) + (torch.rand((b, 1, 1, 1, 1), generator=gen) - 0.5) * 0.4
    img = img + torch.randn(img.shape, generator=gen) * (torch.rand((b, 1, 1, 1, 1), generator=gen) * 0.15)
    return img, lab


class Sampler:
    def __init__(self, cases, rng):
        self.cases = cases
        self.rng = rng
        self.fg, self.bone = [], []
        for _, lab in cases:
            idx = np.flatnonzero(lab >= 4)
            self.fg.append(idx[:: max(1, len(idx) // 20000)])
            idx = np.flatnonzero((lab >= 1) & (lab <= 3))
            self.bone.append(idx[:: max(1, len(idx) // 20000)])

    def patch(self):
        ci = int(self.rng.integers(len(self.cases)))
        img, lab = self.cases[ci]
        pz, py, px = TRAIN_PATCH
        Z, Y, X = img.shape
        r = self.rng.random()
        if r < 0.8:
            # centred on cartilage/menisci (50 %) or bone (30 %), jittered
            pool = self.fg[ci] if r < 0.5 else self.bone[ci]
            z, y, x = np.unravel_index(int(self.rng.choice(pool)), img.shape)
            z = int(np.clip(z - pz // 2 + self.rng.integers(-12, 13), 0, Z - pz))
            y = int(np.clip(y - py // 2 + self.rng.integers(-24, 25), 0, Y - py))
            x = int(np.clip(x - px // 2 + self.rng.integers(-24, 25), 0, X - px))
        else:
            z, y, x = (int(self.rng.integers(0, n - p + 1)) for n, p in zip(img.shape, TRAIN_PATCH))
        return img[z:z + pz, y:y + py, x:x + px], lab[z:z + pz, y:y + py, x:x + px]

    def batch(self, n):
        pairs = [self.patch() for _ in range(n)]
        img = torch.from_numpy(np.stack([p[0] for p in pairs])).unsqueeze(1)
        lab = torch.from_numpy(np.stack([p[1] for p in pairs]).astype(np.int64))
        return img, lab


def dice_loss(logits, lab):
    prob = torch.softmax(logits, 1)
    onehot = F.one_hot(lab, CLASSES).permute(0, 4, 1, 2, 3).float()
    dims = (0, 2, 3, 4)
    inter = (prob * onehot).sum(dims)
    denom = prob.sum(dims) + onehot.sum(dims)
    dice = (2 * inter + 1) / (denom + 1)
    present = onehot.sum(dims)[1:] > 0  # classes absent from the batch would only teach "never predict me"
    return 1 - dice[1:][present].mean() if present.any() else dice.sum() * 0


@torch.no_grad()
def predict(model, img):
    """Same sliding window as the C++ engine (Gaussian blending, INFER_PATCH, INFER_OVERLAP)."""
    vol = torch.from_numpy(img)
    Z, Y, X = vol.shape
    acc = torch.zeros((CLASSES, Z, Y, X))
    w = gaussian_weights(INFER_PATCH)
    pz, py, px = INFER_PATCH
    for z in tile_starts(Z, pz, INFER_OVERLAP):
        for y in tile_starts(Y, py, INFER_OVERLAP):
            for x in tile_starts(X, px, INFER_OVERLAP):
                out = model(vol[None, None, z:z + pz, y:y + py, x:x + px])
                acc[:, z:z + pz, y:y + py, x:x + px] += torch.softmax(out, 1)[0] * w
    return acc.argmax(0).numpy().astype(np.uint8)


def dice_per_class(pred, lab):
    out = {}
    for c in range(1, CLASSES):
        p, t = pred == c, lab == c
        denom = p.sum() + t.sum()
        out[LABEL_NAMES[c]] = float(2 * (p & t).sum() / denom) if denom else float("nan")
    return out


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True, help="path to strata-cli")
    ap.add_argument("--data", required=True, help="cache folder for generated phantoms")
    ap.add_argument("--out", required=True, help="where model.pt and model.json go")
    ap.add_argument("--train-seeds", type=int, default=16)
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--base", type=int, default=8)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--eval-only", action="store_true", help="skip training, evaluate and export the checkpoint")
    ap.add_argument("--resume", action="store_true",
                    help="start from the checkpoint in --data (a further cosine cycle of --iterations)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    os.makedirs(args.data, exist_ok=True)

    t0 = time.time()
    train_seeds = list(range(1000, 1000 + args.train_seeds))
    cases = []
    for s in train_seeds:
        st = phantom_settings(s)
        cases.append(load_case(make_phantom(args.cli, args.data, s, st["snr"], st["bias"])))
    print(f"{len(cases)} training phantoms ready in {time.time() - t0:.0f} s", flush=True)

    model = UNet3D(classes=CLASSES, base=args.base)
    ckpt = os.path.join(args.data, f"checkpoint-base{args.base}.pt")
    train_seconds = 0.0
    history = []
    history_path = os.path.join(args.data, f"history-base{args.base}.json")
    if (args.eval_only or args.resume) and os.path.exists(history_path):
        history = json.load(open(history_path))
    if args.eval_only or args.resume:
        model.load_state_dict(torch.load(ckpt))
    if not args.eval_only:
        # channels-last makes LibTorch's CPU (oneDNN) 3D convolution backward several times faster
        model = model.to(memory_format=torch.channels_last_3d)
        opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda i: min(1.0, (i + 1) / 50) * 0.5 * (1 + math.cos(math.pi * min(i, args.iterations) / args.iterations)))
        sampler = Sampler(cases, rng)
        model.train()
        t1 = time.time()
        running = None
        for it in range(args.iterations):
            img, lab = sampler.batch(args.batch)
            img, lab = augment(img, lab, gen)
            logits = model(img.contiguous(memory_format=torch.channels_last_3d))
            loss = F.cross_entropy(logits, lab) + dice_loss(logits, lab)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
            if (it + 1) % 25 == 0:
                print(f"iter {it + 1}/{args.iterations} loss {running:.4f} lr {sched.get_last_lr()[0]:.2e} "
                      f"{(time.time() - t1) / (it + 1):.2f} s/iter", flush=True)
            if (it + 1) % 250 == 0:
                torch.save(model.state_dict(), ckpt)
        train_seconds = time.time() - t1
        torch.save(model.state_dict(), ckpt)
        history.append({"iterations": args.iterations, "lr": args.lr, "seconds": round(train_seconds), "seed": args.seed})
        with open(history_path, "w") as f:
            json.dump(history, f)

    model = model.to(memory_format=torch.contiguous_format)
    model.eval()
    accuracy = {"held_out": [], "method": "Dice per label on held-out phantoms (seeds and noise/bias settings never "
                                          "used in training), same sliding window as the C++ engine"}
    for v in VALIDATION:
        img, lab = load_case(make_phantom(args.cli, args.data, v["seed"], v["snr"], v["bias"]))
        t2 = time.time()
        pred = predict(model, img)
        d = dice_per_class(pred, lab)
        accuracy["held_out"].append({**v, "dice": d, "python_inference_seconds": round(time.time() - t2, 1)})
        print(f"held-out seed {v['seed']} (snr {v['snr']}, bias {v['bias']}): " +
              ", ".join(f"{k} {x:.3f}" for k, x in d.items()), flush=True)
    mean = {k: float(np.mean([h["dice"][k] for h in accuracy["held_out"]])) for k in LABEL_NAMES[1:]}
    accuracy["mean_dice"] = mean

    os.makedirs(args.out, exist_ok=True)
    model_path = os.path.join(args.out, "model.pt")
    torch.jit.script(model).save(model_path)
    colours = [[0, 0, 0, 0], [241, 214, 145, 255], [216, 176, 120, 255], [230, 190, 138, 255], [60, 180, 255, 255],
               [255, 90, 90, 255], [90, 220, 90, 255], [255, 200, 40, 255], [180, 80, 220, 255], [240, 120, 200, 255]]
    card = {
        "name": "knee-unet3d",
        "version": f"1.0.{args.seed}",
        "task": "segmentation3d",
        "description": "Compact 3D U-Net segmenting bones, cartilage plates and menisci in sagittal DESS-like knee MRI.",
        "file": "model.pt",
        "sha256": sha256(model_path),
        "input_channels": 1,
        "output_channels": CLASSES,
        "target_spacing": [0.4, 0.4, 0.7],
        "patch_size": [INFER_PATCH[2], INFER_PATCH[1], INFER_PATCH[0]],
        "overlap": INFER_OVERLAP,
        "normalisation": {"method": "zscore", "clip_low_percentile": 0.5, "clip_high_percentile": 99.5},
        "labels": [{"id": i, "name": n, "rgba": colours[i]} for i, n in enumerate(LABEL_NAMES)],
        "accuracy": accuracy,
        "training": {
            "script": "models/knee/train.py",
            "seed": args.seed,
            "data": f"{len(train_seeds)} synthetic knee phantoms, seeds {train_seeds[0]}..{train_seeds[-1]}, "
                    "256x256x160 @ 0.4x0.4x0.7 mm, SNR 12..40, bias 0..0.35",
            "augmentation": "intensity scale/shift, gamma, noise, bias field, rotation +-15 deg, scale 0.85..1.15, elastic",
            "cycles": history or [{"iterations": args.iterations, "lr": args.lr, "seed": args.seed}],
            "iterations": sum(h["iterations"] for h in history) if history else args.iterations,
            "batch": args.batch, "patch_zyx": list(TRAIN_PATCH),
            "base_channels": args.base, "optimiser": f"AdamW lr {args.lr} cosine", "loss": "cross-entropy + soft Dice",
            "device": "cpu", "threads": args.threads,
            "seconds": sum(h["seconds"] for h in history) if history else round(train_seconds),
            "torch": torch.__version__,
        },
        "licence": "Apache-2.0 (trained by Strata on its own synthetic data)",
    }
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(f"wrote {model_path} ({os.path.getsize(model_path) / 1e6:.1f} MB) and model.json; mean held-out Dice: " +
          ", ".join(f"{k} {x:.3f}" for k, x in mean.items()))


if __name__ == "__main__":
    main()
