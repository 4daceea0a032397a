// Detached-header data-file references of MetaImage and NRRD headers (core/src/io/DataFileReferences.cpp), the
// check strata-server applies to every uploaded image.
// Contract: dataFileReferences never throws; requireDataFilesInside throws only InvalidArgument, and when it
// accepts, every reference is one relative name of a regular file inside the folder; its message never holds
// what the header says (the path an attacker chose).
#include "FuzzSupport.h"
#include "strata/DataFileReferences.h"
#include "strata/Error.h"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) return 0;
    static const char* names[] = {"image.mha", "image.mhd", "image.nrrd", "image.nhdr", "image.nii", "image.bin"};
    const std::string name = names[data[0] % 6];
    const std::string_view header = strata::fuzz::asText(data + 1, size - 1);
    const fs::path folder = strata::fuzz::scratchDir() / "upload";
    static const bool made = [&folder] {
        fs::create_directories(folder);
        strata::fuzz::writeScratch("upload/image.raw", "pixels"); // a data file that may be named
        strata::fuzz::writeScratch("outside.raw", "secret");       // one outside the folder
        return true;
    }();
    (void)made;
    const fs::path image = folder / name;
    {
        std::ofstream out(image, std::ios::binary | std::ios::trunc);
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
    }
    std::vector<strata::DataFileReference> refs;
    try {
        refs = strata::dataFileReferences(image);
    } catch (...) {
        FUZZ_CHECK(false, "dataFileReferences threw");
    }
    try {
        strata::requireDataFilesInside(image, folder);
        for (const auto& r : refs) {
            FUZZ_CHECK(!r.multiFile && !r.value.empty() && fs::path(r.value).is_relative(), "accepted a LIST or an absolute path");
            FUZZ_CHECK(r.value.find("..") == std::string::npos, "accepted ..");
            std::error_code ec;
            const fs::path target = fs::canonical(folder / r.value, ec);
            FUZZ_CHECK(!ec && fs::is_regular_file(target) && target.parent_path() == fs::canonical(folder),
                       "accepted a data file outside the folder");
        }
    } catch (const strata::InvalidArgument& e) {
        FUZZ_CHECK(!refs.empty(), "refused an image without references");
        // The message is the one a plain "/etc/passwd" reference in one of the two fields gets: nothing of what
        // the header said (path, existence, size) shows through.
        auto canonical = [&name](const std::string& header) {
            const fs::path dir = strata::fuzz::scratchDir() / "canon";
            fs::create_directories(dir);
            try {
                strata::requireDataFilesInside(strata::fuzz::writeScratch("canon/" + name, header), dir);
            } catch (const strata::InvalidArgument& c) {
                return std::string(c.what());
            }
            return std::string();
        };
        const std::string what = e.what();
        FUZZ_CHECK(what == canonical("ObjectType = Image\nElementDataFile = /etc/passwd\n") ||
                       what == canonical("NRRD0004\ndata file: /etc/passwd\n\n"),
                   "the message depends on what the header says: " + what);
    }
    return 0;
}
