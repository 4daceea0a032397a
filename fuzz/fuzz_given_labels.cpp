// The label mapping file of a given segmentation (core/src/knee/GivenLabels.cpp, GivenLabelMapping::fromJsonFile).
// Contract: a bad file is InvalidArgument (IoError if unreadable); an accepted mapping has ids 1..65535, Strata ids
// -1 (the combined tibial cartilage, at most one) .. 12, a name for every id, and no id given twice under two
// spellings ("4" and "04").
#include "FuzzSupport.h"
#include "knee/GivenLabels.h"
#include "strata/Error.h"

using strata::knee::GivenLabelMapping;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = strata::fuzz::writeScratch("mapping.json", strata::fuzz::asText(data, size));
    try {
        const auto m = GivenLabelMapping::fromJsonFile(path);
        FUZZ_CHECK(!m.toStrata.empty() && m.scheme == "file", "an empty mapping");
        int combined = 0;
        for (const auto& [id, strataId] : m.toStrata) {
            FUZZ_CHECK(id >= 1 && id <= 65535, "file id out of range");
            FUZZ_CHECK(strataId >= -1 && strataId <= 12, "Strata id out of range");
            FUZZ_CHECK(m.names.count(id), "an id without a name");
            if (strataId == -1) {
                ++combined;
                FUZZ_CHECK(id == m.combinedTibialCartilage, "a split id that is not the combined one");
            }
        }
        FUZZ_CHECK(combined <= 1, "two combined tibial cartilage ids");
        if (m.combinedTibialCartilage >= 0) {
            FUZZ_CHECK(m.toStrata.count(m.combinedTibialCartilage) && m.toStrata.at(m.combinedTibialCartilage) == -1,
                       "the combined tibial cartilage id maps to another structure");
        }
        // Every key of the file is one entry: two spellings of one id would silently overwrite each other.
        const auto j = nlohmann::json::parse(std::string(strata::fuzz::asText(data, size)));
        FUZZ_CHECK(j.size() == m.toStrata.size(), "an id given twice (two spellings) was accepted");
    } catch (const strata::InvalidArgument&) {
    } catch (const strata::IoError&) {
    }
    return 0;
}
