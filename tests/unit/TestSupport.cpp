#include "TestSupport.h"

#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace strata::test {

void keepFuzzSeed(const std::filesystem::path& file, const std::string& target, const std::string& name)
{
    const char* dir = std::getenv("STRATA_FUZZ_SEEDS");
    if (!dir || !*dir) return;
    const auto folder = std::filesystem::path(dir) / target;
    std::filesystem::create_directories(folder);
    std::filesystem::copy_file(file, folder / name, std::filesystem::copy_options::overwrite_existing);
}

std::string readImageError(const std::filesystem::path& path)
{
    try {
        (void)readImage(path);
    } catch (const IoError& e) {
        return e.what();
    }
    return "(read without an error)";
}

Mat3 obliqueDirection(double radians)
{
    const double c = std::cos(radians), s = std::sin(radians), t = 1 - c;
    const double x = 1 / std::sqrt(3.0), y = x, z = x;
    return {t * x * x + c,     t * x * y - s * z, t * x * z + s * y,
            t * x * y + s * z, t * y * y + c,     t * y * z - s * x,
            t * x * z - s * y, t * y * z + s * x, t * z * z + c};
}

Image storedAs(const Image& o, const std::array<int, 3>& perm, const std::array<bool, 3>& flip)
{
    Size3 size{};
    Vec3 spacing{};
    Mat3 dir{};
    Vec3 cornerIndex{};
    for (std::size_t a = 0; a < 3; ++a) {
        const auto p = static_cast<std::size_t>(perm[a]);
        size[a] = o.size()[p];
        spacing[a] = o.spacing()[p];
        for (std::size_t r = 0; r < 3; ++r) dir[r * 3 + a] = (flip[a] ? -1.0 : 1.0) * o.direction()[r * 3 + p];
        cornerIndex[p] = flip[a] ? static_cast<double>(o.size()[p] - 1) : 0.0;
    }
    Image out(size, o.pixelType(), o.components());
    out.setSpacing(spacing);
    out.setDirection(dir);
    out.setOrigin(o.indexToWorld(cornerIndex));
    const std::size_t bpv = bytesPerComponent(o.pixelType());
    for (std::size_t k = 0; k < size[2]; ++k)
        for (std::size_t j = 0; j < size[1]; ++j)
            for (std::size_t i = 0; i < size[0]; ++i) {
                const std::array<std::size_t, 3> idx{i, j, k};
                std::array<std::size_t, 3> src{};
                for (std::size_t a = 0; a < 3; ++a) {
                    const auto p = static_cast<std::size_t>(perm[a]);
                    src[p] = flip[a] ? o.size()[p] - 1 - idx[a] : idx[a];
                }
                std::memcpy(out.data() + out.linearIndex(i, j, k) * bpv,
                            o.data() + o.linearIndex(src[0], src[1], src[2]) * bpv, bpv);
            }
    return out;
}

} // namespace strata::test
