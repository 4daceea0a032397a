#include "knee/GivenLabels.h"

#include "strata/Error.h"
#include "strata/JsonLimits.h"
#include "strata/ImageIO.h"
#include "strata/dicom/DicomSegReader.h"
#include "strata/Sha256.h"
#include "strata/phantom/KneeLabels.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <span>

namespace strata::knee {

using nlohmann::json;

namespace {

/// Strata's measured structures by name (phantom::KneeLabel ids).
const std::map<std::string, int>& strataIds()
{
    static const std::map<std::string, int> ids{{"femur", phantom::Femur},
                                                {"tibia", phantom::Tibia},
                                                {"patella", phantom::Patella},
                                                {"femoral_cartilage", phantom::FemoralCartilage},
                                                {"medial_tibial_cartilage", phantom::MedialTibialCartilage},
                                                {"lateral_tibial_cartilage", phantom::LateralTibialCartilage},
                                                {"patellar_cartilage", phantom::PatellarCartilage},
                                                {"medial_meniscus", phantom::MedialMeniscus},
                                                {"lateral_meniscus", phantom::LateralMeniscus}};
    return ids;
}

std::string vec(const double* v, std::size_t n)
{
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%g", i ? " x " : "", v[i]);
        s += buf;
    }
    return s;
}

void checkSameGrid(const Image& labels, const Image& scan, const std::string& labelsName, const std::string& scanName)
{
    std::string what;
    if (labels.size() != scan.size()) {
        const auto& a = labels.size();
        const auto& b = scan.size();
        what = "size " + std::to_string(a[0]) + " x " + std::to_string(a[1]) + " x " + std::to_string(a[2]) + " vs " +
               std::to_string(b[0]) + " x " + std::to_string(b[1]) + " x " + std::to_string(b[2]);
    } else {
        const double minSpacing = std::min({scan.spacing()[0], scan.spacing()[1], scan.spacing()[2]});
        for (int i = 0; i < 3 && what.empty(); ++i) {
            if (std::abs(labels.spacing()[i] - scan.spacing()[i]) > 1e-3 * scan.spacing()[i])
                what = "spacing " + vec(labels.spacing().data(), 3) + " mm vs " + vec(scan.spacing().data(), 3) + " mm";
        }
        for (int i = 0; i < 3 && what.empty(); ++i) {
            if (std::abs(labels.origin()[i] - scan.origin()[i]) > 0.01 * minSpacing)
                what = "origin " + vec(labels.origin().data(), 3) + " mm vs " + vec(scan.origin().data(), 3) + " mm";
        }
        for (int i = 0; i < 9 && what.empty(); ++i) {
            if (std::abs(labels.direction()[i] - scan.direction()[i]) > 1e-3)
                what = "direction " + vec(labels.direction().data(), 9) + " vs " + vec(scan.direction().data(), 9);
        }
    }
    if (!what.empty()) {
        throw InvalidArgument("The labels '" + labelsName + "' are not on the grid of the scan '" + scanName + "': " +
                              what + " (labels vs scan); give a segmentation of this scan on its own grid.");
    }
}

/// Label ids as ints; refuses negative or fractional values.
std::vector<int> idsOf(const Image& image, const std::string& name)
{
    std::vector<int> out(image.voxelCount());
    dispatchPixelType(image.pixelType(), [&](auto t) {
        using T = decltype(t);
        const auto px = image.pixels<T>();
        for (std::size_t i = 0; i < px.size(); ++i) {
            const double v = static_cast<double>(px[i]);
            if (v < 0 || v != std::floor(v) || v > 65535) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "%g", v);
                throw InvalidArgument("The labels '" + name + "' hold the value " + buf +
                                      ": a label map holds whole-number ids from 0 (background) to 65535.");
            }
            out[i] = static_cast<int>(v);
        }
    });
    return out;
}

