#include "classify/ClassifyStages.h"

#include "io/TextFiles.h"
#include "strata/Error.h"

#include <cmath>
#include <map>

namespace strata::classify {

void ClassifyWriteStage::run(pipeline::StageContext& ctx)
{
    const auto& results = ctx.workspace().get(kResults);
    nlohmann::json images = nlohmann::json::array();
    std::map<std::string, int> counts;
    std::string csv = "image,source,rank,label_id,label,probability\n";
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        nlohmann::json j{{"index", i}, {"source", r.source}};
        if (!r.error.empty()) {
            j["error"] = r.error;
            images.push_back(j);
            continue;
        }
        nlohmann::json top = nlohmann::json::array();
        for (std::size_t k = 0; k < r.top.size(); ++k) {
            const auto& s = r.top[k];
            top.push_back({{"id", s.id}, {"label", s.label}, {"probability", std::round(s.probability * 1e5) / 1e5}});
            char p[32];
            std::snprintf(p, sizeof p, "%.5f", s.probability);
            csv += std::to_string(i + 1) + "," + io::csvQuoted(r.source) + "," + std::to_string(k + 1) + "," +
                   std::to_string(s.id) + "," + io::csvQuoted(s.label) + "," + p + "\n";
        }
        if (!r.top.empty()) {
            j["label"] = r.top.front().label;
            ++counts[r.top.front().label];
        }
        j["top"] = top;
        images.push_back(j);
    }
    const nlohmann::json doc{{"images", images}, {"label_counts", counts}};
    ctx.progress(0.5, "Writing predictions");
    io::writeTextFile(ctx.outputDir() / "predictions.json", doc.dump(1) + "\n");
    io::writeTextFile(ctx.outputDir() / "predictions.csv", csv);
}

} // namespace strata::classify
