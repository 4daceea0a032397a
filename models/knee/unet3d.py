"""Compact 3D U-Net used by Strata's knee segmentation model (TorchScript-exportable)."""
import torch
from torch import nn


class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv3d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm3d(cout), nn.LeakyReLU(0.01, inplace=True),
            nn.Conv3d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm3d(cout), nn.LeakyReLU(0.01, inplace=True),
        )

    def forward(self, x):
        return self.body(x)


class UNet3D(nn.Module):
    """Four resolution levels, stride-2 convolutions down, transposed convolutions up, skip connections."""

    def __init__(self, in_channels=1, classes=10, base=8):
        super().__init__()
        c = [base, base * 2, base * 4, base * 8]
        self.enc0 = ConvBlock(in_channels, c[0])
        self.down1 = nn.Conv3d(c[0], c[0], 2, stride=2)
        self.enc1 = ConvBlock(c[0], c[1])
        self.down2 = nn.Conv3d(c[1], c[1], 2, stride=2)
        self.enc2 = ConvBlock(c[1], c[2])
        self.down3 = nn.Conv3d(c[2], c[2], 2, stride=2)
        self.bottleneck = ConvBlock(c[2], c[3])
        self.up3 = nn.ConvTranspose3d(c[3], c[2], 2, stride=2)
        self.dec2 = ConvBlock(c[2] * 2, c[2])
        self.up2 = nn.ConvTranspose3d(c[2], c[1], 2, stride=2)
        self.dec1 = ConvBlock(c[1] * 2, c[1])
        self.up1 = nn.ConvTranspose3d(c[1], c[0], 2, stride=2)
        self.dec0 = ConvBlock(c[0] * 2, c[0])
        self.head = nn.Conv3d(c[0], classes, 1)

    def forward(self, x):
        e0 = self.enc0(x)
        e1 = self.enc1(self.down1(e0))
        e2 = self.enc2(self.down2(e1))
        b = self.bottleneck(self.down3(e2))
        d2 = self.dec2(torch.cat([self.up3(b), e2], 1))
        d1 = self.dec1(torch.cat([self.up2(d2), e1], 1))
        d0 = self.dec0(torch.cat([self.up1(d1), e0], 1))
        return self.head(d0)
