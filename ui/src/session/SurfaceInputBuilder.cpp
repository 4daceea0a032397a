#include "strata/ui/SurfaceInputBuilder.h"

#include <algorithm>
#include <limits>

namespace strata::ui {

std::shared_ptr<SurfaceInput> SurfaceInputBuilder::build(const LabelMap& labels, std::stop_token stop,
                                                         const ProgressFn& progress, std::size_t maxVoxelsPerLabel,
                                                         const std::set<int>& only)
{
    const Image& img = labels.image();
    const auto ids = labels.ids();
    const auto& s = img.size();
    const int nx = static_cast<int>(s[0]), ny = static_cast<int>(s[1]), nz = static_cast<int>(s[2]);

    auto out = std::make_shared<SurfaceInput>();
    const auto& d = img.direction();
    const auto& sp = img.spacing();
    const auto& o = img.origin();
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c) {
            out->indexToWorld[static_cast<std::size_t>(r * 4 + c)] = d[static_cast<std::size_t>(r * 3 + c)] * sp[static_cast<std::size_t>(c)];
        }
        out->indexToWorld[static_cast<std::size_t>(r * 4 + 3)] = o[static_cast<std::size_t>(r)];
    }

    // Bounding box of every label id in one pass.
    constexpr int kMax = std::numeric_limits<int>::max();
    std::array<std::array<int, 6>, 256> box;
    box.fill({kMax, kMax, kMax, -1, -1, -1});
    std::array<std::size_t, 256> counts{};
    reportProgress(progress, 0.0, "Finding structures...");
    std::size_t li = 0;
    for (int z = 0; z < nz; ++z) {
        if ((z & 7) == 0) {
            throwIfStopped(stop);
        }
        for (int y = 0; y < ny; ++y) {
            for (int x = 0; x < nx; ++x, ++li) {
                const std::uint8_t id = ids[li];
                if (id == 0) {
                    continue;
                }
                ++counts[id];
                auto& b = box[id];
                b[0] = std::min(b[0], x); b[1] = std::min(b[1], y); b[2] = std::min(b[2], z);
                b[3] = std::max(b[3], x); b[4] = std::max(b[4], y); b[5] = std::max(b[5], z);
            }
        }
    }
    std::vector<int> present;
    for (int id = 1; id < 256; ++id) {
        if (box[static_cast<std::size_t>(id)][3] >= 0 && (only.empty() || only.contains(id))) {
            present.push_back(id);
        }
    }

    for (std::size_t n = 0; n < present.size(); ++n) {
        throwIfStopped(stop);
        const int id = present[n];
        const auto& b = box[static_cast<std::size_t>(id)];
        reportProgress(progress, 0.1 + 0.9 * static_cast<double>(n) / present.size(),
                       "Preparing structure " + std::to_string(id) + "...");
        const std::size_t bx = static_cast<std::size_t>(b[3] - b[0] + 1), by = static_cast<std::size_t>(b[4] - b[1] + 1),
                          bz = static_cast<std::size_t>(b[5] - b[2] + 1);
        int step = 1;
        while ((bx / step) * (by / step) * (bz / step) > maxVoxelsPerLabel) {
            ++step;
        }
        LabelSurfaceInput in;
        in.id = id;
        in.step = step;
        in.voxelCount = counts[static_cast<std::size_t>(id)];
        // One voxel of zero padding on each side so the surfaces close.
        in.offset = {b[0] - step, b[1] - step, b[2] - step};
        for (int a = 0; a < 3; ++a) {
            const int extent = b[static_cast<std::size_t>(a + 3)] - b[static_cast<std::size_t>(a)] + 1;
            in.dims[static_cast<std::size_t>(a)] = (extent + step - 1) / step + 2;
        }
        const int dx = in.dims[0], dy = in.dims[1], dz = in.dims[2];
        in.mask.assign(static_cast<std::size_t>(dx) * dy * dz, 0);
        for (int z = 1; z < dz - 1; ++z) {
            const int iz = in.offset[2] + z * step;
            if (iz < 0 || iz >= nz) {
                continue;
            }
            for (int y = 1; y < dy - 1; ++y) {
                const int iy = in.offset[1] + y * step;
                if (iy < 0 || iy >= ny) {
                    continue;
                }
                const std::size_t row = static_cast<std::size_t>(nx) * (static_cast<std::size_t>(iy) + static_cast<std::size_t>(ny) * iz);
                std::uint8_t* dst = in.mask.data() + static_cast<std::size_t>(dx) * (y + static_cast<std::size_t>(dy) * z);
                for (int x = 1; x < dx - 1; ++x) {
                    const int ix = in.offset[0] + x * step;
                    if (ix >= 0 && ix < nx && ids[row + static_cast<std::size_t>(ix)] == id) {
                        dst[x] = 1;
                    }
                }
            }
        }
        out->labels.push_back(std::move(in));
    }
    reportProgress(progress, 1.0, "Structures ready");
    return out;
}

} // namespace strata::ui
