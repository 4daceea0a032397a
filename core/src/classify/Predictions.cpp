#include "strata/classify/Predictions.h"

#include "io/TextFiles.h"
#include "strata/Error.h"
#include "strata/JsonLimits.h"

#include <nlohmann/json.hpp>

namespace strata::classify {

namespace {

LabelScore readScore(const nlohmann::json& s)
{
    if (!s.is_object() || !s.contains("label") || !s["label"].is_string() || !s.contains("probability") ||
        !s["probability"].is_number())
        throw InvalidArgument("a label without its name or probability");
    const double p = s["probability"].get<double>();
    if (!(p >= 0.0 && p <= 1.0)) throw InvalidArgument("a probability outside 0-1");
    LabelScore score;
    score.label = s["label"].get<std::string>();
    score.probability = static_cast<float>(p);
    if (s.contains("id")) {
        if (!s["id"].is_number_integer()) throw InvalidArgument("a label id that is not an integer");
        score.id = s["id"].get<int>();
    }
    return score;
}

ImageResult readImage(const nlohmann::json& img)
{
    if (!img.is_object() || !img.contains("source") || !img["source"].is_string())
        throw InvalidArgument("no source named");
    ImageResult r;
    r.source = img["source"].get<std::string>();
    if (img.contains("error")) {
        if (!img["error"].is_string()) throw InvalidArgument("an error that is not text");
        r.error = img["error"].get<std::string>();
        if (r.error.empty()) r.error = "failed";
        return r;
    }
    if (!img.contains("top") || !img["top"].is_array() || img["top"].empty())
        throw InvalidArgument("neither labels nor an error");
    for (const auto& s : img["top"]) r.top.push_back(readScore(s));
    return r;
}

} // namespace

std::vector<ImageResult> readPredictions(const std::filesystem::path& bundleDir)
{
    const auto file = bundleDir / "predictions.json";
    const nlohmann::json doc = readJsonFile(file);
    if (!doc.is_object() || !doc.contains("images") || !doc["images"].is_array())
        throw IoError("Cannot read " + io::quoted(file) + ": it has no list of images.");
    std::vector<ImageResult> out;
    out.reserve(doc["images"].size());
    for (std::size_t i = 0; i < doc["images"].size(); ++i) {
        try {
            out.push_back(readImage(doc["images"][i]));
        } catch (const InvalidArgument& e) {
            throw IoError("Cannot read " + io::quoted(file) + ": image " + std::to_string(i + 1) + " has " + e.what() + ".");
        }
    }
    return out;
}

} // namespace strata::classify