/// Splits the voxels of one combined tibial cartilage id into medial and lateral plates (see the header).
json splitTibialCartilage(const Image& grid, const std::vector<int>& fileIds, int combinedId, int tibiaId,
                          bool rightKnee, std::span<std::uint8_t> out)
{
    const auto& n = grid.size();
    // s grows towards the body midline: patient left (+x in LPS) for a right knee, patient right for a left one.
    const double sign = rightKnee ? 1.0 : -1.0;
    auto coordinate = [&](std::size_t idx) {
        const std::size_t i = idx % n[0], j = (idx / n[0]) % n[1], k = idx / (n[0] * n[1]);
        return sign * grid.indexToWorld({static_cast<double>(i), static_cast<double>(j), static_cast<double>(k)})[0];
    };
    std::vector<std::pair<std::size_t, double>> voxels;
    double tibiaSum = 0.0, cartilageSum = 0.0;
    std::size_t tibiaCount = 0;
    for (std::size_t idx = 0; idx < fileIds.size(); ++idx) {
        if (fileIds[idx] == combinedId) {
            const double s = coordinate(idx);
            voxels.emplace_back(idx, s);
            cartilageSum += s;
        } else if (tibiaId >= 0 && fileIds[idx] == tibiaId) {
            tibiaSum += coordinate(idx);
            ++tibiaCount;
        }
    }
    json record{{"method", "2-means along the patient's left-right axis, started at the tibia's left-right centroid"},
                {"medial_towards", rightKnee ? "patient left (right knee)" : "patient right (left knee)"}};
    if (voxels.empty()) {
        record["medial_voxels"] = 0;
        record["lateral_voxels"] = 0;
        return record;
    }
    double threshold = tibiaCount ? tibiaSum / static_cast<double>(tibiaCount)
                                  : cartilageSum / static_cast<double>(voxels.size());
    for (int iteration = 0; iteration < 100; ++iteration) {
        double lo = 0, hi = 0;
        std::size_t nl = 0, nh = 0;
        for (const auto& [idx, s] : voxels) {
            if (s >= threshold) {
                hi += s;
                ++nh;
            } else {
                lo += s;
                ++nl;
            }
        }
        if (nl == 0 || nh == 0) break; // one plate only: it lies on the side the tibia's centre puts it
        const double next = 0.5 * (lo / static_cast<double>(nl) + hi / static_cast<double>(nh));
        if (std::abs(next - threshold) < 1e-6) break;
        threshold = next;
    }
    std::size_t medial = 0;
    for (const auto& [idx, s] : voxels) {
        const bool isMedial = s >= threshold;
        out[idx] = static_cast<std::uint8_t>(isMedial ? phantom::MedialTibialCartilage : phantom::LateralTibialCartilage);
        medial += isMedial ? 1 : 0;
    }
    record["threshold_lps_x_mm"] = sign * threshold;
    record["medial_voxels"] = medial;
    record["lateral_voxels"] = voxels.size() - medial;
    return record;
}

} // namespace

GivenLabelMapping GivenLabelMapping::builtIn(const std::string& scheme)
{
    GivenLabelMapping m;
    m.scheme = scheme;
    if (scheme == "strata") {
        for (const auto& [name, id] : strataIds()) {
            m.toStrata[id] = id;
            m.names[id] = name;
        }
        for (const auto& [id, name] : std::map<int, std::string>{
                 {phantom::JointFluid, "joint_fluid"}, {phantom::Muscle, "muscle"}, {phantom::SubcutaneousFat, "subcutaneous_fat"}}) {
            m.toStrata[id] = 0;
            m.names[id] = name + " (not measured)";
        }
    } else if (scheme == "oai-zib") {
        m.toStrata = {{1, phantom::Femur}, {2, phantom::FemoralCartilage}, {3, phantom::Tibia}, {4, -1}};
        m.combinedTibialCartilage = 4;
        m.names = {{1, "femur"}, {2, "femoral_cartilage"}, {3, "tibia"}, {4, "tibial_cartilage"}};
    } else {
        throw InvalidArgument("Unknown label map '" + scheme + "' (strata, oai-zib, or file with a mapping file).");
    }
    return m;
}

