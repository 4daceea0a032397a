#include "ocr/OcrStages.h"

#include "io/GreyMat.h"
#include "io/TextFiles.h"
#include "strata/core/Error.h"
#include "strata/core/ocr/OcrPage.h"
#include "strata/core/ImageSource.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>

namespace strata::ocr {

namespace {

std::string pageStem(int index)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d", index + 1);
    return buf;
}

/// The page with its word boxes: green for confident words, orange below 80, red below 50.
void writeOverlay(const OcrPage& page, const ImageRef& ref, std::uint64_t maxPixels, const std::filesystem::path& path)
{
    cv::Mat colour;
    cv::cvtColor(io::toGreyMat(ImageSource::read(ref, maxPixels)), colour, cv::COLOR_GRAY2BGR);
    const int thickness = std::max(1, colour.cols / 1200);
    for (const auto& line : page.lines) {
        for (const auto& w : line.words) {
            const cv::Scalar c = w.confidence >= 80 ? cv::Scalar(40, 170, 40)
                                 : w.confidence >= 50 ? cv::Scalar(0, 140, 255) : cv::Scalar(40, 40, 220);
            cv::rectangle(colour, cv::Rect(w.box.x, w.box.y, w.box.width, w.box.height), c, thickness);
        }
    }
    if (!cv::imwrite(path.string(), colour)) {
        throw IoError("Cannot write overlay '" + path.string() + "'.");
    }
}

} // namespace

void OcrWriteStage::run(pipeline::StageContext& ctx)
{
    const auto& out = ctx.outputDir();
    const auto& pages = ctx.workspace().get<std::vector<OcrPage>>(kPages);
    const auto& refs = ctx.workspace().get<std::vector<ImageRef>>(kImageRefs);
    const bool overlays = ctx.parameter<bool>("overlays");
    const auto maxPixels = static_cast<std::uint64_t>(ctx.parameter<double>("max_megapixels") * 1e6);
    std::filesystem::create_directories(out / "pages");
    if (overlays) {
        std::filesystem::create_directories(out / "overlays");
    }

    nlohmann::json doc{{"pages", nlohmann::json::array()}};
    std::string allText;
    std::string csv = "page,source,line,word,x,y,width,height,confidence,text\n";
    std::size_t words = 0, failed = 0;
    double confidenceSum = 0;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const OcrPage& p = pages[i];
        ctx.progress(static_cast<double>(i) / pages.size(), "Writing page " + std::to_string(i + 1));
        doc["pages"].push_back(p.toJson());
        if (!p.error.empty()) {
            ++failed;
            continue;
        }
        const std::string stem = pageStem(p.index);
        io::writeTextFile(out / "pages" / (stem + ".txt"), p.text + "\n");
        allText += (i ? "\f" : "") + p.text + "\n"; // form feed between pages, as tesseract does
        for (std::size_t l = 0; l < p.lines.size(); ++l) {
            for (std::size_t w = 0; w < p.lines[l].words.size(); ++w) {
                const auto& word = p.lines[l].words[w];
                csv += std::to_string(p.index + 1) + "," + io::csvQuoted(p.source) + "," + std::to_string(l + 1) + "," +
                       std::to_string(w + 1) + "," + std::to_string(word.box.x) + "," + std::to_string(word.box.y) + "," +
                       std::to_string(word.box.width) + "," + std::to_string(word.box.height) + "," +
                       std::to_string(static_cast<int>(word.confidence + 0.5f)) + "," + io::csvQuoted(word.text) + "\n";
                confidenceSum += word.confidence;
                ++words;
            }
        }
        if (overlays) {
            writeOverlay(p, refs[i], maxPixels, out / "overlays" / (stem + ".png"));
        }
    }
    doc["summary"] = {{"pages", pages.size()},
                      {"failed_pages", failed},
                      {"words", words},
                      {"mean_word_confidence", words ? confidenceSum / words : 0.0}};
    io::writeTextFile(out / "ocr.json", doc.dump(1) + "\n");
    io::writeTextFile(out / "text.txt", allText);
    io::writeTextFile(out / "words.csv", csv);
    ctx.note("words", words);
}

} // namespace strata::ocr
