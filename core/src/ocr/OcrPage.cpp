#include "strata/ocr/OcrPage.h"

#include "io/TextFiles.h"
#include "strata/Error.h"
#include "strata/JsonLimits.h"

#include <cmath>

namespace strata::ocr {

using nlohmann::json;

namespace {

json boxJson(const PixelBox& b)
{
    return json::array({b.x, b.y, b.width, b.height});
}

double rounded(double v, double step)
{
    return std::round(v / step) * step;
}

PixelBox boxFrom(const json& j)
{
    if (!j.is_array() || j.size() != 4) throw InvalidArgument("a box that is not four numbers");
    int v[4];
    for (std::size_t i = 0; i < 4; ++i) {
        if (!j[i].is_number_integer()) throw InvalidArgument("a box that is not four whole numbers");
        const auto x = j[i].get<long long>();
        if (x < -(1LL << 30) || x > (1LL << 30)) throw InvalidArgument("a box out of range");
        v[i] = static_cast<int>(x);
    }
    return {v[0], v[1], v[2], v[3]};
}

std::string textFrom(const json& j, const char* key, const char* what)
{
    if (!j.contains(key)) return {};
    if (!j[key].is_string()) throw InvalidArgument(std::string(what) + " that is not text");
    return j[key].get<std::string>();
}

float confidenceFrom(const json& j)
{
    if (!j.contains("confidence")) return 0.0f;
    if (!j["confidence"].is_number()) throw InvalidArgument("a confidence that is not a number");
    return static_cast<float>(j["confidence"].get<double>());
}

} // namespace

std::size_t OcrPage::wordCount() const
{
    std::size_t n = 0;
    for (const auto& l : lines) {
        n += l.words.size();
    }
    return n;
}

json OcrPage::toJson() const
{
    json j{{"index", index}, {"source", source}};
    if (!error.empty()) {
        j["error"] = error;
        return j;
    }
    json jl = json::array();
    for (const auto& l : lines) {
        json words = json::array();
        for (const auto& w : l.words) {
            words.push_back({{"text", w.text}, {"box", boxJson(w.box)}, {"confidence", rounded(w.confidence, 0.1)}});
        }
        jl.push_back({{"text", l.text}, {"box", boxJson(l.box)}, {"confidence", rounded(l.confidence, 0.1)}, {"words", words}});
    }
    j["width"] = width;
    j["height"] = height;
    j["text"] = text;
    j["mean_confidence"] = meanConfidence;
    j["deskew_degrees"] = rounded(deskewDegrees, 0.01);
    j["seconds"] = rounded(seconds, 0.001);
    j["word_count"] = wordCount();
    j["box_format"] = "x, y, width, height in pixels of the page as read";
    j["lines"] = jl;
    return j;
}

OcrPage OcrPage::fromJson(const json& j)
{
    if (!j.is_object() || !j.contains("source") || !j["source"].is_string()) throw InvalidArgument("no source named");
    OcrPage p;
    p.source = j["source"].get<std::string>();
    if (j.contains("index") && j["index"].is_number_integer()) p.index = j["index"].get<int>();
    if (j.contains("error")) {
        p.error = textFrom(j, "error", "an error");
        if (p.error.empty()) p.error = "failed";
        return p;
    }
    for (const char* key : {"width", "height"})
        if (!j.contains(key) || !j[key].is_number_integer() || j[key].get<long long>() < 0 || j[key].get<long long>() > (1LL << 30))
            throw InvalidArgument(std::string("no valid ") + key);
    p.width = j["width"].get<int>();
    p.height = j["height"].get<int>();
    p.text = textFrom(j, "text", "a text");
    if (j.contains("mean_confidence") && j["mean_confidence"].is_number()) p.meanConfidence = j["mean_confidence"].get<float>();
    if (j.contains("deskew_degrees") && j["deskew_degrees"].is_number()) p.deskewDegrees = j["deskew_degrees"].get<double>();
    if (j.contains("seconds") && j["seconds"].is_number()) p.seconds = j["seconds"].get<double>();
    if (!j.contains("lines") || !j["lines"].is_array()) throw InvalidArgument("no list of lines");
    for (const auto& jl : j["lines"]) {
        if (!jl.is_object()) throw InvalidArgument("a line that is not an object");
        OcrLine line;
        line.text = textFrom(jl, "text", "a line's text");
        line.box = boxFrom(jl.value("box", json()));
        line.confidence = confidenceFrom(jl);
        if (!jl.contains("words") || !jl["words"].is_array()) throw InvalidArgument("a line without its words");
        for (const auto& jw : jl["words"]) {
            if (!jw.is_object()) throw InvalidArgument("a word that is not an object");
            line.words.push_back({textFrom(jw, "text", "a word"), boxFrom(jw.value("box", json())), confidenceFrom(jw)});
        }
        p.lines.push_back(std::move(line));
    }
    return p;
}

std::vector<OcrPage> readOcrPages(const std::filesystem::path& bundleDir)
{
    const auto file = bundleDir / "ocr.json";
    const json doc = readJsonFile(file);
    if (!doc.is_object() || !doc.contains("pages") || !doc["pages"].is_array())
        throw IoError("Cannot read " + io::quoted(file) + ": it has no list of pages.");
    std::vector<OcrPage> pages;
    pages.reserve(doc["pages"].size());
    for (std::size_t i = 0; i < doc["pages"].size(); ++i) {
        try {
            pages.push_back(OcrPage::fromJson(doc["pages"][i]));
        } catch (const InvalidArgument& e) {
            throw IoError("Cannot read " + io::quoted(file) + ": page " + std::to_string(i + 1) + " has " + e.what() + ".");
        }
    }
    return pages;
}

} // namespace strata::ocr
