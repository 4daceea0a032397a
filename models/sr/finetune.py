#!/usr/bin/python3
"""Fine-tunes the converted UpscalerJS super-resolution models (models/sr/<key>/model.pt from convert.py) with a
pixel loss on clean area-average downscales, to beat bicubic in PSNR / SSIM (issue 9).

The TorchScript module written by convert.py is loaded and its parameters are trained in place (a traced module's
parameters are ordinary leaf tensors), then it is saved again: same graph, same interface (N x 3 x H x W RGB in
[0, 1] -> N x 3 x sH x sW), same receptive field. Only the weights change.

Data: random patches of the photos/images of the Debian package opencv-doc (examples/data/*.jpg|png), EXCLUDING
the four PNGs the quality test measures on (tests/unit/SuperResTestImages.cpp) and the other views / frames of the
same scenes (aloeL/aloeR = aloeGT, basketball2 = basketball1, graf3 = graf1), so the test stays a held-out measure.
Degradation = what the pipeline documents and the test does: area average by the scale factor (cv::INTER_AREA,
which for an integer factor is the mean of each s x s block = avg_pool2d), then 8-bit quantisation.
Loss: L1 for the first `--l1-fraction` of the steps, then L2 (MSE) with a lower learning rate.

The images are read from raw RGB dumps (no image decoder in this Python): build models/sr/dump_rgb.cpp with
OpenCV and run it first (exact commands in models/sr/README.md). Everything is seeded; on one CPU thread the run
is deterministic.

Usage:
  /usr/bin/python3 models/sr/finetune.py --images /tmp/sr-rgb --base /tmp/sr-orig --out models/sr --models slim-x2
"""
import argparse
import json
import os
import sys
import random
import shutil
import time

import numpy as np
import torch
import torch.nn.functional as F
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from modelfiles import sha256  # noqa: E402  (models/modelfiles.py)

# the quality test's images and the other views / frames of the same scenes: never trained on
EXCLUDED = {
    "aloeGT.png": "quality test image",
    "basketball1.png": "quality test image",
    "chicky_512.png": "quality test image",
    "graf1.png": "quality test image",
    "aloeL.jpg": "other view of the aloeGT scene",
    "aloeR.jpg": "other view of the aloeGT scene",
    "basketball2.png": "next frame of basketball1",
    "graf3.png": "other view of the graf1 scene",
}
# photos of Debian wallpaper packages (dump_rgb --max-side 1024, see README.md): more natural-image training data
WALLPAPER_PACKAGES = "mate-backgrounds, lomiri-wallpapers, lomiri-wallpapers-20.04, ukui-wallpapers"
WALLPAPERS = {
    "Aqua.jpg", "Blinds.jpg", "Dune.jpg", "FreshFlower.jpg", "Garden.jpg", "GreenMeadow.jpg", "LadyBird.jpg",
    "RainDrops.jpg", "Storm.jpg", "TwoWings.jpg", "Wood.jpg", "YellowFlower.jpg", "Elephants_5640x3172.jpg",
    "Fossa_by_Jasper_Roks.jpg", "Infinite-Sea_by_Aury88.jpg", "Kleiber_by_Lukas_Baubkus.jpg",
    "Painting-Colors_by__herobrine7gamer.jpg", "2004default.jpg", "firstgeneration.jpg", "rhythm.jpg", "string.jpg",
    "the-mouse.jpg", "calla.png", "goldfish.png", "warty-final-ubuntu.png",
}
VALIDATION = ["smarties.png", "rubberwhale1.png", "box_in_scene.png", "baboon.jpg"]  # held out, for the log only

DEFAULTS = {  # key -> (LR patch, batch, steps, fraction of the steps with the L1 loss)
    "slim-x2": (40, 8, 900, 0.8),
    "slim-x4": (32, 8, 1100, 0.5),
    "medium-x2": (40, 8, 300, 0.8),
    "medium-x4": (32, 8, 300, 0.8),
}


def load_images(folder):
    images = {}
    with open(os.path.join(folder, "index.txt")) as f:
        for line in f:
            name, w, h = line.split()
            w, h = int(w), int(h)
            data = np.fromfile(os.path.join(folder, name + ".rgb"), dtype=np.uint8).reshape(h, w, 3)
            images[name] = torch.from_numpy(data.copy()).permute(2, 0, 1).contiguous()  # 3 x H x W uint8
    return images


def degrade(hr, s):
    """hr: N x 3 x H x W in [0, 1] (H, W multiples of s) -> area-average downscale, quantised to 8 bits."""
    return torch.round(F.avg_pool2d(hr, s) * 255.0) / 255.0


