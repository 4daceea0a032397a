#pragma once

#include "strata/superres/RgbPlanes.h"

namespace strata::superres {

/// Detail-adaptive mix of a network's upscale with the bicubic upscale of the same input:
/// out = bicubic + w (network - bicubic), w = min(1, c / fullContrast), where c is the local contrast of the
/// bicubic image (standard deviation of its luma, 0.299 R + 0.587 G + 0.114 B, over the 3 x 3 pixels around;
/// fewer at the border). Where the picture has detail the network's output is kept; in smooth areas, where the
/// network's invented texture only adds error, the result leans on bicubic. fullContrast <= 0 returns the
/// network's output. The setting comes from held-out validation photos (models/sr/README.md, "Detail blend").
/// Both images must have the same size (InvalidArgument otherwise). The network image is taken by value and mixed in
/// place (move it in: a 4x video frame is ~85 MB).
[[nodiscard]] RgbPlanes blendDetail(RgbPlanes network, const RgbPlanes& bicubic, double fullContrast);

} // namespace strata::superres
