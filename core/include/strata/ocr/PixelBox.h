#pragma once

namespace strata::ocr {

/// An axis-aligned rectangle in pixels of the page image (x to the right, y down).
struct PixelBox {
    int x{0};
    int y{0};
    int width{0};
    int height{0};
};

} // namespace strata::ocr
