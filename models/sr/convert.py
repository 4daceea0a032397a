#!/usr/bin/python3
"""Converts UpscalerJS ESRGAN-family super-resolution models (TensorFlow.js layers format) to TorchScript.

The npm packages @upscalerjs/esrgan-slim / -medium / -thick ship Keras models converted to TensorFlow.js:
models/x<scale>/model.json (the Keras functional graph) + group1-shard*.bin (float32 weights). This script
parses that graph, re-implements it in torch (Conv2D 'same', Activation, Concatenate, Add, UpSampling2D
nearest, the custom MultiplyBeta and PixelShuffle = tf.depthToSpace NHWC layers), loads the weights and
exports a TorchScript module + a Strata model card (model.json) per model.

TorchScript interface: N x 3 x H x W RGB float in [0, 1] -> N x 3 x (scale*H) x (scale*W) RGB in [0, 1]
(not clamped; the caller clamps). The original takes and returns 0..255; the * 255 / 255 is in the module.

Usage (exact commands in models/sr/README.md):
  cd /tmp/sr-npm && npm pack @upscalerjs/esrgan-slim@1.0.0 @upscalerjs/esrgan-medium@1.0.0 && for f in *.tgz; do mkdir -p ${f%.tgz} && tar xzf $f -C ${f%.tgz}; done
  /usr/bin/python3 models/sr/convert.py --npm /tmp/sr-npm --out models/sr [--check-node-modules /tmp/sr-tfjs/node_modules]
With --check-node-modules the original tfjs model is run by node (models/sr/tfjs_reference.js, pure-JS CPU
backend) on a few small images and compared with the torch output; the figures go into the card.
"""
import argparse
import json
import math
import os
import sys
import subprocess
import tempfile

import numpy as np
import torch
import torch.nn as nn
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from modelfiles import sha256  # noqa: E402  (models/modelfiles.py)

# (package, scale) -> folder under --out
MODELS = {
    "slim-x2": ("esrgan-slim", 2),
    "slim-x4": ("esrgan-slim", 4),
    "medium-x2": ("esrgan-medium", 2),
    "medium-x4": ("esrgan-medium", 4),
}


def package_dir(npm_root, package):
    for name in sorted(os.listdir(npm_root)):
        if name.startswith("upscalerjs-" + package + "-") and os.path.isdir(os.path.join(npm_root, name)):
            return os.path.join(npm_root, name, "package")
    raise SystemExit(f"no unpacked @upscalerjs/{package} under {npm_root} (npm pack + tar xzf first)")


def load_tfjs(model_dir):
    """Returns (layers config list, output layer names, the model.json, {weight name: np.ndarray})."""
    with open(os.path.join(model_dir, "model.json")) as f:
        spec = json.load(f)
    if spec.get("format") != "layers-model":
        raise SystemExit(f"{model_dir}: not a tfjs layers model")
    weights = {}
    for group in spec["weightsManifest"]:
        data = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            if w.get("dtype", "float32") != "float32" or "quantization" in w:
                raise SystemExit(f"{w['name']}: only unquantised float32 weights are supported")
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            weights[w["name"]] = np.frombuffer(data, dtype="<f4", count=n, offset=offset).reshape(w["shape"]).copy()
            offset += 4 * n
        if offset != len(data):
            raise SystemExit(f"{model_dir}: weight shards hold {len(data)} bytes, manifest describes {offset}")
    config = spec["modelTopology"]["model_config"]["config"]
    return config["layers"], [o[0] for o in config["output_layers"]], spec, weights


def depth_to_space_nhwc(x, s: int):
    """tf.depthToSpace(x, s, 'NHWC') on an NCHW tensor: channel k = (i * s + j) * C + c -> pixel (i, j) of c."""
    n, cs, h, w = x.shape
    c = cs // (s * s)
    x = x.reshape(n, s, s, c, h, w).permute(0, 3, 4, 1, 5, 2)
    return x.reshape(n, c, h * s, w * s)


