#pragma once

#include <cstddef>
#include <vector>

namespace strata::superres {

/// An RGB image as three float planes in [0, 1] (R plane, then G, then B; x fastest).
struct RgbPlanes {
    int width{0};
    int height{0};
    std::vector<float> data; ///< 3 x height x width

    RgbPlanes() = default;
    RgbPlanes(int w, int h) : width(w), height(h), data(static_cast<std::size_t>(3) * w * h, 0.0f) {}
    [[nodiscard]] bool empty() const { return width <= 0 || height <= 0; }
    [[nodiscard]] std::size_t planeSize() const { return static_cast<std::size_t>(width) * height; }
    [[nodiscard]] float& at(int c, int y, int x)
    {
        return data[c * planeSize() + static_cast<std::size_t>(y) * width + x];
    }
    [[nodiscard]] float at(int c, int y, int x) const
    {
        return data[c * planeSize() + static_cast<std::size_t>(y) * width + x];
    }
};

} // namespace strata::superres
