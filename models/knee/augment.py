"""The classic augmentation of the knee model's training (models 1.0-1.3): applied to the phantoms' own images.
Moved out of train.py unchanged; the domain randomisation of issue 17 is synth.py."""
import math

import torch
import torch.nn.functional as F


def tissue_contrast(img, raw, gen, sigma):
    """Per-tissue contrast: each tissue's signal (above the patch's darkest level) is scaled by its own random
    factor exp(N(0, sigma)), with the factor map smoothed over 3 voxels so no edge appears exactly on a label
    boundary (the network must not learn to see labels). Teaches contrasts beyond the phantoms' own jitter.
    img: [B,1,Z,Y,X] float, raw: [B,Z,Y,X] phantom label ids (0..12)."""
    b = img.shape[0]
    factors = torch.exp(torch.randn((b, 256), generator=gen) * sigma).to(img.device)
    fmap = torch.gather(factors, 1, raw.reshape(b, -1).long()).reshape(raw.shape).unsqueeze(1)
    fmap = F.avg_pool3d(fmap, 3, stride=1, padding=1, count_include_pad=False)
    lo = img.amin(dim=(2, 3, 4), keepdim=True)
    return lo + (img - lo) * fmap


def augment(img, lab, gen, dgen):
    """img: [B,1,Z,Y,X] float, lab: [B,Z,Y,X] long, on any device. Spatial + intensity augmentation.
    Small random draws come from the CPU generator gen, voxel-wise noise from dgen (on img's device)."""
    b = img.shape[0]
    shape = img.shape[2:]
    dev = img.device
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
        grid = F.affine_grid(torch.stack(thetas).to(dev), list(img.shape), align_corners=False)
        if torch.rand(1, generator=gen).item() < 0.5:
            disp = (torch.randn((b, 3, 4, 4, 4), generator=gen) * 0.03).to(dev)
            disp = F.interpolate(disp, size=shape, mode="trilinear", align_corners=False)
            grid = grid + disp.permute(0, 2, 3, 4, 1)
        img = F.grid_sample(img, grid, mode="bilinear", padding_mode="border", align_corners=False)
        lab = F.grid_sample(lab.unsqueeze(1).float(), grid, mode="nearest", padding_mode="border",
                            align_corners=False).squeeze(1).long()
    # intensity: bias field, gamma contrast, scale/shift, noise
    bias = (torch.randn((b, 1, 3, 3, 3), generator=gen) * 0.15).to(dev)
    img = img * torch.exp(F.interpolate(bias, size=shape, mode="trilinear", align_corners=False))
    gamma = torch.exp((torch.rand((b, 1, 1, 1, 1), generator=gen) * 2 - 1) * 0.35).to(dev)
    lo = img.amin(dim=(2, 3, 4), keepdim=True)
    hi = img.amax(dim=(2, 3, 4), keepdim=True)
    img = ((img - lo) / (hi - lo + 1e-6)).clamp(0, 1) ** gamma * (hi - lo) + lo
    scale = (0.8 + 0.4 * torch.rand((b, 1, 1, 1, 1), generator=gen)).to(dev)
    shift = ((torch.rand((b, 1, 1, 1, 1), generator=gen) - 0.5) * 0.4).to(dev)
    sigma = (torch.rand((b, 1, 1, 1, 1), generator=gen) * 0.15).to(dev)
    img = img * scale + shift
    img = img + torch.randn(img.shape, generator=dgen, device=dev) * sigma
    return img, lab
