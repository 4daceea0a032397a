"""Domain randomisation for the knee model (issue 17, SynthSeg-style): training images drawn from label maps.

Every training sample is rendered from the phantom's *tissue-class map* (labels + tissue.u8 from
`strata-knee-phantom-raw --tissues`: cortex and marrow apart), not taken from the phantom's own DESS-like image:

  spatial   : patch centre on cartilage/menisci, bone or anywhere, off-centre jitter; random rotation (up to
              --synth-rot degrees about each axis, in mm, so anisotropic voxels stay rigid), scale 0.85..1.2 with
              +-5 % per axis, smooth elastic displacement (up to 3 mm); labels by nearest neighbour. Outside the
              phantom's volume is air. Left-right mirroring (index axis z): off (default), keep or swap
              (medial/lateral ids swapped; harmful, see README).
  contrast  : per sample a mean and SD for each of the 16 generation classes (air, cortex and marrow of each bone,
              each cartilage plate, each meniscus, fluid, muscle, fat): from a contrast preset (DESS, PD-FS, PD,
              FS-GRE/SPGR, T2) jittered per tissue and per class, or fully random (uniform means); texture: smooth
              multiplicative noise per class (marrow 5..45 %, others up to 12 %), so bones are not flat.
  physics   : partial-volume blur, multiplicative smooth bias field, acquisition resolution (in-plane 0.3..0.8 mm,
              slice thickness 0.5..4 mm along a random axis: Gaussian blur of matching width, resampling to that
              grid, back by trilinear interpolation), Rician noise added on the acquisition grid, gamma.
  FOV       : with some probability the image ends inside the patch (1-2 faces cut: zero image, background labels).
  normalise : as the C++ pipeline, per patch: clip at the 0.5th / clip_high-th percentile, z-score.

Held-out contrasts (HELD_OUT_PRESETS: T1, T2-FS) are never drawn as presets in training; train.py validates on them.
All on torch tensors, batched, on CUDA or CPU. Random draws: `g` (CPU torch.Generator) for per-sample parameters,
`dg` (a generator on the tensors' device) for voxel noise; on CPU a seed gives the same samples bit for bit.
Only numpy + torch.
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

SPACING_ZYX = (0.7, 0.4, 0.4)  # mm of the phantom grid along tensor axes z (left-right), y (inferior), x (posterior)
TISSUES = ["background", "cortical_bone", "marrow", "cartilage", "meniscus", "fluid", "muscle", "fat"]
# Generation classes: phantom label ids 0..12 (0 = air outside the limb; bones 1..3 = their marrow; 10 fluid,
# 11 muscle, 12 fat) and the cortex of femur / tibia / patella as 13 / 14 / 15.
GEN_CLASSES = 16
GEN_TO_CLASS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 1, 2, 3]          # -> model class (10 classes)
GEN_GROUP = [0, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 6, 7, 1, 1, 1]             # -> tissue group (index into TISSUES)
MIRROR_SWAP = [0, 1, 2, 3, 4, 6, 5, 7, 9, 8, 10, 11, 12, 13, 14, 15]      # medial <-> lateral plate and meniscus
MARROW_CLASSES = [1, 2, 3]  # generation classes of the femur's, tibia's and patella's marrow
MIRROR_AXIS = 0  # tensor axis z of a [Z, Y, X] volume: the phantom's index axis z points to the patient's right

# Mean signal per tissue group (order of TISSUES), relative to the brightest tissue.
PRESETS = {
    "dess":   [0.0, 0.04, 0.22, 0.65, 0.08, 1.00, 0.28, 0.17],  # water-excitation DESS (the phantom's own look)
    "pdfs":   [0.0, 0.03, 0.15, 0.50, 0.06, 1.00, 0.32, 0.12],  # proton density, fat-saturated
    "pd":     [0.0, 0.04, 0.80, 0.55, 0.08, 0.70, 0.38, 1.00],  # proton density, fat bright
    "grefs":  [0.0, 0.04, 0.12, 1.00, 0.08, 0.55, 0.30, 0.08],  # FS spoiled GRE: cartilage brighter than fluid
    "t2":     [0.0, 0.03, 0.55, 0.30, 0.05, 1.00, 0.20, 0.75],  # T2 without fat saturation
}
HELD_OUT_PRESETS = {  # validation only, never drawn as presets in training
    "t1":   [0.0, 0.04, 0.90, 0.40, 0.06, 0.18, 0.35, 1.00],    # T1: fat and marrow bright, fluid dark
    "t2fs": [0.0, 0.02, 0.08, 0.22, 0.04, 1.00, 0.14, 0.06],    # T2 fat-saturated: cartilage dark, fluid bright
}


def add_args(ap):
    ap.add_argument("--synth", default="off", choices=["off", "on"],
                    help="domain randomisation (models/knee/synth.py): render training images from the tissue map "
                         "with random contrast, resolution, orientation, FOV and side. off = the classic phantom-image "
                         "augmentation (how model 1.3 was trained)")
    ap.add_argument("--synth-real", type=float, default=0.2,
                    help="with --synth on: fraction of batches taken from the phantoms' own images with the classic "
                         "augmentation instead")
    ap.add_argument("--synth-rot", type=float, default=45.0, help="with --synth on: maximum rotation about each axis (deg)")
    ap.add_argument("--synth-mirror", default="off", choices=["off", "keep", "swap"],
                    help="with --synth on: half the samples mirrored left-right. off (default) = never: the pipeline "
                         "brings every knee into the right-knee frame, so the network sees right knees only. keep = "
                         "anatomical labels (the network must tell medial from lateral by shape; for side=auto on "
                         "left knees). swap = medial/lateral ids swapped so labels stay positional - do not use: a "
                         "rotated patch has no absolute position, so half the samples teach the opposite of the other "
                         "half (the 2026-12-07 CPU run with swap lost the lateral tibial plate: Dice 0.98 -> 0.26)")


def history_record(args):
    if args.synth != "on":
        return {"synth": "off"}
    return {"synth": "on", "synth_real": args.synth_real, "synth_rot": args.synth_rot, "synth_mirror": args.synth_mirror,
            "synth_texture": "p 0.6: marrow 0.05..0.45, other classes (p 0.3 each) 0..0.12"}


def describe(rec):
    if rec.get("synth") != "on":
        return "intensity scale/shift, gamma, noise, bias field, rotation +-15 deg, scale 0.85..1.15, elastic"
    return (f"domain randomisation (synth.py): random per-class contrast (presets {'/'.join(PRESETS)} or fully random), "
            f"tissue texture (smooth multiplicative noise; marrow up to 45 %), blur, bias, resolution 0.3..0.8 mm in-plane / 0.5..4 mm slices on a random axis, Rician noise, rotation "
            f"+-{rec['synth_rot']:.0f} deg, scale, elastic, FOV cuts, mirroring ({rec['synth_mirror']}); "
            f"{rec['synth_real']:.0%} of batches phantom images with the classic augmentation")


# ---------------------------------------------------------------------------------------------------------------
# Generation label maps


def gen_map(labels, tissue=None):
    """uint8 generation classes from phantom label ids (0..12) and tissue ids (TISSUES order). Without a tissue map
    the cortex is approximated as the outer 2 voxels of each bone (the phantom's cortex is 1.0..2.5 mm)."""
    gen = labels.astype(np.uint8).copy()
    gen[gen > 12] = 0
    bone = (labels >= 1) & (labels <= 3)
    if tissue is not None:
        cortex = bone & (tissue == TISSUES.index("cortical_bone"))
    else:
        inner = bone.copy()
        for _ in range(2):
            e = inner.copy()
            for ax in range(3):
                for sh in (1, -1):
                    e &= np.roll(inner, sh, axis=ax)
            inner = e
        cortex = bone & ~inner
    gen[cortex] += 12
    return gen


def load_gen(case_dir):
    """Generation map of a phantom folder (raw: labels.u8 + tissue.u8; NIfTI: labels only, approximate cortex)."""
    meta = os.path.join(case_dir, "meta.json")
    if os.path.exists(meta):
        import json
        size = json.load(open(meta))["size"]
        shape = (size[2], size[1], size[0])
        lab = np.fromfile(os.path.join(case_dir, "labels.u8"), np.uint8).reshape(shape)
        tpath = os.path.join(case_dir, "tissue.u8")
        tissue = np.fromfile(tpath, np.uint8).reshape(shape) if os.path.exists(tpath) else None
    else:
        from nifti import read_nifti
        lab, _ = read_nifti(os.path.join(case_dir, "labels.nii.gz"))
        tissue = None
    return gen_map(lab, tissue)


# ---------------------------------------------------------------------------------------------------------------
# Spatial sampling


def _rot(ang):
    cx, cy, cz = (math.cos(a) for a in ang)
    sx, sy, sz = (math.sin(a) for a in ang)
    rx = torch.tensor([[1, 0, 0], [0, cx, -sx], [0, sx, cx]], dtype=torch.float64)
    ry = torch.tensor([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]], dtype=torch.float64)
    rz = torch.tensor([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]], dtype=torch.float64)
    return rz @ ry @ rx