def sample_batch(rng, images, names, hr_size, batch, flat_fraction=0.0):
    out = []
    for _ in range(batch):
        any_patch = flat_fraction > 0 and rng.random() < flat_fraction  # also learn to keep flat areas flat (x4 on smooth photos)
        for attempt in range(8):  # prefer patches with some texture (many of these images have flat backgrounds)
            im = images[names[rng.randrange(len(names))]]
            _, h, w = im.shape
            if h < hr_size or w < hr_size:
                continue
            y, x = rng.randrange(h - hr_size + 1), rng.randrange(w - hr_size + 1)
            p = im[:, y:y + hr_size, x:x + hr_size].float() / 255.0
            if any_patch or p.std() > 0.04 or attempt == 7:
                break
        k = rng.randrange(8)  # dihedral augmentation
        if k & 1:
            p = p.flip(2)
        if k & 2:
            p = p.flip(1)
        if k & 4:
            p = p.transpose(1, 2)
        out.append(p)
    return torch.stack(out)


def psnr(a, b, border):
    d = (a - b)[..., border:-border, border:-border]
    return float(10 * torch.log10(1.0 / d.pow(2).mean()))


def validate(net, images, s):
    """Mean PSNR gain over bicubic (torch bicubic, a = -0.75 like cv::INTER_CUBIC) on the held-out images'
    192 x 192 centre crops, quantised as the test does."""
    gains = []
    with torch.no_grad():
        for name in VALIDATION:
            im = images[name]
            _, h, w = im.shape
            y0, x0 = (h - 192) // 2, (w - 192) // 2
            hr = im[None, :, y0:y0 + 192, x0:x0 + 192].float() / 255.0
            lr = degrade(hr, s)
            sr = torch.round(net(lr).clamp(0, 1) * 255) / 255
            bic = torch.round(F.interpolate(lr, scale_factor=s, mode="bicubic", align_corners=False).clamp(0, 1)
                              * 255) / 255
            gains.append(psnr(sr, hr, s) - psnr(bic, hr, s))
    return sum(gains) / len(gains)


