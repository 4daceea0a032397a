#!/usr/bin/python3
"""Trains Strata's image classifier: a small CNN on Fashion-MNIST (Debian package dataset-fashion-mnist).

Reproducible from --seed: initialisation, shuffling and augmentation use torch generators seeded from --seed,
with deterministic algorithms (bit for bit on the CPU; on CUDA the pooling backward pass has no deterministic
kernel, so GPU runs agree in accuracy, not bit for bit).

Data      : /usr/share/datasets/fashion-mnist (60,000 training and 10,000 test images, 28x28 grey, 10 classes).
            The last 5,000 training images are held out for validation; the test split is only used once,
            at the end, for the accuracy in the card.
Model     : 3 conv blocks (3x3 conv 16/32/64 channels, batch norm, ReLU, max-pool) + dropout + 2 linear
            layers (576 -> 96 -> 10): about 2 M multiply-adds per image, 80 k parameters.
            The TorchScript module takes grey intensities in [0, 1] (N x 1 x 28 x 28, white object on black
            background as in the data set) and returns logits; mean/std normalisation is inside the module.
Augment   : horizontal flips and random shifts of up to 2 pixels.
Training  : AdamW, one-cycle learning rate, cross-entropy with label smoothing 0.05.
Output    : model.pt (TorchScript) and model.json (card with sha256 and test accuracy) in --out.

Usage: /usr/bin/python3 models/fashion/train.py --out models/fashion [--epochs 12] [--seed 7]
       Training on a GPU box and exporting with Debian's python3-torch (whose TorchScript LibTorch 1.13 loads):
       python3 train.py --device cuda --save-state state.pt          (on the GPU machine, any torch >= 1.13)
       /usr/bin/python3 train.py --from-state state.pt --out models/fashion   (here: test accuracy + export)

The committed model was made that way: 12 epochs, seed 7, on an H200 (torch 2.11, 30 s; the shared 2-core
development machine managed ~50 images/s), then exported and tested with python3-torch 1.13. Test accuracy
0.9148 (10,000 images); the card's "training" section records where and how it was trained.
"""
import argparse
import os
import sys

os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # deterministic cuBLAS

import gzip
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from modelfiles import sha256  # noqa: E402  (models/modelfiles.py)

DATA_DIR = "/usr/share/datasets/fashion-mnist"
LABELS = ["t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"]
MEAN, STD = 0.2860, 0.3530


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = magic & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_split(kind, data_dir=DATA_DIR):
    images = read_idx(os.path.join(data_dir, f"{kind}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{kind}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return x, torch.from_numpy(labels.astype(np.int64))


class FashionNet(nn.Module):
    def __init__(self, classes: int = 10):
        super().__init__()

        def block(cin, cout):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                                 nn.ReLU(inplace=True), nn.MaxPool2d(2))

        self.features = nn.Sequential(block(1, 16), block(16, 32), block(32, 64))  # 28 -> 14 -> 7 -> 3
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(64 * 3 * 3, 96), nn.ReLU(inplace=True),
                                  nn.Linear(96, classes))
        self.register_buffer("mean", torch.tensor(MEAN))
        self.register_buffer("std", torch.tensor(STD))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features((x - self.mean) / self.std))


def augment(x, gen):
    flip = torch.rand(x.shape[0], generator=gen) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    dx, dy = (int(v) for v in torch.randint(-2, 3, (2,), generator=gen))
    x = torch.roll(x, shifts=(dy, dx), dims=(2, 3))
    return x


