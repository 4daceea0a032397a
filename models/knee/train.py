#!/usr/bin/python3
"""Trains Strata's knee MRI segmentation model (compact 3D U-Net) on synthetic knee phantoms.

Reproducible from --seed: phantoms come from `strata-cli phantom` or `strata-knee-phantom-raw` (bit-identical
per seed), the sampler, augmentation and initialisation use torch/numpy generators seeded from --seed. Training
runs on CPU or CUDA (--device); on CUDA the phantoms live on the GPU, augmentation runs there and the network
trains in bfloat16 autocast. --time-budget fixes --iterations from the speed measured over the first iterations
(the card records the count, so `--iterations N` repeats the run; CUDA kernels are not bit-deterministic).

Data      : --train-seeds phantoms (256x256x160 @ 0.4x0.4x0.7 mm, sagittal DESS-like) whose SNR (12..40),
            bias strength (0..0.35) and contrast jitter (0.05..0.2) vary with the seed; held-out validation phantoms use other seeds and
            other contrast/noise settings (see VALIDATION below). Nothing is downloaded.
Labels    : background(+fluid, muscle, fat), femur, tibia, patella, femoral / medial tibial / lateral tibial /
            patellar cartilage, medial / lateral meniscus (10 classes; ids as in the phantom).
Sampling  : patches centred on cartilage/menisci (50 %), on bone (30 %) or anywhere (20 %).
Augment   : intensity scale/shift, gamma contrast, Gaussian noise, multiplicative smooth bias field,
            rotation (+-15 deg), scaling (0.85..1.15), elastic deformation (smooth random displacement).
Synth     : --synth on: domain randomisation (synth.py, issue 17): most batches are rendered from the phantoms'
            tissue maps with random contrast, resolution, bias, noise, rotation up to 45 deg, FOV and side; the
            held-out evaluation adds synthetic contrasts never drawn in training (synth.VALIDATION).
Loss      : cross-entropy + soft Dice; AdamW, cosine learning-rate decay.
Output    : model.pt (TorchScript) and model.json (card with sha256 and held-out accuracy) in --out.

Usage: models/knee/train.py --cli build/app/strata-cli --data /tmp/knee-data --out models/knee
GPU box without Strata installed (see models/knee/README.md):
       train.py --phantom-raw strata-knee-phantom-raw --jobs 16 --device cuda --time-budget 420 \
                --patch 112 144 144 --batch 4 --export-npz weights.npz --data /tmp/d --out /tmp/o
Export a model trained elsewhere with this machine's torch: train.py --from-npz weights.npz --cli ... --out models/knee
Domain-randomised candidates on a GPU box, one command: models/knee/train_gpu.sh (README.md, "Domain randomisation")
"""
import argparse
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
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
import synth  # noqa: E402
from augment import augment, tissue_contrast  # noqa: E402
import train_state  # noqa: E402
from unet3d import UNet3D  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from modelfiles import sha256  # noqa: E402  (models/modelfiles.py)

CLASSES = 10
LABEL_NAMES = ["background", "femur", "tibia", "patella", "femoral_cartilage", "medial_tibial_cartilage",
               "lateral_tibial_cartilage", "patellar_cartilage", "medial_meniscus", "lateral_meniscus"]
TRAIN_PATCH = (56, 72, 72)   # z, y, x voxels (z is left-right: 39 mm of context to tell medial from lateral)
INFER_PATCH = (160, 256, 256)  # z, y, x voxels used by the C++ engine (model card patch_size is x, y, z)
INFER_OVERLAP = 0.25
# Held-out phantoms: seeds never used for training and settings outside the training distribution.
VALIDATION = [
    {"seed": 900001, "snr": 10.0, "bias": 0.30, "contrast": 0.25},
    {"seed": 900002, "snr": 45.0, "bias": 0.05, "contrast": 0.10},
    {"seed": 900003, "snr": 18.0, "bias": 0.40, "contrast": 0.20},
]