class KerasGraph(nn.Module):
    """The Keras functional graph as torch modules, evaluated in the config's (topological) order."""

    def __init__(self, layers, outputs, weights):
        super().__init__()
        self.layers = layers
        self.outputs = outputs
        self.convs = nn.ModuleDict()
        used = set()
        for layer in layers:
            cls, cfg = layer["class_name"], layer["config"]
            if cls != "Conv2D":
                continue
            if list(cfg.get("strides", [1, 1])) != [1, 1] or list(cfg.get("dilation_rate", [1, 1])) != [1, 1]:
                raise SystemExit(f"{layer['name']}: only stride 1, dilation 1 convolutions are supported")
            kh, kw = cfg["kernel_size"]
            if cfg["padding"] == "same" and (kh % 2 == 0 or kw % 2 == 0):
                raise SystemExit(f"{layer['name']}: 'same' padding with an even kernel is asymmetric")
            kernel = weights[layer["name"] + "/kernel"]  # kh, kw, in, out
            conv = nn.Conv2d(kernel.shape[2], kernel.shape[3], (kh, kw),
                             padding=(kh // 2, kw // 2) if cfg["padding"] == "same" else 0, bias=cfg["use_bias"])
            conv.weight.data = torch.from_numpy(kernel).permute(3, 2, 0, 1).contiguous()
            used.add(layer["name"] + "/kernel")
            if cfg["use_bias"]:
                conv.bias.data = torch.from_numpy(weights[layer["name"] + "/bias"])
                used.add(layer["name"] + "/bias")
            self.convs[layer["name"]] = conv
        unused = set(weights) - used
        if unused:
            raise SystemExit(f"weights not used by any layer: {sorted(unused)[:5]}")

    @staticmethod
    def activation(name, x):
        if name == "relu":
            return torch.relu(x)
        if name == "linear":
            return x
        if name == "sigmoid":
            return torch.sigmoid(x)
        if name == "tanh":
            return torch.tanh(x)
        raise SystemExit(f"activation '{name}' is not supported")

    def forward(self, x):
        values = {}
        for layer in self.layers:
            cls, cfg, name = layer["class_name"], layer["config"], layer["name"]
            ins = [values[node[0]] for node in layer["inbound_nodes"][0]] if layer["inbound_nodes"] else []
            if cls == "InputLayer":
                y = x
            elif cls == "Conv2D":
                y = self.activation(cfg.get("activation", "linear"), self.convs[name](ins[0]))
            elif cls == "Activation":
                y = self.activation(cfg["activation"], ins[0])
            elif cls == "LeakyReLU":
                y = torch.nn.functional.leaky_relu(ins[0], cfg.get("alpha", 0.3))
            elif cls == "Concatenate":
                axis = cfg.get("axis", -1)
                if axis not in (-1, 3):
                    raise SystemExit(f"{name}: concatenation along axis {axis}")
                y = torch.cat(ins, dim=1)
            elif cls == "Add":
                y = ins[0]
                for other in ins[1:]:
                    y = y + other
            elif cls == "UpSampling2D":
                if cfg.get("interpolation", "nearest") != "nearest":
                    raise SystemExit(f"{name}: only nearest upsampling is supported")
                sh, sw = cfg["size"]
                y = ins[0].repeat_interleave(sh, dim=2).repeat_interleave(sw, dim=3)
            elif cls == "MultiplyBeta":
                y = ins[0] * cfg.get("beta", 0.2)
            elif cls.startswith("PixelShuffle"):
                y = depth_to_space_nhwc(ins[0], int(cfg["scale"]))
            else:
                raise SystemExit(f"layer type {cls} ({name}) is not supported")
            values[name] = y
        return values[self.outputs[0]]


class Unit(nn.Module):
    """[0, 1] in and out around a network that works in 0..255."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x * 255.0) / 255.0


def check_images():
    """A few small RGB test images (H x W x 3 float in [0, 1], odd sizes): a multi-scale smoothed-noise
    texture with a hard-edged disk, a smooth gradient and uniform noise."""
    rng = np.random.default_rng(3)
    images = []
    h, w = 37, 45
    tex = np.zeros((h, w, 3), np.float32)
    for cell in (2, 5, 11):
        coarse = torch.from_numpy(rng.random((1, 3, h // cell + 2, w // cell + 2), dtype=np.float32))
        up = torch.nn.functional.interpolate(coarse, scale_factor=cell, mode="bicubic", align_corners=False)
        tex += up[0, :, :h, :w].permute(1, 2, 0).numpy() / 3
    yy, xx = np.mgrid[0:h, 0:w]
    tex[(yy - 18) ** 2 + (xx - 25) ** 2 < 100] = (0.9, 0.2, 0.1)
    images.append(np.clip(tex, 0, 1))
    yy, xx = np.mgrid[0:24, 0:31].astype(np.float32)
    images.append(np.stack([yy / 23, xx / 30, (yy + xx) / 53], axis=-1))
    images.append(rng.random((19, 26, 3), dtype=np.float32))
    return images


def run_node_reference(node_modules, tfjs_dir, images, work):
    """Runs the original tfjs model in node on images; returns the outputs (H x W x 3, [0, 1])."""
    for i, im in enumerate(images):
        (im * 255.0).astype("<f4").tofile(os.path.join(work, f"in{i}.f32"))
    with open(os.path.join(work, "inputs.json"), "w") as f:
        json.dump([list(im.shape) for im in images], f)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tfjs_reference.js")
    env = dict(os.environ, NODE_PATH=node_modules)
    subprocess.run(["node", script, tfjs_dir, work], check=True, env=env)
    outs = []
    with open(os.path.join(work, "outputs.json")) as f:
        shapes = json.load(f)
    for i, shape in enumerate(shapes):
        outs.append(np.fromfile(os.path.join(work, f"out{i}.f32"), dtype="<f4").reshape(shape) / 255.0)
    return outs


def psnr(a, b):
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(1.0 / mse)


def torch_output(module, im):
    x = torch.from_numpy(np.ascontiguousarray(im.transpose(2, 0, 1)))[None]
    with torch.no_grad():
        return module(x)[0].permute(1, 2, 0).numpy()


def convert(npm_root, key, out_root, node_modules):
    package, scale = MODELS[key]
    pkg = package_dir(npm_root, package)
    with open(os.path.join(pkg, "package.json")) as f:
        pkg_json = json.load(f)
    tfjs_dir = os.path.join(pkg, "models", f"x{scale}")
    layers, outputs, spec, weights = load_tfjs(tfjs_dir)
    graph = KerasGraph(layers, outputs, weights)
    module = Unit(graph).eval()
    example = torch.rand(1, 3, 16, 20)
    with torch.no_grad():
        traced = torch.jit.trace(module, example)
    out_dir = os.path.join(out_root, key)
    os.makedirs(out_dir, exist_ok=True)
    model_path = os.path.join(out_dir, "model.pt")
    traced.save(model_path)
    reloaded = torch.jit.load(model_path)
    images = check_images()
    for im in images:  # the traced module must follow the input size and agree with the eager graph
        a, b = torch_output(module, im), torch_output(reloaded, im)
        assert a.shape == (im.shape[0] * scale, im.shape[1] * scale, 3), a.shape
        assert np.max(np.abs(a - b)) < 1e-5
    n_params = sum(p.numel() for p in graph.parameters())
    card = {
        "name": f"esrgan-{key}",
        "version": f"{pkg_json['version']}-strata1",
        "task": "super-resolution",
        "description": f"UpscalerJS {package} x{scale} ({spec['modelTopology']['model_config']['class_name']} "
                       f"Keras RDN, {n_params} parameters), converted from TensorFlow.js to TorchScript.",
        "file": "model.pt",
        "sha256": sha256(model_path),
        "input_channels": 3,
        "output_channels": 3,
        "scale": scale,
        "input": "RGB float in [0, 1], N x 3 x H x W, any H and W; output N x 3 x (scale H) x (scale W) RGB, "
                 "roughly [0, 1], not clamped (clamp before converting to 8 bits)",
        "normalisation": {"method": "none", "input_range": [0, 1], "output_range": [0, 1]},
        "receptive_field_radius": receptive_radius(layers),
        "source": {
            "npm_package": f"{pkg_json['name']}@{pkg_json['version']}",
            "tfjs_model": f"models/x{scale}/model.json",
            "weights_sha256": {p: sha256(os.path.join(tfjs_dir, p))
                               for g in spec["weightsManifest"] for p in g["paths"]},
            "licence": f"{pkg_json.get('license')} (package.json 'license' and LICENSE file: Copyright Kevin Scott; "
                       "the weights are distributed in the npm package under that licence)",
            "upstream": pkg_json.get("repository", {}).get("url", ""),
            "training_data": "DIV2K (per the package's model metadata: dataset 'div2k')",
        },
        "conversion": {"script": "models/sr/convert.py", "torch": torch.__version__},
    }
    if node_modules:
        work = tempfile.mkdtemp(prefix=f"sr-check-{key}-")
        refs = run_node_reference(node_modules, tfjs_dir, images, work)
        diffs, psnrs = [], []
        for im, ref in zip(images, refs):
            out = torch_output(reloaded, im)
            assert out.shape == ref.shape, (out.shape, ref.shape)
            diffs.append(float(np.max(np.abs(out - ref))))
            psnrs.append(psnr(out, ref))
        card["conversion"]["tfjs_check"] = {
            "images": [f"{im.shape[1]}x{im.shape[0]}" for im in images],
            "reference": "the original tfjs model run by @tensorflow/tfjs 4.11 (CPU backend) in node",
            "max_abs_diff": round(max(diffs), 8),
            "max_abs_diff_8bit_levels": round(max(diffs) * 255, 5),
            "min_psnr_db": round(min(psnrs), 2),
        }
        print(f"{key}: tfjs vs torch max |diff| {max(diffs):.3g} ({max(diffs) * 255:.4f} of 255), "
              f"min PSNR {min(psnrs):.1f} dB over {len(images)} images")
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(f"{key}: {n_params} parameters, {os.path.getsize(model_path)} bytes -> {out_dir}")


def receptive_radius(layers):
    """Pixels of context (in input pixels) one output pixel depends on, by the longest chain of convolutions
    (an upper bound; convolutions after the upsampling count in input pixels, rounded up)."""
    radius = {}
    scale = 1
    for layer in layers:
        ins = [n[0] for n in layer["inbound_nodes"][0]] if layer["inbound_nodes"] else []
        r = max((radius[i] for i in ins), default=0.0)
        cls, cfg = layer["class_name"], layer["config"]
        if cls == "Conv2D":
            r += (cfg["kernel_size"][0] // 2) / scale
        elif cls == "UpSampling2D":
            scale = cfg["size"][0]
        elif cls.startswith("PixelShuffle"):
            scale = int(cfg["scale"])
        radius[layer["name"]] = r
    return int(math.ceil(max(radius.values())))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--npm", required=True, help="folder with the unpacked upscalerjs-esrgan-*-<version>/ packages")
    ap.add_argument("--out", required=True, help="models/sr")
    ap.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of " + ",".join(MODELS))
    ap.add_argument("--check-node-modules", default="", help="node_modules with @tensorflow/tfjs: compare with the original")
    args = ap.parse_args()
    torch.manual_seed(0)
    for key in args.models.split(","):
        convert(args.npm, key, args.out, args.check_node_modules)


if __name__ == "__main__":
    main()