def finetune(key, args, images):
    patch, batch, steps, l1_fraction = DEFAULTS[key]
    patch = args.patch or patch
    batch = args.batch or batch
    steps = args.steps or steps
    seed = args.seed
    random.seed(seed)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    base_dir = os.path.join(args.base, key)
    with open(os.path.join(base_dir, "model.json")) as f:
        card = json.load(f)
    s = int(card["scale"])
    net = torch.jit.load(os.path.join(base_dir, "model.pt"))
    params = list(net.parameters())
    for p in params:
        p.requires_grad_(True)
    names = sorted(n for n in images if n not in EXCLUDED and n not in VALIDATION)
    extra = [n for n in names if n in WALLPAPERS]
    print(f"{key}: x{s}, {sum(p.numel() for p in params)} parameters, {len(names)} training images, "
          f"LR patch {patch}, batch {batch}, {steps} steps", flush=True)
    print(f"{key}: step 0 validation PSNR gain over bicubic {validate(net, images, s):+.3f} dB", flush=True)
    opt = torch.optim.Adam(params, lr=args.lr)
    l1_steps = int(round(steps * (args.l1_fraction or l1_fraction)))
    t0 = time.time()
    running = 0.0
    for step in range(1, steps + 1):
        for g in opt.param_groups:  # linear warm-up (Adam's first steps are large), then L1 / L2 phases
            g["lr"] = args.lr * min(1.0, step / args.warmup) if step <= l1_steps else args.lr_l2
        hr = sample_batch(rng, images, names, patch * s, batch, args.flat_fraction)
        lr = degrade(hr, s)
        sr = net(lr)
        loss = F.l1_loss(sr, hr) if step <= l1_steps else F.mse_loss(sr, hr)
        opt.zero_grad()
        loss.backward()
        opt.step()
        running += float(loss)
        if step % args.log_every == 0 or step == steps:
            msg = f"{key}: step {step} loss {running / args.log_every:.5f} ({time.time() - t0:.0f} s)"
            running = 0.0
            if step % (args.log_every * 5) == 0 or step == steps:
                msg += f" validation gain {validate(net, images, s):+.3f} dB"
            print(msg, flush=True)
    seconds = time.time() - t0
    val_gain = validate(net, images, s)
    for p in params:
        p.requires_grad_(False)
    net.eval()

    out_dir = os.path.join(args.out, key)
    os.makedirs(out_dir, exist_ok=True)
    model_path = os.path.join(out_dir, "model.pt")
    net.save(model_path)
    reloaded = torch.jit.load(model_path)
    with torch.no_grad():  # same interface: any size in, s times out
        for h, w in ((37, 45), (24, 31), (19, 26)):
            x = torch.rand(1, 3, h, w)
            y = reloaded(x)
            assert y.shape == (1, 3, h * s, w * s), y.shape
            assert float((y - net(x)).abs().max()) < 1e-5

    orig_version = card["version"]
    previous = card.get("training")  # resuming from an earlier fine-tune of this script
    round_no = int(orig_version.rsplit("-ft", 1)[1]) + 1 if previous and "-ft" in orig_version else 1
    card["version"] = orig_version.rsplit("-strata", 1)[0] + f"-strata2-ft{round_no}"
    if not previous:
        card["description"] = (card["description"].rstrip(".") + f"; fine-tuned with an L1 then L2 pixel loss on "
                               f"clean x{s} area-average downscales (models/sr/finetune.py) to beat bicubic in "
                               "PSNR/SSIM.")
    card["sha256"] = sha256(model_path)
    card["licence_note"] = ("Derivative of the MIT-licensed UpscalerJS weights (Copyright (c) 2022 Kevin Scott): "
                            "the MIT licence and copyright notice of the source package apply to these weights. "
                            "Training images: Debian opencv-doc examples (OpenCV sample data)"
                            + ("" if not extra else " and the wallpapers of the Debian packages " + WALLPAPER_PACKAGES
                               + " (their licences: /usr/share/doc/<package>/copyright)") + ".")
    if not previous:
        card["conversion"]["note"] = ("tfjs_check compares the ORIGINAL conversion (version " + orig_version +
                                      ", convert.py) with tfjs; the weights here are that conversion fine-tuned.")
    card["training"] = {
        "script": "models/sr/finetune.py",
        "base": f"models/sr/{key} version {orig_version} ("
                + ("an earlier fine-tune, see previous_training" if previous else "convert.py output")
                + "), sha256 of the base model.pt " + sha256(os.path.join(base_dir, "model.pt")),
        "seed": seed,
        "steps": steps,
        "batch": batch,
        "lr_patch": patch,
        "hr_patch": patch * s,
        "optimizer": f"Adam lr {args.lr} (L1 phase, linear warm-up over {args.warmup} steps), {args.lr_l2} (L2 phase)",
        "loss": f"L1 for steps 1-{l1_steps}, then L2 (MSE) for steps {l1_steps + 1}-{steps}",
        "data": {
            "source": "/usr/share/doc/opencv-doc/examples/data/*.jpg|png (Debian opencv-doc)"
                      + ("" if not extra else ", wallpaper photos of " + WALLPAPER_PACKAGES + " (listed in "
                         "models/sr/README.md), longer side reduced to <= 1024 px by an integer area average")
                      + "; decoded by OpenCV (models/sr/dump_rgb.cpp)",
            "images": names,
            "excluded": EXCLUDED,
            "validation_held_out": VALIDATION,
            "sampling": f"uniform image, uniform position; {args.flat_fraction:.0%} of the patches kept wherever they "
                        "fall, the others re-drawn (up to 8 tries) while their standard deviation (all channels) is "
                        "<= 0.04; random flips / transpose",
        },
        "degradation": f"area average x{s} (mean of each {s}x{s} block = cv::INTER_AREA for an integer factor), "
                       "then rounded to 8 bits",
        "seconds": round(seconds, 1),
        "device": "CPU, 1 thread",
        "torch": torch.__version__,
        "validation_psnr_gain_over_bicubic_db": round(val_gain, 3),
    }
    if previous:
        card["training"]["previous_training"] = previous
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(f"{key}: {steps} steps in {seconds:.0f} s, validation gain {val_gain:+.3f} dB -> {out_dir}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", required=True, help="folder written by dump_rgb (index.txt + <name>.rgb)")
    ap.add_argument("--base", required=True, help="convert.py's output folder (the original conversion)")
    ap.add_argument("--out", required=True, help="models/sr")
    ap.add_argument("--models", default="slim-x2,slim-x4")
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--steps", type=int, default=0, help="0: the per-model default")
    ap.add_argument("--batch", type=int, default=0)
    ap.add_argument("--patch", type=int, default=0, help="LR patch size")
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--lr-l2", type=float, default=5e-5)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--l1-fraction", type=float, default=0.0, help="0: the per-model default")
    ap.add_argument("--flat-fraction", type=float, default=0.0,
                    help="fraction of patches taken wherever they fall (the rest prefer texture: std > 0.04)")
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if os.path.abspath(args.base) == os.path.abspath(args.out):
        raise SystemExit("--base and --out must differ (the base is the original conversion)")
    images = load_images(args.images)
    for key in args.models.split(","):
        finetune(key, args, images)


if __name__ == "__main__":
    main()