def _u(g, lo, hi, n=None):
    if n is None:
        return lo + (hi - lo) * torch.rand(1, generator=g).item()
    return lo + (hi - lo) * torch.rand(n, generator=g)


def mirror(lab, swap=True):
    """Left-right mirror of a generation or class map [Z,Y,X] (axis z); swap: medial <-> lateral ids too."""
    lab = lab.flip(MIRROR_AXIS)
    if swap:
        lab = torch.tensor(MIRROR_SWAP, dtype=lab.dtype, device=lab.device)[lab.long()]
    return lab


class SynthSampler:
    """Draws patches of generation labels from the cases' generation maps (uint8 [Z,Y,X], numpy), spatially
    randomised, optionally mirrored. Maps stay on `device` as uint8. g: its own CPU generator (so the spatial draws
    do not depend on the contrast draws)."""

    def __init__(self, gens, patch, device, g, max_rot_deg=45.0, mirror="off", centred=0.8):
        self.gens = [torch.from_numpy(x).to(device) for x in gens]
        self.patch = tuple(patch)
        self.device = device
        self.g = g
        self.max_rot = math.radians(max_rot_deg)
        self.mirror = mirror
        self.centred = centred
        self.fg, self.bone = [], []
        for x in gens:
            idx = np.flatnonzero((x >= 4) & (x <= 9))
            self.fg.append(torch.from_numpy(idx[:: max(1, len(idx) // 20000)].copy()))
            idx = np.flatnonzero(((x >= 1) & (x <= 3)) | (x >= 13))
            self.bone.append(torch.from_numpy(idx[:: max(1, len(idx) // 20000)].copy()))
        self.mirror_p = 0.5
        sp = torch.tensor(SPACING_ZYX, dtype=torch.float32, device=device)
        axes = [(torch.arange(n, dtype=torch.float32, device=device) - (n - 1) / 2) for n in self.patch]
        zz, yy, xx = torch.meshgrid(*axes, indexing="ij")
        self.out_mm = torch.stack([zz, yy, xx], -1).reshape(-1, 3) * sp  # patch voxel offsets in mm (z, y, x)
        self.spacing = sp

    def _centre(self, ci):
        g = self.g
        shape = self.gens[ci].shape
        r = torch.rand(1, generator=g).item()
        if r < self.centred:
            pool = self.fg[ci] if r < self.centred * 0.625 else self.bone[ci]
            flat = int(pool[int(torch.randint(len(pool), (1,), generator=g))])
            c = np.array(np.unravel_index(flat, shape), dtype=np.float64)
            c += (torch.rand(3, generator=g).numpy() * 2 - 1) * np.array(self.patch) * 0.25  # off-centre
        else:
            c = torch.rand(3, generator=g).numpy() * (np.array(shape) - 1)
        return np.clip(c, 0, np.array(shape) - 1)

    def sample(self, n):
        """Returns generation labels [n, Z, Y, X] (long) and the FOV mask [n, 1, Z, Y, X] (bool, True = no data)."""
        g = self.g
        out, fov = [], []
        pz, py, px = self.patch
        for _ in range(n):
            ci = int(torch.randint(len(self.gens), (1,), generator=g))
            vol = self.gens[ci]
            centre = torch.tensor(self._centre(ci), dtype=torch.float32, device=self.device)
            a = torch.eye(3, dtype=torch.float64)
            if torch.rand(1, generator=g).item() < 0.9:
                a = _rot([(torch.rand(1, generator=g).item() * 2 - 1) * self.max_rot for _ in range(3)])
            scale = _u(g, 0.85, 1.2) * _u(g, 0.95, 1.05, 3)
            a = (a @ torch.diag(scale.double())).float().to(self.device)
            mm = self.out_mm @ a.T
            if torch.rand(1, generator=g).item() < 0.6:  # elastic: smooth displacement up to ~3 mm
                disp = torch.randn((1, 3, 5, 5, 5), generator=g) * _u(g, 0.5, 2.0)
                disp = F.interpolate(disp.to(self.device), size=self.patch, mode="trilinear", align_corners=True)
                mm = mm + disp[0].reshape(3, -1).T
            src = mm / self.spacing + centre  # source voxel index (z, y, x)
            shape = torch.tensor(vol.shape, device=self.device)
            lo = src.amin(0).floor().clamp(min=0).long()
            hi = torch.minimum(src.amax(0).ceil().long() + 1, shape)
            lo = torch.minimum(lo, hi - 2)
            crop = vol[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]].float()
            size = (hi - lo).float()
            grid = 2 * (src - lo.float()) / (size - 1) - 1  # align_corners=True
            grid = grid.flip(-1).reshape(1, pz, py, px, 3)  # grid_sample wants (x, y, z)
            lab = F.grid_sample(crop[None, None], grid, mode="nearest", padding_mode="zeros", align_corners=True)
            lab = lab[0, 0].round().to(torch.uint8)
            if self.mirror != "off" and torch.rand(1, generator=g).item() < self.mirror_p:
                lab = mirror(lab, self.mirror == "swap")
            out.append(lab)
            fov.append(self._fov_mask())
        return torch.stack(out).long(), torch.stack(fov)

    def _fov_mask(self):
        """True where the acquisition's field of view ends inside the patch (p 0.3: one or two faces cut)."""
        g = self.g
        mask = torch.zeros(self.patch, dtype=torch.bool, device=self.device)
        if torch.rand(1, generator=g).item() < 0.3:
            for _ in range(1 + int(torch.rand(1, generator=g).item() < 0.4)):
                ax = int(torch.randint(3, (1,), generator=g))
                n = self.patch[ax]
                cut = int(n * _u(g, 0.1, 0.35))
                sl = [slice(None)] * 3
                sl[ax] = slice(0, cut) if torch.rand(1, generator=g).item() < 0.5 else slice(n - cut, n)
                mask[tuple(sl)] = True
        return mask[None]


# ---------------------------------------------------------------------------------------------------------------
# Contrast and acquisition


def draw_params(n, g, presets=PRESETS):
    """Per-sample rendering parameters (plain tensors / lists on CPU)."""
    names = list(presets)
    group = torch.tensor(GEN_GROUP)
    ps = []
    for _ in range(n):
        p = {}
        if torch.rand(1, generator=g).item() < 0.6:
            name = names[int(torch.randint(len(names), (1,), generator=g))]
            base = torch.tensor(presets[name], dtype=torch.float32)
            base = base * torch.exp(torch.randn(len(TISSUES), generator=g) * 0.2)  # per tissue
            mean = base[group] * torch.exp(torch.randn(GEN_CLASSES, generator=g) * 0.05)  # per class
            mean[0] = _u(g, 0.0, 0.05)
            p["contrast"] = name
        else:  # fully random: per tissue group (p 0.5) or per class
            if torch.rand(1, generator=g).item() < 0.5:
                mean = torch.rand(len(TISSUES), generator=g)[group]
            else:
                mean = torch.rand(GEN_CLASSES, generator=g)
            mean[0] = _u(g, 0.0, 0.1) if torch.rand(1, generator=g).item() < 0.85 else _u(g, 0.0, 1.0)
            p["contrast"] = "random"
        p["mean"] = mean
        p["sd"] = _u(g, 0.005, 0.06, GEN_CLASSES)
        # texture: smooth multiplicative noise inside tissues (trabecular marrow most of all), so that a bone is not
        # one flat intensity - real marrow and another phantom family's are not
        amp = torch.zeros(GEN_CLASSES)
        if torch.rand(1, generator=g).item() < 0.6:
            amp = _u(g, 0.0, 0.12, GEN_CLASSES) * (torch.rand(GEN_CLASSES, generator=g) < 0.3)
            amp[torch.tensor(MARROW_CLASSES)] = _u(g, 0.05, 0.45, len(MARROW_CLASSES))
        p["texture_amp"] = amp
        p["texture_scale"] = _u(g, 1.5, 5.0)  # voxels between independent noise values
        p["pv_sigma"] = _u(g, 0.3, 0.8)  # partial-volume blur, voxels
        p["bias"] = _u(g, 0.0, 0.35) if torch.rand(1, generator=g).item() < 0.9 else 0.0
        p["bias_field"] = torch.randn((1, 1, 4, 4, 4), generator=g)
        target = list(SPACING_ZYX)
        if torch.rand(1, generator=g).item() < 0.85:
            r = torch.rand(1, generator=g).item()
            axis = 0 if r < 0.5 else (1 if r < 0.75 else 2)  # sagittal slices most often
            inplane = _u(g, 0.3, 0.8)
            target = [inplane] * 3
            target[axis] = math.exp(_u(g, math.log(0.5), math.log(4.0)))
        p["spacing"] = target
        p["noise"] = _u(g, 0.0, 0.08)
        p["gamma"] = math.exp(float(torch.randn(1, generator=g)) * 0.25)
        ps.append(p)
    return ps


# Held-out synthetic validation (train.py): phantom seed, contrast never drawn as a preset, acquisition spacing (z, y, x
# mm: z = left-right, so a thick z is sagittal slices; a thick x (posterior) coronal ones).
VALIDATION = [
    {"seed": 900001, "contrast": "t1", "spacing_zyx": [0.7, 0.4, 0.4], "noise": 0.03},
    {"seed": 900002, "contrast": "t2fs", "spacing_zyx": [0.7, 0.4, 0.4], "noise": 0.03},
    {"seed": 900003, "contrast": "t1", "spacing_zyx": [3.0, 0.4, 0.4], "noise": 0.04},
    {"seed": 900001, "contrast": "t2fs", "spacing_zyx": [0.5, 0.5, 3.0], "noise": 0.04},
]


def fixed_params(preset, spacing=SPACING_ZYX, noise=0.03, bias=0.2, seed=0):
    """Deterministic parameters for validation: one preset (e.g. HELD_OUT_PRESETS['t1']) without jitter."""
    g = torch.Generator().manual_seed(seed)
    mean = torch.tensor(preset, dtype=torch.float32)[torch.tensor(GEN_GROUP)]
    return {"contrast": "fixed", "mean": mean, "sd": torch.full((GEN_CLASSES,), 0.02), "pv_sigma": 0.5, "bias": bias,
            "bias_field": torch.randn((1, 1, 4, 4, 4), generator=g), "spacing": list(spacing), "noise": noise,
            "gamma": 1.0}


def gaussian_kernel(sigma, radius):
    if sigma <= 0:
        k = torch.zeros(2 * radius + 1)
        k[radius] = 1
        return k
    x = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-0.5 * (x / sigma) ** 2)
    return k / k.sum()


def blur(img, sigmas):
    """Separable Gaussian blur of img [B,1,Z,Y,X], sigmas [B][3] in voxels (per sample and axis), one grouped
    convolution per axis. Edges replicate."""
    b = img.shape[0]
    x = img.reshape(1, b, *img.shape[2:])
    for ax in range(3):
        s = [max(0.0, float(sig[ax])) for sig in sigmas]
        if max(s) < 0.2:
            continue
        r = max(1, int(math.ceil(3 * max(s))))
        r = min(r, (img.shape[2 + ax] - 1))
        w = torch.stack([gaussian_kernel(si if si >= 0.2 else 0.0, r) for si in s]).to(img.device, img.dtype)
        shape = [b, 1, 1, 1, 1]
        shape[2 + ax] = 2 * r + 1
        pad = [0, 0, 0, 0, 0, 0]
        pad[2 * (2 - ax)] = pad[2 * (2 - ax) + 1] = r
        x = F.conv3d(F.pad(x, pad, mode="replicate"), w.reshape(shape), groups=b)
    return x.reshape(img.shape)


def _percentile(x, q):
    """Approximate percentiles (q in 0..100) of each sample of x [B, ...] from a strided subsample."""
    flat = x.reshape(x.shape[0], -1)
    step = max(1, flat.shape[1] // 200000)
    sub = flat[:, ::step].float()
    return torch.quantile(sub, torch.tensor([v / 100 for v in q], device=x.device), dim=1).T  # [B, len(q)]


def _texture(img, idx, params, dg):
    """Multiplies each voxel by 1 + amplitude(class) * smooth noise (unit SD, one field per sample)."""
    if not any("texture_amp" in p and float(p["texture_amp"].abs().max()) > 0 for p in params):
        return img
    b, shape = img.shape[0], img.shape[2:]
    amp = torch.stack([p.get("texture_amp", torch.zeros(GEN_CLASSES)) for p in params]).to(img.device)
    fields = []
    for p in params:
        low = tuple(max(2, int(round(n / p.get("texture_scale", 3.0)))) for n in shape)
        f = torch.randn((1, 1, *low), generator=dg, device=img.device)
        f = F.interpolate(f, size=tuple(shape), mode="trilinear", align_corners=True)
        fields.append(f / f.std().clamp(min=1e-6))
    field = torch.cat(fields)
    a = torch.gather(amp, 1, idx).reshape(img.shape)
    return img * (1 + a * field).clamp(min=0.05)


def render(gen, params, dg, fov=None):
    """Image [B,1,Z,Y,X] (float32, unnormalised, roughly 0..1) from generation labels gen [B,Z,Y,X] (long)."""
    b = gen.shape[0]
    dev = gen.device
    shape = gen.shape[1:]
    mean = torch.stack([p["mean"] for p in params]).to(dev)
    sd = torch.stack([p["sd"] for p in params]).to(dev)
    idx = gen.reshape(b, -1)
    img = torch.gather(mean, 1, idx) + torch.gather(sd, 1, idx) * torch.randn(idx.shape, generator=dg, device=dev)
    img = img.reshape(b, 1, *shape)
    img = _texture(img, idx, params, dg)
    # blur: partial volume, and the acquisition's resolution where coarser than the grid (FWHM = spacing)
    factors = [[max(1.0, p["spacing"][a] / SPACING_ZYX[a]) for a in range(3)] for p in params]
    sigmas = [[math.sqrt(p["pv_sigma"] ** 2 + (0.425 * f) ** 2 if f > 1 else p["pv_sigma"] ** 2) for f in fs]
              for p, fs in zip(params, factors)]
    img = blur(img, sigmas)
    bias = torch.cat([p["bias_field"] * p["bias"] for p in params]).to(dev)
    img = img * torch.exp(F.interpolate(bias, size=tuple(shape), mode="trilinear", align_corners=True))
    out = []
    for i, p in enumerate(params):
        x = img[i:i + 1]
        low = tuple(max(2, int(round(n / f))) for n, f in zip(shape, factors[i]))
        if low != tuple(shape):
            x = F.interpolate(x, size=low, mode="trilinear", align_corners=True)
        sigma = p["noise"] * float(p["mean"].max())
        if sigma > 0:  # Rician: magnitude of a complex signal with Gaussian noise in both channels
            n1 = torch.randn(x.shape, generator=dg, device=dev)
            n2 = torch.randn(x.shape, generator=dg, device=dev)
            x = torch.sqrt((x + sigma * n1) ** 2 + (sigma * n2) ** 2)
        if low != tuple(shape):
            x = F.interpolate(x, size=tuple(shape), mode="trilinear", align_corners=True)
        out.append(x)
    img = torch.cat(out).clamp(min=0)
    gam = torch.tensor([p["gamma"] for p in params], device=dev).reshape(b, 1, 1, 1, 1)
    if (gam != 1).any():
        hi = _percentile(img, [99.9])[:, 0].reshape(b, 1, 1, 1, 1).clamp(min=1e-6)
        img = (img / hi).clamp(min=0) ** gam * hi
    if fov is not None:
        img = img.masked_fill(fov, 0.0)
    return img


def normalise(img, clip_high=99.5):
    """Per sample, as the C++ pipeline does per volume: clip to the 0.5th / clip_high-th percentiles, z-score."""
    b = img.shape[0]
    q = _percentile(img, [0.5, clip_high])
    lo, hi = q[:, 0].reshape(b, 1, 1, 1, 1), q[:, 1].reshape(b, 1, 1, 1, 1)
    img = torch.minimum(torch.maximum(img, lo), hi)
    m = img.mean(dim=(1, 2, 3, 4), keepdim=True)
    s = img.std(dim=(1, 2, 3, 4), keepdim=True).clamp(min=1e-6)
    return (img - m) / s


def synth_batch(sampler, n, g, dg, clip_high=99.5):
    """One training batch: normalised images [n,1,Z,Y,X] float32 and model classes [n,Z,Y,X] long. Spatial draws
    from the sampler's generator, contrast and acquisition from g, voxel noise from dg."""
    gen, fov = sampler.sample(n)
    bench = torch.backends.cudnn.benchmark
    torch.backends.cudnn.benchmark = False  # kernel sizes change every batch: no autotuning for these
    try:
        img = render(gen, draw_params(n, g), dg, fov)
    finally:
        torch.backends.cudnn.benchmark = bench
    cls = torch.tensor(GEN_TO_CLASS, device=gen.device)[gen]
    cls = cls.masked_fill(fov[:, 0], 0)
    return normalise(img, clip_high), cls


def render_volume(gen_np, preset, spacing=SPACING_ZYX, noise=0.03, bias=0.2, seed=0, device="cpu"):
    """A whole phantom rendered with a fixed contrast (validation): float32 numpy [Z,Y,X], unnormalised."""
    gen = torch.from_numpy(gen_np.astype(np.int64))[None].to(device)
    dg = torch.Generator(device=device).manual_seed(seed)
    with torch.no_grad():
        img = render(gen, [fixed_params(preset, spacing, noise, bias, seed)], dg)
    return img[0, 0].float().cpu().numpy()
