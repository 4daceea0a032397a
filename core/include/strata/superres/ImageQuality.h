#pragma once

#include "strata/superres/RgbPlanes.h"

namespace strata::superres {

/// PSNR in dB of b against reference a (values in [0, 1], peak 1), over all channels; `border` pixels on each
/// side are left out (super-resolution papers crop the scale factor). Infinity for identical images.
[[nodiscard]] double psnr(const RgbPlanes& a, const RgbPlanes& b, int border = 0);
/// Mean SSIM (Wang et al. 2004: 11 x 11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03) on the luma
/// (Y = 0.299 R + 0.587 G + 0.114 B) of b against a, leaving out `border` pixels.
[[nodiscard]] double ssim(const RgbPlanes& a, const RgbPlanes& b, int border = 0);

} // namespace strata::superres
