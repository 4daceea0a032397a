#include "strata/ImageSummary.h"

#include <cstdio>
#include <sstream>

namespace strata {

nlohmann::json imageSummary(const Image& image, const std::filesystem::path& source)
{
    const auto [lo, hi] = image.minMax();
    const Mat3& d = image.direction();
    return {
        {"path", source.string()},
        {"format", formatName(formatFromPath(source))},
        {"size", image.size()},
        {"dimensions", image.is2D() ? 2 : 3},
        {"spacing", image.spacing()},
        {"origin", image.origin()},
        {"direction", {{d[0], d[1], d[2]}, {d[3], d[4], d[5]}, {d[6], d[7], d[8]}}},
        {"pixel_type", pixelTypeName(image.pixelType())},
        {"components", image.components()},
        {"min", lo},
        {"max", hi},
        {"voxel_count", image.voxelCount()},
        {"bytes", image.byteCount()},
    };
}

namespace {

std::string triple(const nlohmann::json& v, const char* fmt)
{
    char buf[160];
    std::snprintf(buf, sizeof buf, fmt, v[0].get<double>(), v[1].get<double>(), v[2].get<double>());
    return buf;
}

} // namespace

std::string imageSummaryText(const nlohmann::json& s)
{
    std::ostringstream out;
    out << "File:        " << s["path"].get<std::string>() << " (" << s["format"].get<std::string>() << ")\n";
    out << "Size:        " << s["size"][0] << " x " << s["size"][1] << " x " << s["size"][2] << "\n";
    out << "Spacing:     " << triple(s["spacing"], "%.6g x %.6g x %.6g mm") << "\n";
    out << "Origin:      " << triple(s["origin"], "(%.4f, %.4f, %.4f) mm") << "\n";
    out << "Direction:   " << triple(s["direction"][0], "[%.6f %.6f %.6f]") << "\n";
    out << "             " << triple(s["direction"][1], "[%.6f %.6f %.6f]") << "\n";
    out << "             " << triple(s["direction"][2], "[%.6f %.6f %.6f]") << "\n";
    out << "Pixel type:  " << s["pixel_type"].get<std::string>() << " x " << s["components"] << " component(s)\n";
    out << "Range:       " << s["min"].get<double>() << " .. " << s["max"].get<double>() << "\n";
    return out.str();
}

} // namespace strata