def phantom_settings(seed):
    rng = np.random.default_rng(seed)
    snr, bias = float(rng.uniform(12, 40)), float(rng.uniform(0.0, 0.35))
    return {"snr": snr, "bias": bias, "contrast": float(rng.uniform(0.05, 0.2))}


def phantom_command(args, seed, snr, bias, contrast, out):
    opts = ["--seed", str(seed), "--out", out, "--snr", f"{snr:.3f}", "--bias", f"{bias:.3f}"]
    if contrast is not None:
        opts += ["--contrast", f"{contrast:.3f}"]
    if args.phantom_raw:  # --tissues: tissue.u8 for synth.py (a binary built before 2026-12-06 lacks the flag)
        return [args.phantom_raw, "--threads", "1" if args.jobs > 1 else "0", "--tissues"] + opts
    return [args.cli, "phantom"] + opts


def phantom_ready(out):
    return os.path.exists(os.path.join(out, "tissue.u8")) or os.path.exists(os.path.join(out, "ground_truth.json"))


def make_phantoms(args, specs):
    """specs: list of (seed, snr, bias, contrast). Generates the missing ones, --jobs at a time."""
    dirs, running = [], []
    for seed, snr, bias, contrast in specs:
        out = os.path.join(args.data, f"seed{seed}" + ("-raw" if args.phantom_raw else ""))
        dirs.append(out)
        if phantom_ready(out):
            continue
        running.append(subprocess.Popen(phantom_command(args, seed, snr, bias, contrast, out), stdout=subprocess.DEVNULL))
        while len(running) >= max(1, args.jobs):
            wait_phantom(running.pop(0))
    for p in running:
        wait_phantom(p)
    return dirs


def wait_phantom(process):
    if process.wait() != 0:
        raise RuntimeError(f"phantom generation failed ({process.returncode}): {' '.join(process.args)}")


# Upper clip of the intensity normalisation (percentile), recorded per cycle and in the card. 99.5 (every cycle up
# to model 1.3) clips ~99 % of the joint fluid (the brightest tissue, ~0.3 % of a knee's voxels) and the brightest
# ~20 % of the cartilage to ONE value, so the network cannot tell a fluid layer on a plate from cartilage by
# intensity; the C++ pipeline gives those voxels back afterwards with the unclipped scan (quant/FluidBoundaryRefine).
# The next full training (GPU) should use --clip-high 99.95, which keeps the fluid above the cartilage: a 400-
# iteration CPU fine-tune of model 1.3 to it (small patches) was not enough and made the plates worse (README.md).
CLIP_HIGH_OLD = 99.5
CLIP_HIGH = 99.5


def normalise(img, clip_high=CLIP_HIGH):
    """Must match the C++ knee pipeline: clip to the 0.5th / clip_high-th percentiles, then z-score."""
    img = img.astype(np.float32)
    lo, hi = np.percentile(img, [0.5, clip_high])
    img = np.clip(img, lo, hi)
    return ((img - img.mean()) / max(float(img.std()), 1e-6)).astype(np.float32)


LABEL_TO_CLASS = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0] + [0] * 243, dtype=np.int64)


def load_case(case_dir, clip_high=CLIP_HIGH):
    if os.path.exists(os.path.join(case_dir, "meta.json")):  # strata-knee-phantom-raw
        size = json.load(open(os.path.join(case_dir, "meta.json")))["size"]
        shape = (size[2], size[1], size[0])
        img = np.fromfile(os.path.join(case_dir, "image.u16"), np.uint16).reshape(shape)
        lab = np.fromfile(os.path.join(case_dir, "labels.u8"), np.uint8).reshape(shape)
    else:
        img, _ = read_nifti(os.path.join(case_dir, "image.nii.gz"))
        lab, _ = read_nifti(os.path.join(case_dir, "labels.nii.gz"))
    return normalise(img, clip_high), LABEL_TO_CLASS[lab.astype(np.int64)].astype(np.uint8)


