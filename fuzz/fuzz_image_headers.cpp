// What Strata itself parses of an image file before a decoder sees it: the header probe that sizes PNG, JPEG, BMP
// and TIFF files (core/src/io/ImageHeaderProbe.cpp: the server answers its pixel limits from it) and the check that
// a NIfTI (.nii, .nii.gz) or MetaImage (.mha) file holds the pixel data its header declares
// (core/src/io/TruncationCheck.cpp). The first byte chooses the file kind; for .nii.gz the rest is gzipped first,
// so the fuzzer explores the header inside the compressed stream; 8 bytes give the pixel byte count claimed.
// Contract: the truncation check throws IoError only (never another exception, never undefined behaviour on a
// header's offset or sizes); the probe answers the same from a path and from a stream.
#include "FuzzSupport.h"

#include "io/ImageHeaderProbe.h"
#include "io/TruncationCheck.h"
#include "strata/Error.h"

#include <zlib.h>

#include <cstring>
#include <sstream>

namespace {

void writeGzip(const std::filesystem::path& path, std::string_view bytes)
{
    gzFile f = gzopen(path.c_str(), "wb1");
    FUZZ_CHECK(f != nullptr, "cannot write the scratch file");
    if (!bytes.empty()) gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 9) return 0;
    const unsigned kind = data[0] % 4;
    std::uint64_t claimed = 0;
    std::memcpy(&claimed, data + 1, 8);
    const std::string_view body = strata::fuzz::asText(data + 9, size - 9);

    if (kind == 3) { // PNG / JPEG / BMP / TIFF header probe
        const auto path = strata::fuzz::writeScratch("probe.img", body);
        const auto fromPath = strata::io::probeImageDimensions(path);
        std::istringstream in{std::string(body)};
        const auto fromStream = strata::io::probeImageDimensions(in);
        FUZZ_CHECK(fromPath.has_value() == fromStream.has_value(), "path and stream disagree");
        if (fromPath)
            FUZZ_CHECK(fromPath->width == fromStream->width && fromPath->height == fromStream->height,
                       "path and stream give other sizes");
        return 0;
    }
    std::filesystem::path path;
    if (kind == 0) path = strata::fuzz::writeScratch("image.nii", body);
    if (kind == 1) writeGzip(path = strata::fuzz::scratchDir() / "image.nii.gz", body);
    if (kind == 2) path = strata::fuzz::writeScratch("image.mha", body);
    try {
        strata::io::checkPixelDataComplete(path, claimed);
    } catch (const strata::IoError&) {
    }
    return 0;
}
