// The model card reader (core/src/base/ModelCard.cpp): parseJson then ModelCard::fromJson, as ModelCard::load does.
// Contract: a bad card is InvalidArgument (or a JSON parse error before it); ModelCard::load throws IoError only;
// no undefined behaviour on numbers of any size or type; an accepted card has its documented ranges.
#include "FuzzSupport.h"
#include "strata/Error.h"
#include "strata/JsonLimits.h"
#include "strata/inference/ModelCard.h"

using strata::inference::ModelCard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size % 4 == 0) { // through the file, as the server and the pipelines read cards (every fourth input)
        std::filesystem::create_directories(strata::fuzz::scratchDir() / "card");
        strata::fuzz::writeScratch("card/model.json", strata::fuzz::asText(data, size));
        try {
            (void)ModelCard::load(strata::fuzz::scratchDir() / "card");
        } catch (const strata::IoError&) {
        }
    }
    nlohmann::json j;
    try {
        j = strata::parseJson(strata::fuzz::asText(data, size), false);
    } catch (const strata::InvalidArgument&) {
        return 0;
    }
    if (j.is_discarded()) return 0;
    try {
        const ModelCard c = ModelCard::fromJson(j);
        FUZZ_CHECK(c.sha256.size() == 64, "sha256 length");
        FUZZ_CHECK(c.inputChannels >= 1 && c.outputChannels >= 1, "channels");
        for (const double s : c.targetSpacing) FUZZ_CHECK(s > 0, "spacing");
        for (const int p : c.patchSize) FUZZ_CHECK(p >= 8 && p <= 1024, "patch size");
        for (const int p : c.inputSize) FUZZ_CHECK(p >= 0 && p <= 16384, "input size");
        FUZZ_CHECK(c.canonicalFrame.side.empty() || c.canonicalFrame.side == "left" || c.canonicalFrame.side == "right",
                   "side");
        (void)c.modelPath("/models/x");
    } catch (const strata::InvalidArgument&) {
    }
    return 0;
}