def load_case_raw(case_dir, clip_high=CLIP_HIGH):
    """Like load_case, but with the phantom's own label ids (fluid, muscle and fat included) for tissue_contrast."""
    img, _ = load_case(case_dir, clip_high)
    if os.path.exists(os.path.join(case_dir, "meta.json")):
        lab = np.fromfile(os.path.join(case_dir, "labels.u8"), np.uint8).reshape(img.shape)
    else:
        lab, _ = read_nifti(os.path.join(case_dir, "labels.nii.gz"))
    return img, lab.astype(np.uint8)


class Sampler:
    """Draws training patches. The cases stay where they are (numpy arrays on CPU, or tensors on the GPU)."""

    def __init__(self, cases, rng, patch, device, centred=0.8):
        self.rng = rng
        self.patch_size = patch
        self.device = device
        self.fg, self.bone = [], []
        self.centred = centred
        for _, lab in cases:
            idx = np.flatnonzero((lab >= 4) & (lab <= 9))
            self.fg.append(idx[:: max(1, len(idx) // 20000)])
            idx = np.flatnonzero((lab >= 1) & (lab <= 3))
            self.bone.append(idx[:: max(1, len(idx) // 20000)])
        self.shape = cases[0][0].shape
        if device.type == "cuda":
            self.img = [torch.from_numpy(i).to(device, torch.float16) for i, _ in cases]
            self.lab = [torch.from_numpy(lab).to(device) for _, lab in cases]
        else:
            self.img = [torch.from_numpy(i) for i, _ in cases]
            self.lab = [torch.from_numpy(lab) for _, lab in cases]

    def patch(self):
        ci = int(self.rng.integers(len(self.img)))
        pz, py, px = self.patch_size
        Z, Y, X = self.shape
        r = self.rng.random()
        if r < self.centred:
            # centred on cartilage/menisci (5/8 of these) or bone (3/8), jittered
            pool = self.fg[ci] if r < self.centred * 0.625 else self.bone[ci]
            z, y, x = np.unravel_index(int(self.rng.choice(pool)), self.shape)
            z = int(np.clip(z - pz // 2 + self.rng.integers(-12, 13), 0, Z - pz))
            y = int(np.clip(y - py // 2 + self.rng.integers(-24, 25), 0, Y - py))
            x = int(np.clip(x - px // 2 + self.rng.integers(-24, 25), 0, X - px))
        else:
            z, y, x = (int(self.rng.integers(0, n - p + 1)) for n, p in zip(self.shape, self.patch_size))
        return self.img[ci][z:z + pz, y:y + py, x:x + px], self.lab[ci][z:z + pz, y:y + py, x:x + px]

    def batch(self, n):
        pairs = [self.patch() for _ in range(n)]
        img = torch.stack([p[0] for p in pairs]).unsqueeze(1).float()
        lab = torch.stack([p[1] for p in pairs]).long()
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
def predict(model, img, device):
    """Same sliding window as the C++ engine (Gaussian blending, INFER_PATCH, INFER_OVERLAP)."""
    vol = torch.from_numpy(img).to(device)
    Z, Y, X = vol.shape
    acc = torch.zeros((CLASSES, Z, Y, X), device=device)
    w = gaussian_weights(INFER_PATCH).to(device)
    pz, py, px = INFER_PATCH
    for z in tile_starts(Z, pz, INFER_OVERLAP):
        for y in tile_starts(Y, py, INFER_OVERLAP):
            for x in tile_starts(X, px, INFER_OVERLAP):
                out = model(vol[None, None, z:z + pz, y:y + py, x:x + px])
                acc[:, z:z + pz, y:y + py, x:x + px] += torch.softmax(out.float(), 1)[0] * w
    return acc.argmax(0).cpu().numpy().astype(np.uint8)


def dice_per_class(pred, lab):
    out = {}
    for c in range(1, CLASSES):
        p, t = pred == c, lab == c
        denom = p.sum() + t.sum()
        out[LABEL_NAMES[c]] = float(2 * (p & t).sum() / denom) if denom else float("nan")
    return out


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", help="path to strata-cli (phantoms as NIfTI)")
    ap.add_argument("--phantom-raw", help="path to strata-knee-phantom-raw (phantoms as raw arrays; no ITK needed)")
    ap.add_argument("--jobs", type=int, default=1, help="phantoms generated in parallel")
    ap.add_argument("--data", required=True, help="cache folder for generated phantoms")
    ap.add_argument("--out", required=True, help="where model.pt and model.json go")
    ap.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    ap.add_argument("--train-seeds", type=int, default=16)
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--time-budget", type=float, default=0.0,
                    help="seconds of training: sets --iterations from the speed of iterations 20..60")
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--patch", type=int, nargs=3, default=list(TRAIN_PATCH), metavar=("Z", "Y", "X"),
                    help="training patch in voxels, z is left-right; each a multiple of 8")
    ap.add_argument("--base", type=int, default=8)
    ap.add_argument("--tissue-contrast", type=float, default=0.0,
                    help="sigma of the per-tissue log contrast factor (0 = off; 0.2 suggested)")
    ap.add_argument("--centred", type=float, default=0.8,
                    help="fraction of patches centred on cartilage/menisci or bone (the rest anywhere). Centring "
                         "raises the classes' prior in training: a last fine-tune with 0 gives calibrated volumes")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--eval-only", action="store_true", help="skip training, evaluate and export the checkpoint")
    ap.add_argument("--resume", action="store_true",
                    help="continue the cycle whose training state (--state) an earlier run left: same iteration, "
                         "learning-rate schedule, optimiser moments and random streams, so a cycle can be spread over "
                         "sessions. Without a state file: start a further cycle from the checkpoint in --data")
    ap.add_argument("--state", help="training state file (weights, optimiser, iteration, random streams); default "
                                    "--data/state-base<B>.pt. Written every --save-every seconds, at --stop-after "
                                    "and on SIGTERM/SIGINT; removed when the cycle completes")
    ap.add_argument("--shorten-to", type=int, default=0,
                    help="with --resume: end the resumed cycle at this iteration instead of the planned count; the "
                         "cosine decay goes on from the current iteration to the new end (the training record says "
                         "where and from what the cycle was shortened)")
    ap.add_argument("--save-every", type=float, default=300.0, help="seconds between training-state saves")
    ap.add_argument("--stop-after", type=float, default=0.0,
                    help="end this run's training after these seconds (state saved; --resume continues the cycle). "
                         "The weights so far are exported and evaluated as a partial cycle")
    ap.add_argument("--export-npz", help="also save the trained weights (and training record) as .npz")
    ap.add_argument("--from-npz", help="skip training: load weights and training record from this .npz (or a "
                    "TorchScript model.pt with its model.json: evaluates the committed model)")
    ap.add_argument("--init-npz", help="start training from these weights (a further cycle; the record is kept); a "
                    "TorchScript model.pt works too (its record from the model.json beside it)")
    ap.add_argument("--loss", default="ce+dice", choices=["ce+dice", "ce"],
                    help="ce alone is calibrated at boundaries (soft Dice over-segments thin structures): "
                         "use it to fine-tune")
    ap.add_argument("--no-eval", action="store_true", help="skip the held-out evaluation")
    ap.add_argument("--clip-high", type=float, default=CLIP_HIGH,
                    help="upper percentile of the intensity clip for training (the card records it)")
    ap.add_argument("--generate-only", action="store_true", help="only generate the phantoms into --data")
    ap.add_argument("--eval-max", type=int, default=0,
                    help="evaluate at most this many held-out cases of each set (0 = all; a CPU smoke run: 1)")
    synth.add_args(ap)
    args = ap.parse_args()
    if not args.cli and not args.phantom_raw:
        ap.error("give --cli or --phantom-raw")
    if any(p % 8 for p in args.patch):
        ap.error("--patch sizes must be multiples of 8")
    return args


def cycle_settings(args):
    """What shapes a training cycle: a resumed cycle must keep these."""
    return {"lr": args.lr, "loss": args.loss, "batch": args.batch, "patch_zyx": list(args.patch), "base": args.base,
            "centred": args.centred, "tissue_contrast": args.tissue_contrast, "seed": args.seed,
            "train_seeds": args.train_seeds, "clip_high_percentile": args.clip_high, **synth.history_record(args)}


def args_total(state_path, default):
    return train_state.load(state_path)["total"] if os.path.exists(state_path) else default


def train(args, model, cases, device, rng, gen, gens=None, history=None):
    """Runs (or, with a training state, continues) one cosine cycle. Returns the iterations run, the seconds they
    took over every run of the cycle, and whether the cycle is complete."""
    dgen = torch.Generator(device=device).manual_seed(args.seed + 1)
    model = model.to(device, memory_format=torch.channels_last_3d)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    total = args.iterations

    sampler = Sampler(cases, rng, tuple(args.patch), device, args.centred)
    ssampler = None
    if args.synth == "on":
        ssampler = synth.SynthSampler(gens, tuple(args.patch), device, torch.Generator().manual_seed(args.seed + 2),
                                      args.synth_rot, args.synth_mirror, args.centred)
    streams = {"gen": gen, "dgen": dgen, **({"spatial": ssampler.g} if ssampler else {})}
    it, before, running = 0, 0.0, None
    if args.resume and os.path.exists(args.state):
        state = train_state.load(args.state)
        train_state.check_compatible(state, cycle_settings(args))
        train_state.restore(state, model, opt, rng, streams)
        it, total, before, running = state["iteration"], state["total"], state["seconds"], state["running_loss"]
        print(f"resumed {args.state}: iteration {it}/{total} after {before:.0f} s", flush=True)
        if args.shorten_to:
            if not it < args.shorten_to < total:
                raise SystemExit(f"--shorten-to {args.shorten_to}: must lie after iteration {it} and before the "
                                 f"planned {total}")
            print(f"cycle shortened at iteration {it}: {total} -> {args.shorten_to} iterations", flush=True)
            args.shortened = {"shortened_at": it, "planned_before": total}
            total = args.shorten_to
    elif args.shorten_to:
        raise SystemExit("--shorten-to needs --resume and a training state")

    def set_lr(i):
        lr = args.lr * min(1.0, (i + 1) / 50) * 0.5 * (1 + math.cos(math.pi * min(i, total) / total))
        for g in opt.param_groups:
            g["lr"] = lr
        return lr

    def save():
        train_state.save(args.state, model, opt, it, total, before + time.time() - t1, running, rng, streams,
                         history or [], cycle_settings(args))

    class_of = torch.from_numpy(LABEL_TO_CLASS).to(device)  # phantom label id -> model class
    model.train()
    torch.backends.cudnn.benchmark = True
    t1 = t20 = last_save = time.time()
    start_it = it
    stop = train_state.StopRequest()
    def autocast():
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16) if device.type == "cuda" else nullcontext()
    while it < total:
        lr = set_lr(it)
        if ssampler is not None and torch.rand(1, generator=gen).item() >= args.synth_real:
            img, lab = synth.synth_batch(ssampler, args.batch, gen, dgen, args.clip_high)
        else:
            img, raw = sampler.batch(args.batch)
            if args.tissue_contrast > 0 and torch.rand(1, generator=gen).item() < 0.7:
                img = tissue_contrast(img, raw, gen, args.tissue_contrast)
            lab = class_of[raw]
            img, lab = augment(img, lab, gen, dgen)
        with autocast():
            logits = model(img.contiguous(memory_format=torch.channels_last_3d))
        logits = logits.float()
        loss = F.cross_entropy(logits, lab)
        if args.loss == "ce+dice":
            loss = loss + dice_loss(logits, lab)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        it += 1
        if it % 25 == 0 or it == total:
            running = loss.item() if running is None else 0.9 * running + 0.1 * loss.item()
            print(f"iter {it}/{total} loss {running:.4f} lr {lr:.2e} {(time.time() - t1) / (it - start_it):.3f} s/iter",
                  flush=True)
        if args.time_budget and it - start_it == 20 and start_it == 0:
            t20 = time.time()
        if args.time_budget and it - start_it == 60 and start_it == 0:  # speed after warm-up (cuDNN, allocator)
            per_iter = (time.time() - t20) / 40
            total = max(100, 60 + int((args.time_budget - (time.time() - t1)) / per_iter))
            print(f"time budget {args.time_budget:.0f} s -> {total} iterations ({per_iter:.3f} s/iter)", flush=True)
        out_of_time = args.stop_after and time.time() - t1 >= args.stop_after
        if it < total and (stop.requested or out_of_time or time.time() - last_save >= args.save_every):
            save()
            last_save = time.time()
            if stop.requested or out_of_time:
                print(f"stopped at iteration {it}/{total}: state in {args.state} (--resume continues)", flush=True)
                break
    seconds = before + time.time() - t1
    if it >= total and os.path.exists(args.state):
        os.remove(args.state)  # the cycle is complete: its record goes into the history
    return it, seconds, it >= total


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    device = torch.device("cuda" if args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available())
                          else "cpu")
    os.makedirs(args.data, exist_ok=True)

    t0 = time.time()
    train_seeds = list(range(1000, 1000 + args.train_seeds))
    settings = [phantom_settings(s) for s in train_seeds]
    specs = [(s, st["snr"], st["bias"], st["contrast"]) for s, st in zip(train_seeds, settings)]
    specs += [(v["seed"], v["snr"], v["bias"], v["contrast"]) for v in VALIDATION]
    dirs = [] if args.from_npz and args.no_eval else make_phantoms(args, specs if not args.from_npz else specs[len(train_seeds):])
    print(f"{len(specs)} phantoms ready in {time.time() - t0:.0f} s (device {device})", flush=True)
    if args.generate_only:
        return

    model = UNet3D(classes=CLASSES, base=args.base)
    ckpt = os.path.join(args.data, f"checkpoint-base{args.base}.pt")
    history_path = os.path.join(args.data, f"history-base{args.base}.json")
    history = []
    weights = args.from_npz or args.init_npz
    if weights and weights.endswith(".pt"):  # a committed TorchScript model and its card
        model.load_state_dict(torch.jit.load(weights, map_location="cpu").state_dict())
        history = json.load(open(os.path.join(os.path.dirname(weights), "model.json")))["training"]["cycles"]
        print(f"weights from {weights}: {history}", flush=True)
    elif args.from_npz or args.init_npz:
        z = np.load(args.from_npz or args.init_npz, allow_pickle=False)
        model.load_state_dict({k[2:]: torch.from_numpy(z[k]) for k in z.files if k.startswith("w:")})
        history = json.loads(str(z["history"]))
        print(f"weights from {args.from_npz or args.init_npz}: {history}", flush=True)
    args.state = args.state or os.path.join(args.data, f"state-base{args.base}.pt")
    resume_state = args.resume and os.path.exists(args.state)
    if resume_state:  # the history before the interrupted cycle (its weights are restored in train())
        history = train_state.load(args.state)["history"]
    if not args.from_npz and not resume_state:
        if (args.eval_only or args.resume) and os.path.exists(history_path):
            history = json.load(open(history_path))
        if args.eval_only or args.resume:
            model.load_state_dict(torch.load(ckpt, map_location="cpu"))
    if not args.from_npz:
        if not args.eval_only:
            with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, 8))) as pool:
                cases = list(pool.map(load_case_raw, dirs[:len(train_seeds)], [args.clip_high] * len(train_seeds)))
                gens = list(pool.map(synth.load_gen, dirs[:len(train_seeds)])) if args.synth == "on" else None
            print(f"{len(cases)} training cases loaded at {time.time() - t0:.0f} s", flush=True)
            iterations, seconds, complete = train(args, model, cases, device, rng, gen, gens, history)
            del cases, gens
            name = torch.cuda.get_device_name(device) if device.type == "cuda" else f"cpu x{args.threads}"
            record = cycle_settings(args)
            del record["base"]
            history.append({"iterations": iterations, "seconds": round(seconds), "device": name,
                            "torch": torch.__version__, **record, **getattr(args, "shortened", {})})
            if not complete:  # weights of a cycle stopped early (--stop-after, SIGTERM): --resume continues it
                history[-1].update({"complete": False, "planned_iterations": args_total(args.state, iterations)})
            model = model.to("cpu", memory_format=torch.contiguous_format)
            torch.save(model.state_dict(), ckpt)
            with open(history_path, "w") as f:
                json.dump(history, f)
    model = model.to("cpu", memory_format=torch.contiguous_format).float()
    if args.export_npz:
        weights = {"w:" + k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
        np.savez(args.export_npz, history=np.array(json.dumps(history)), **weights)
        print(f"wrote {args.export_npz}", flush=True)

    model.eval()
    accuracy = {"held_out": [], "method": "Dice per label on held-out phantoms (seeds and noise/bias/contrast "
                                          "settings never used in training), same sliding window as the C++ engine"}
    if not args.no_eval:
        evaluate(args, model.to(device), device, dirs[-len(VALIDATION):], accuracy, model_clip_high(history))
        model = model.to("cpu")
    write_model(args, model, accuracy, history, train_seeds)


def evaluate(args, emodel, device, dirs, accuracy, clip_high):
    """Held-out Dice: the own-family phantoms as generated (accuracy["held_out"]), and the same phantoms rendered with
    contrasts never drawn in training (synth.VALIDATION, accuracy["held_out_synthetic"])."""
    n = args.eval_max or None
    for v, d in list(zip(VALIDATION, dirs))[:n]:
        img, lab = load_case(d, clip_high)
        accuracy["held_out"].append(evaluate_case(emodel, device, img, lab, v))
    accuracy["mean_dice"] = mean_dice(accuracy["held_out"])
    print("mean held-out Dice: " + ", ".join(f"{k} {x:.3f}" for k, x in accuracy["mean_dice"].items()), flush=True)
    by_seed = {v["seed"]: d for v, d in zip(VALIDATION, dirs)}
    accuracy["held_out_synthetic"] = []
    for v in synth.VALIDATION[:n]:
        d = by_seed[v["seed"]]
        gen = synth.load_gen(d)
        vol = synth.render_volume(gen, synth.HELD_OUT_PRESETS[v["contrast"]], v["spacing_zyx"], v["noise"])
        img = normalise(vol, clip_high)
        lab = np.array(synth.GEN_TO_CLASS, np.uint8)[gen]
        accuracy["held_out_synthetic"].append(evaluate_case(emodel, device, img, lab, v))
    accuracy["mean_dice_synthetic"] = mean_dice(accuracy["held_out_synthetic"])
    accuracy["method_synthetic"] = ("held-out phantoms rendered by synth.render_volume with contrasts never drawn as "
                                    "training presets (T1, T2-FS) and thick slices; Dice against the phantom labels")
    print("mean held-out synthetic-contrast Dice: " +
          ", ".join(f"{k} {x:.3f}" for k, x in accuracy["mean_dice_synthetic"].items()), flush=True)


def evaluate_case(emodel, device, img, lab, v):
    t2 = time.time()
    pred = predict(emodel, img, device)
    dc = dice_per_class(pred, lab)
    ratio = {LABEL_NAMES[c]: round(float((pred == c).sum() / max(1, (lab == c).sum())), 3) for c in range(4, 8)}
    print(f"  predicted/true volume: {ratio}", flush=True)
    print(f"held-out {v}: " + ", ".join(f"{k} {x:.3f}" for k, x in dc.items()) +
          f" (mean {np.mean(list(dc.values())):.3f})", flush=True)
    return {**v, "dice": dc, "inference_seconds": round(time.time() - t2, 1), "inference_device": str(device)}


def mean_dice(cases):
    return {k: float(np.mean([h["dice"][k] for h in cases])) for k in LABEL_NAMES[1:]}


def model_clip_high(history):
    """The clip the weights were last trained with (cycles before the option existed used 99.5)."""
    return history[-1].get("clip_high_percentile", CLIP_HIGH_OLD) if history else CLIP_HIGH


def write_model(args, model, accuracy, history, train_seeds):
    os.makedirs(args.out, exist_ok=True)
    model_path = os.path.join(args.out, "model.pt")
    torch.jit.script(model).save(model_path)
    colours = [[0, 0, 0, 0], [241, 214, 145, 255], [196, 140, 110, 255], [140, 190, 175, 255], [60, 180, 255, 255],
               [255, 90, 90, 255], [90, 220, 90, 255], [255, 200, 40, 255], [180, 80, 220, 255], [240, 120, 200, 255]]
    last = history[-1] if history else {}
    card = {
        "name": "knee-unet3d",
        # 1.<training cycles>.<seed of the last cycle>
        "version": f"1.{len(history)}.{history[-1]['seed'] if history else args.seed}",
        "task": "segmentation3d",
        "description": "Compact 3D U-Net segmenting bones, cartilage plates and menisci in sagittal DESS-like knee MRI.",
        "file": "model.pt",
        "sha256": sha256(model_path),
        "input_channels": 1,
        "output_channels": CLASSES,
        "target_spacing": [0.4, 0.4, 0.7],
        "patch_size": [INFER_PATCH[2], INFER_PATCH[1], INFER_PATCH[0]],
        "overlap": INFER_OVERLAP,
        "normalisation": {"method": "zscore", "clip_low_percentile": 0.5,
                          "clip_high_percentile": model_clip_high(history)},
        # Strata's phantoms: index axes x, y, z point posterior, inferior, right; a right knee (see model.json).
        "canonical_frame": {"axes": ["P", "I", "R"], "side": "right"},
        "labels": [{"id": i, "name": n, "rgba": colours[i]} for i, n in enumerate(LABEL_NAMES)],
        # accuracy.geometry (axis orders, left knees, thick slices, oblique) is measured through the C++ pipeline by
        # tests/slow/KneeOrientationSlowTest.cpp: rerun it on a new model and put its figures in the card.
        "accuracy": accuracy,
        "training": {
            "script": "models/knee/train.py",
            "seed": args.seed,
            "data": f"{last.get('train_seeds', len(train_seeds))} synthetic knee phantoms, seeds from 1000, "
                    "256x256x160 @ 0.4x0.4x0.7 mm, SNR 12..40, bias 0..0.35, contrast jitter 0.05..0.2",
            "augmentation": synth.describe(last),
            "cycles": history,
            "iterations": sum(h["iterations"] for h in history),
            "base_channels": args.base, "optimiser": f"AdamW lr {last.get('lr', args.lr)} cosine, warm-up 50",
            "loss": "cross-entropy + soft Dice over the classes present in the batch",
            "seconds": sum(h["seconds"] for h in history),
            "exported_with_torch": torch.__version__,
        },
        "licence": "Apache-2.0 (trained by Strata on its own synthetic data)",
    }
    # the quality-control section (volume ranges, thresholds; see models/knee/README.md) is kept from the card it replaces
    old_card = os.path.join(args.out, "model.json")
    if os.path.exists(old_card):
        try:
            with open(old_card) as f:
                previous = json.load(f)
            if "quality" in previous:
                card["quality"] = previous["quality"]
        except (OSError, ValueError):
            pass
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(f"wrote {model_path} ({os.path.getsize(model_path) / 1e6:.1f} MB) and model.json", flush=True)


if __name__ == "__main__":
    main()