GivenLabelMapping GivenLabelMapping::fromJsonFile(const std::filesystem::path& path)
{
    const std::string file = path.filename().string();
    std::ifstream in(path);
    if (!in) throw IoError("Cannot read the label mapping file '" + file + "'.");
    const json j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.empty()) {
        throw InvalidArgument("The label mapping file '" + file +
                              "' must be a JSON object {\"id\": \"name\"}, e.g. {\"1\": \"femur\", \"2\": \"tibia\"}.");
    }
    GivenLabelMapping m;
    m.scheme = "file";
    for (const auto& [key, value] : j.items()) {
        std::size_t used = 0;
        int id = -1;
        try {
            id = std::stoi(key, &used);
        } catch (const std::exception&) {
        }
        if (used != key.size() || id < 1 || id > 65535) {
            throw InvalidArgument("The label mapping file '" + file + "' has the key '" + key +
                                  "': keys are label ids from 1 to 65535.");
        }
        if (!value.is_string()) {
            throw InvalidArgument("The label mapping file '" + file + "': id " + key + " must map to a structure name.");
        }
        if (m.names.count(id)) { // "4" and "04" are one id: the later would silently replace the earlier
            throw InvalidArgument("The label mapping file '" + file + "' gives id " + std::to_string(id) + " twice.");
        }
        const std::string name = value.get<std::string>();
        if (name == "tibial_cartilage") {
            if (m.combinedTibialCartilage >= 0) {
                throw InvalidArgument("The label mapping file '" + file + "' names tibial_cartilage twice.");
            }
            m.combinedTibialCartilage = id;
            m.toStrata[id] = -1;
        } else if (name == "ignore") {
            m.toStrata[id] = 0;
        } else if (auto it = strataIds().find(name); it != strataIds().end()) {
            m.toStrata[id] = it->second;
        } else {
            std::string known;
            for (const auto& [n, i] : strataIds()) known += n + ", ";
            throw InvalidArgument("The label mapping file '" + file + "' maps id " + key + " to '" + name +
                                  "', which Strata does not measure (names: " + known + "tibial_cartilage, ignore).");
        }
        m.names[id] = name;
    }
    return m;
}

GivenLabels readGivenLabels(const std::filesystem::path& path, const Image& scan, const std::string& scanName,
                            const GivenLabelMapping& mapping, bool rightKnee, const LabelTable& table)
{
    const std::string name = path.filename().string();
    // A DICOM SEG is read onto the scan's grid (frames placed by position; Strata's ids for the structures it names).
    Image image = dicom::isDicomSeg(path) ? dicom::readDicomSeg(path, scan).image() : readImage(path);
    if (image.components() != 1) {
        throw InvalidArgument("The labels '" + name + "' have " + std::to_string(image.components()) +
                              " components per voxel; a label map has one.");
    }
    checkSameGrid(image, scan, name, scanName);
    const std::vector<int> fileIds = idsOf(image, name);
    image = Image();

    std::map<int, std::size_t> counts;
    for (int id : fileIds) ++counts[id];
    std::string unknown;
    for (const auto& [id, count] : counts) {
        if (id != 0 && !mapping.toStrata.count(id))
            unknown += (unknown.empty() ? "" : ", ") + std::to_string(id) + " (" + std::to_string(count) + " voxels)";
    }
    if (!unknown.empty()) {
        throw InvalidArgument("The labels '" + name + "' hold ids the label map '" + mapping.scheme +
                              "' does not define: " + unknown +
                              "; choose the right label_map or give a mapping file that names them (\"ignore\" to skip).");
    }

    Image out(scan.size(), PixelType::UInt8, 1);
    out.copyGeometryFrom(scan);
    auto px = out.pixels<std::uint8_t>();
    std::vector<int> lut(65536, 0);
    for (const auto& [id, strata] : mapping.toStrata) lut[static_cast<std::size_t>(id)] = std::max(strata, 0);
    for (std::size_t i = 0; i < fileIds.size(); ++i) px[i] = static_cast<std::uint8_t>(lut[static_cast<std::size_t>(fileIds[i])]);

    json record{{"source", "given"}, {"file", name}, {"sha256", Sha256::ofPath(path)}, {"label_map", mapping.scheme}};
    json names = json::object();
    for (const auto& [id, n] : mapping.names) names[std::to_string(id)] = n;
    record["mapping"] = names;
    json voxels = json::object();
    for (const auto& [id, count] : counts)
        if (id != 0) voxels[std::to_string(id)] = count;
    record["voxels_per_id"] = voxels;
    // Labels saved by Strata's label editor carry <file>.edits.json: what was corrected by hand (provenance).
    const std::filesystem::path sidecar = path.string() + ".edits.json";
    std::error_code ec;
    if (std::filesystem::is_regular_file(sidecar, ec)) {
        try {
            const json edits = readJsonFile(sidecar);
            if (edits.is_object() && edits.value("edited", false)) {
                record["edits"] = {{"edited", true},
                                   {"edits", edits.value("edits", 0)},
                                   {"voxels_changed", edits.value("voxels_changed", json::object())},
                                   {"editing_seconds", edits.value("editing_seconds", 0.0)}};
            }
        } catch (const std::exception&) { // a damaged note about edits does not stop the measurement
            record["edits"] = {{"edited", true}, {"note", "the editor's record beside the labels could not be read"}};
        }
    }

    if (mapping.combinedTibialCartilage >= 0) {
        int tibiaId = -1;
        for (const auto& [id, strata] : mapping.toStrata)
            if (strata == phantom::Tibia && tibiaId < 0) tibiaId = id;
        record["tibial_cartilage_split"] =
            splitTibialCartilage(out, fileIds, mapping.combinedTibialCartilage, tibiaId, rightKnee, px);
    }

    // The table: background and the structures this mapping can produce.
    std::vector<LabelInfo> infos;
    for (const auto& info : table.labels()) {
        const bool produced =
            info.id == 0 ||
            std::any_of(mapping.toStrata.begin(), mapping.toStrata.end(), [&](const auto& e) { return e.second == info.id; }) ||
            (mapping.combinedTibialCartilage >= 0 &&
             (info.id == phantom::MedialTibialCartilage || info.id == phantom::LateralTibialCartilage));
        if (produced) infos.push_back(info);
    }
    return {LabelMap(std::move(out), LabelTable(std::move(infos))), std::move(record)};
}

