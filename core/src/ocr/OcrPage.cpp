#include "strata/core/ocr/OcrPage.h"

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

} // namespace strata::ocr