def evaluate(model, x, y, batch=1000, device="cpu"):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            correct += (model(x[i:i + batch].to(device)).argmax(1).cpu() == y[i:i + batch]).sum().item()
    return correct / x.shape[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cpu", help="cpu or cuda (training only; export is always on the CPU)")
    ap.add_argument("--save-state", help="after training, save the weights and history here and stop")
    ap.add_argument("--data", default=DATA_DIR, help="folder with the four *-ubyte.gz files")
    ap.add_argument("--limit", type=int, default=0, help="smoke test: train on the first N images only")
    ap.add_argument("--from-state", help="skip training: load weights and history saved by --save-state")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True, warn_only=True)  # CUDA pooling backward has no deterministic kernel
    gen = torch.Generator().manual_seed(args.seed)

    x_all, y_all = load_split("train", args.data)
    x_test, y_test = load_split("t10k", args.data)
    x_train, y_train = x_all[:55000], y_all[:55000]
    if args.limit:
        x_train, y_train = x_train[:args.limit], y_train[:args.limit]
    x_val, y_val = x_all[55000:], y_all[55000:]

    model = FashionNet(len(LABELS))
    steps_per_epoch = (x_train.shape[0] + args.batch - 1) // args.batch
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch)
    history = []
    trained = {"device": args.device, "torch": torch.__version__}
    t0 = time.time()
    if args.from_state:
        saved = torch.load(args.from_state, map_location="cpu")
        model.load_state_dict(saved["state"])
        history, trained = saved["history"], saved["trained"]
        for k in ("seed", "epochs", "batch", "lr"):
            setattr(args, k, saved["args"][k])
    device = args.device if not args.from_state else "cpu"
    model.to(device)
    for epoch in range(0 if args.from_state else args.epochs):
        model.train()
        order = torch.randperm(x_train.shape[0], generator=gen)
        total = 0.0
        for s in range(steps_per_epoch):
            idx = order[s * args.batch:(s + 1) * args.batch]
            xb, yb = augment(x_train[idx], gen).to(device), y_train[idx].to(device)
            loss = F.cross_entropy(model(xb), yb, label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        val = evaluate(model, x_val, y_val, device=device)
        history.append({"epoch": epoch + 1, "loss": total / steps_per_epoch, "val_accuracy": val,
                        "seconds": round(time.time() - t0, 1)})
        print(f"epoch {epoch + 1}/{args.epochs} loss {total / steps_per_epoch:.4f} val {val:.4f} "
              f"({time.time() - t0:.0f} s)", flush=True)

    if args.save_state:
        trained["seconds"] = round(time.time() - t0, 1)
        if device == "cuda":
            trained["gpu"] = torch.cuda.get_device_name(0)
        torch.save({"state": model.state_dict(), "history": history, "trained": trained,
                    "args": {k: getattr(args, k) for k in ("seed", "epochs", "batch", "lr")}}, args.save_state)
        print(f"saved weights to {args.save_state}")
        return
    model.to("cpu").eval()
    test_acc = evaluate(model, x_test, y_test)
    per_class = {}
    with torch.no_grad():
        pred = torch.cat([model(x_test[i:i + 1000]).argmax(1) for i in range(0, 10000, 1000)])
    for c, name in enumerate(LABELS):
        m = y_test == c
        per_class[name] = round((pred[m] == c).float().mean().item(), 4)
    print(f"test accuracy {test_acc:.4f}")

    os.makedirs(args.out, exist_ok=True)
    model_path = os.path.join(args.out, "model.pt")
    torch.jit.script(model).save(model_path)
    card = {
        "name": "fashion-cnn",
        "version": "1.0." + time.strftime("%Y%m%d"),
        "task": "classification",
        "description": "Small CNN classifying 28x28 grey images of clothing into the 10 Fashion-MNIST classes.",
        "file": "model.pt",
        "sha256": sha256(model_path),
        "input_channels": 1,
        "output_channels": len(LABELS),
        "input_size": [28, 28],
        "input": "grey intensities in [0, 1], N x 1 x 28 x 28, light object on dark background; "
                 "mean/std normalisation is inside the model; output: logits",
        "polarity": "light-on-dark",
        "normalisation": {"method": "none"},
        "labels": [{"id": i, "name": n} for i, n in enumerate(LABELS)],
        "accuracy": {"test_split": "fashion-mnist t10k (10,000 images)", "test_accuracy": round(test_acc, 4),
                     "per_class_accuracy": per_class, "validation_accuracy": history[-1]["val_accuracy"]},
        "training": {"script": "models/fashion/train.py", "data": "Debian dataset-fashion-mnist "
                     "(train images 0..54999; 55000..59999 held out for validation)",
                     "seed": args.seed, "epochs": args.epochs, "batch": args.batch, "lr": args.lr,
                     "trained_on": trained, "exported_with_torch": torch.__version__, "history": history},
    }
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