std::string sideFromGivenLabels(const GivenLabels& given, std::string& how)
{
    const Image& image = given.labels.image();
    const auto ids = given.labels.ids();
    const std::uint8_t medial = phantom::MedialTibialCartilage, lateral = phantom::LateralTibialCartilage;
    // A combined tibial cartilage split as a right knee is not decided here: on phantom truths the split plates'
    // size and thickness (SideEvidence) pointed the wrong way for one left knee of two (seed 42: the lateral plate
    // the thinner there). The side stays assumed and said so.
    if (given.record.contains("tibial_cartilage_split")) return "";
    double sum[2][3]{}, count[2]{};
    const Size3& size = image.size();
    std::size_t n = 0;
    for (std::size_t k = 0; k < size[2]; ++k)
        for (std::size_t j = 0; j < size[1]; ++j)
            for (std::size_t i = 0; i < size[0]; ++i, ++n) {
                const int plate = ids[n] == medial ? 0 : ids[n] == lateral ? 1 : -1;
                if (plate < 0) continue;
                sum[plate][0] += static_cast<double>(i), sum[plate][1] += static_cast<double>(j), sum[plate][2] += static_cast<double>(k);
                count[plate] += 1;
            }
    if (count[0] == 0 || count[1] == 0) return "";
    double x[2]{};
    for (int p = 0; p < 2; ++p) {
        x[p] = image.indexToWorld({sum[p][0] / count[p], sum[p][1] / count[p], sum[p][2] / count[p]})[0];
    }
    if (std::abs(x[0] - x[1]) < 5.0) return ""; // plates side by side along no left-right line: not telling
    char buf[200];
    std::snprintf(buf, sizeof buf, "the medial tibial plate lies %.1f mm to the patient's %s of the lateral one",
                  std::abs(x[0] - x[1]), x[0] > x[1] ? "left" : "right");
    how = buf;
    return x[0] > x[1] ? "right" : "left"; // LPS: x grows to the patient's left, where a right knee's midline is
}

} // namespace strata::knee
