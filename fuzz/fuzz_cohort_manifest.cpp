// The cohort CSV manifest (core/src/cohort/CohortManifest.cpp): splitCsvLine and read() from a file.
// Contract: splitCsvLine gives (number of unquoted commas + 1) fields and never more characters than the line;
// read() throws only IoError/InvalidArgument, and every case it returns has a safe subject and timepoint (they
// become folder names), an image, and no (subject, timepoint) twice.
#include "FuzzSupport.h"
#include "strata/Error.h"
#include "strata/cohort/CohortManifest.h"

#include <set>

using strata::cohort::CohortManifest;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(strata::fuzz::asText(data, size));
    const std::string firstLine = text.substr(0, text.find('\n'));
    const auto fields = CohortManifest::splitCsvLine(firstLine);
    std::size_t chars = 0;
    for (const auto& f : fields) chars += f.size();
    FUZZ_CHECK(!fields.empty() && chars <= firstLine.size(), "splitCsvLine invented characters");

    const auto path = strata::fuzz::writeScratch("cohort.csv", text);
    try {
        const auto cases = CohortManifest::read(path);
        FUZZ_CHECK(!cases.empty(), "an empty cohort was accepted");
        std::set<std::pair<std::string, std::string>> seen;
        for (const auto& c : cases) {
            FUZZ_CHECK(CohortManifest::isSafeName(c.subject) && CohortManifest::isSafeName(c.timepoint), "unsafe name");
            FUZZ_CHECK(!c.image.empty(), "a case without image");
            FUZZ_CHECK(seen.insert({c.subject, c.timepoint}).second, "a case listed twice");
            const auto dir = c.bundleDir("/out");
            FUZZ_CHECK(dir.lexically_normal().string().rfind("/out/", 0) == 0, "a bundle folder outside the output");
        }
    } catch (const strata::IoError&) {
    } catch (const strata::InvalidArgument&) {
    }
    return 0;
}
