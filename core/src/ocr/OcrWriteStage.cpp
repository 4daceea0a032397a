#include "ocr/OcrStages.h"

#include "io/TextFiles.h"
#include "strata/Error.h"
#include "strata/ocr/OcrPage.h"

#include <cstdio>

namespace strata::ocr {

std::string pageFileStem(int index)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d", index + 1);
    return buf;
}

void OcrWriteStage::run(pipeline::StageContext& ctx)
{
    const auto& out = ctx.outputDir();
    const auto& pages = ctx.workspace().get(kPages);
    std::filesystem::create_directories(out / "pages");

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
        const std::string stem = pageFileStem(p.index);
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
