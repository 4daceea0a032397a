#include "strata/inference/ModelCard.h"

#include "strata/Error.h"
#include "strata/JsonLimits.h"
#include "strata/Sha256.h"

#include <climits>
#include <cmath>
#include <fstream>

namespace strata::inference {

using nlohmann::json;

namespace {

/// A whole number in [lo, hi]: nlohmann's get<int>() converts 1e300 with undefined behaviour and 2.5 or 300 (for
/// a byte) silently.
int wholeNumber(const json& v, const std::string& field, double lo = INT_MIN, double hi = INT_MAX)
{
    const double d = v.is_number() ? v.get<double>() : NAN;
    if (!(d >= lo && d <= hi) || d != std::floor(d)) {
        throw InvalidArgument("Invalid model card: " + field + " must be a whole number from " +
                              std::to_string(static_cast<long long>(lo)) + " to " +
                              std::to_string(static_cast<long long>(hi)) + ", got " + jsonPreview(v) + ".");
    }
    return static_cast<int>(d);
}

template <typename T, std::size_t N> std::array<T, N> wholeNumbers(const json& v, const std::string& field, double lo = INT_MIN, double hi = INT_MAX)
{
    if (!v.is_array() || v.size() != N) {
        throw InvalidArgument("Invalid model card: " + field + " must be an array of " + std::to_string(N) +
                              " whole numbers, got " + jsonPreview(v) + ".");
    }
    std::array<T, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = static_cast<T>(wholeNumber(v[i], field, lo, hi));
    return out;
}

} // namespace

ModelCard ModelCard::fromJson(const json& j)
{
    ModelCard c;
    try {
        c.raw = j;
        c.name = j.at("name").get<std::string>();
        c.version = j.at("version").get<std::string>();
        c.task = j.at("task").get<std::string>();
        if (j.contains("input_channels")) c.inputChannels = wholeNumber(j.at("input_channels"), "input_channels");
        if (j.contains("output_channels")) c.outputChannels = wholeNumber(j.at("output_channels"), "output_channels");
        if (j.contains("target_spacing")) c.targetSpacing = j.at("target_spacing").get<Vec3>();
        if (j.contains("patch_size")) c.patchSize = wholeNumbers<int, 3>(j.at("patch_size"), "patch_size");
        if (j.contains("input_size")) c.inputSize = wholeNumbers<int, 2>(j.at("input_size"), "input_size");
        if (j.contains("normalisation")) {
            const auto& n = j.at("normalisation");
            c.normalisation.method = n.value("method", "zscore");
            c.normalisation.clipLowPercentile = n.value("clip_low_percentile", 0.5);
            c.normalisation.clipHighPercentile = n.value("clip_high_percentile", 99.5);
        }
        if (j.contains("canonical_frame")) {
            const auto& f = j.at("canonical_frame");
            std::string letters;
            if (f.at("axes").is_string()) {
                letters = f.at("axes").get<std::string>();
            } else {
                for (const auto& a : f.at("axes")) letters += a.get<std::string>();
            }
            c.canonicalFrame.axes = AnatomicalFrame::fromLetters(letters);
            c.canonicalFrame.side = f.value("side", std::string());
            if (c.canonicalFrame.side != "right" && c.canonicalFrame.side != "left" && !c.canonicalFrame.side.empty()) {
                throw InvalidArgument("Invalid model card '" + c.name +
                                      "': canonical_frame.side must be \"right\", \"left\" or \"\".");
            }
            c.canonicalFrame.declared = true;
        }
        for (const auto& l : j.value("labels", json::array())) {
            c.labels.add({wholeNumber(l.at("id"), "labels.id"), l.at("name").get<std::string>(),
                          l.contains("rgba") ? wholeNumbers<std::uint8_t, 4>(l.at("rgba"), "labels.rgba", 0, 255)
                                             : std::array<std::uint8_t, 4>{128, 128, 128, 255}});
        }
        c.modelFile = j.value("file", "model.pt");
        c.sha256 = j.at("sha256").get<std::string>();
        c.accuracy = j.value("accuracy", json::object());
        c.training = j.value("training", json::object());
    } catch (const json::exception& e) {
        throw InvalidArgument(std::string("Invalid model card: ") + e.what());
    }
    if (c.sha256.size() != 64) {
        throw InvalidArgument("Invalid model card '" + c.name + "': sha256 must be 64 hex digits.");
    }
    if (c.inputChannels < 1 || c.outputChannels < 1) {
        throw InvalidArgument("Invalid model card '" + c.name + "': channel counts must be positive.");
    }
    for (double s : c.targetSpacing) {
        if (!(s > 0)) {
            throw InvalidArgument("Invalid model card '" + c.name + "': target_spacing must be positive.");
        }
    }
    for (int p : c.inputSize) {
        if (p < 0 || p > 16384) {
            throw InvalidArgument("Invalid model card '" + c.name + "': input_size must be 1..16384 pixels.");
        }
    }
    for (int p : c.patchSize) {
        if (p < 8 || p > 1024) {
            throw InvalidArgument("Invalid model card '" + c.name + "': patch_size must be 8..1024 voxels.");
        }
    }
    return c;
}

ModelCard ModelCard::load(const std::filesystem::path& modelDir)
{
    const auto path = modelDir / "model.json";
    std::ifstream f(path);
    if (!f) {
        throw IoError("Cannot read model card '" + path.string() + "': no such file.");
    }
    try {
        return fromJson(parseJson(f));
    } catch (const json::exception& e) { // parse_error, or out_of_range for a number like 1e999
        throw IoError("Cannot read model card '" + path.string() + "': not valid JSON (" + e.what() + ").");
    } catch (const InvalidArgument& e) {
        throw IoError("Cannot use model card '" + path.string() + "': " + e.what());
    }
}

void ModelCard::verifyChecksum(const std::filesystem::path& modelDir) const
{
    const auto path = modelPath(modelDir);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw IoError("Model file '" + path.string() + "' is missing.");
    }
    const std::string actual = Sha256::ofPath(path);
    if (actual != sha256) {
        throw IoError("Model file '" + path.string() + "' does not match its card (sha256 " + actual.substr(0, 12) +
                      "... instead of " + sha256.substr(0, 12) + "...): the file is corrupt or was replaced.");
    }
}

} // namespace strata::inference
