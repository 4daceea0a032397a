#include "strata/quant/SubregionFrame.h"

#include "strata/phantom/KneeLabels.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace strata::quant {
namespace {

using namespace strata::phantom;
using nlohmann::json;

const std::vector<std::string> kParents{"TrF", "cMF", "cLF", "pMF", "pLF", "MT", "LT", "P"};

std::string femoralRegion(const SubregionFrame& f, const Vec3& p)
{
    if (p[1] <= f.notchY) return "TrF";
    const bool medial = (p[0] - f.notchX) * f.medialSign > 0.0;
    const auto& c = medial ? f.medialCondyle : f.lateralCondyle;
    const std::string condyle = medial ? "MF" : "LF";
    if (p[1] > c.weightBearingEndY) return "p" + condyle;
    // Distance from the notch outwards (towards the condyle's external edge).
    const double out = medial ? f.medialSign : -f.medialSign;
    const double e = (p[0] - f.notchX) * out;
    if (e < (c.internalX - f.notchX) * out) return "ic" + condyle;
    if (e < (c.externalX - f.notchX) * out) return "cc" + condyle;
    return "ec" + condyle;
}

std::string tibialRegion(const SubregionFrame& f, const Vec3& p, bool medialPlate)
{
    const auto& t = medialPlate ? f.medialTibia : f.lateralTibia;
    if (!t.valid()) return "";
    const std::string plate = medialPlate ? "MT" : "LT";
    const double u = p[0] - t.centre[0], v = p[1] - t.centre[1];
    if ((u / t.semiAxes[0]) * (u / t.semiAxes[0]) + (v / t.semiAxes[1]) * (v / t.semiAxes[1]) <= 1.0) return "c" + plate;
    // Sector between the lines from the centre to the box corners on the side of u.
    constexpr double tiny = 1e-9;
    const double halfWidth = std::max(u >= 0.0 ? t.box[2] - t.centre[0] : t.centre[0] - t.box[0], tiny);
    const double front = t.box[1] - t.centre[1], back = t.box[3] - t.centre[1]; // y0 - cy <= 0 <= y1 - cy
    const double au = std::abs(u);
    const bool mediolateral = au > 0.0 && v >= front / halfWidth * au && v <= back / halfWidth * au;
    if (mediolateral) {
        const double out = medialPlate ? f.medialSign : -f.medialSign; // external: away from the midline
        return (u * out > 0.0 ? "e" : "i") + plate;
    }
    return (v < 0.0 ? "a" : "p") + plate;
}

json pair(const std::array<double, 2>& a)
{
    return json::array({a[0], a[1]});
}

template <std::size_t N> bool readArray(const json& j, const char* key, std::array<double, N>& out)
{
    if (!j.contains(key) || !j[key].is_array() || j[key].size() != N) return false;
    for (std::size_t i = 0; i < N; ++i) {
        if (!j[key][i].is_number()) return false;
        out[i] = j[key][i].get<double>();
    }
    return true;
}

bool readNumber(const json& j, const char* key, double& out)
{
    if (!j.contains(key) || !j[key].is_number()) return false;
    out = j[key].get<double>();
    return true;
}

} // namespace

std::string SubregionFrame::regionAt(const Vec3& p, int plateLabel) const
{
    switch (plateLabel) {
    case FemoralCartilage: return femoralRegion(*this, p);
    case MedialTibialCartilage: return tibialRegion(*this, p, true);
    case LateralTibialCartilage: return tibialRegion(*this, p, false);
    case PatellarCartilage: return "P";
    default: return "";
    }
}

json SubregionFrame::toJson() const
{
    const auto condyle = [](const Condyle& c) {
        return json{{"weight_bearing_end_y_mm", c.weightBearingEndY}, {"internal_x_mm", c.internalX},
                    {"external_x_mm", c.externalX}};
    };
    const auto tibia = [](const TibialPlate& t) {
        return json{{"centre_mm", pair(t.centre)}, {"semi_axes_mm", pair(t.semiAxes)},
                    {"box_mm", json::array({t.box[0], t.box[1], t.box[2], t.box[3]})}};
    };
    return {{"scheme", "Wirth & Eckstein 2008"},
            {"medial_direction", json::array({medialSign, 0.0, 0.0})},
            {"notch_mm", json::array({notchX, notchY})},
            {"medial_condyle", condyle(medialCondyle)},
            {"lateral_condyle", condyle(lateralCondyle)},
            {"medial_tibia", tibia(medialTibia)},
            {"lateral_tibia", tibia(lateralTibia)},
            {"closing_radius_mm", closingRadiusMm}};
}

std::optional<SubregionFrame> SubregionFrame::fromMetrics(const json& metrics)
{
    if (!metrics.is_object() || !metrics.contains("subregion_frame") || !metrics["subregion_frame"].is_object())
        return std::nullopt;
    const json& j = metrics["subregion_frame"];
    SubregionFrame f;
    std::array<double, 3> medial{};
    std::array<double, 2> notch{};
    if (!readArray(j, "medial_direction", medial) || !readArray(j, "notch_mm", notch)) return std::nullopt;
    f.medialSign = medial[0] < 0.0 ? -1.0 : 1.0;
    f.notchX = notch[0];
    f.notchY = notch[1];
    const auto condyle = [&](const char* key, Condyle& c) {
        return j.contains(key) && j[key].is_object() && readNumber(j[key], "weight_bearing_end_y_mm", c.weightBearingEndY) &&
               readNumber(j[key], "internal_x_mm", c.internalX) && readNumber(j[key], "external_x_mm", c.externalX);
    };
    const auto tibia = [&](const char* key, TibialPlate& t) {
        return j.contains(key) && j[key].is_object() && readArray(j[key], "centre_mm", t.centre) &&
               readArray(j[key], "semi_axes_mm", t.semiAxes) && readArray(j[key], "box_mm", t.box);
    };
    if (!condyle("medial_condyle", f.medialCondyle) || !condyle("lateral_condyle", f.lateralCondyle) ||
        !tibia("medial_tibia", f.medialTibia) || !tibia("lateral_tibia", f.lateralTibia))
        return std::nullopt;
    readNumber(j, "closing_radius_mm", f.closingRadiusMm);
    return f;
}

std::string parentRegion(const std::string& region)
{
    if (region.size() > 1 && std::islower(static_cast<unsigned char>(region[0]))) {
        const std::string rest = region.substr(1);
        if (std::find(kParents.begin(), kParents.end(), rest) != kParents.end()) return rest;
    }
    return region;
}

std::vector<std::string> regionNames(int plateLabel)
{
    switch (plateLabel) {
    case FemoralCartilage:
        return {"cMF", "ecMF", "ccMF", "icMF", "cLF", "ecLF", "ccLF", "icLF", "TrF", "pMF", "pLF"};
    case MedialTibialCartilage: return {"MT", "cMT", "eMT", "iMT", "aMT", "pMT"};
    case LateralTibialCartilage: return {"LT", "cLT", "eLT", "iLT", "aLT", "pLT"};
    case PatellarCartilage: return {"P"};
    default: return {};
    }
}

} // namespace strata::quant
