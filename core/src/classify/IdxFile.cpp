#include "strata/classify/IdxFile.h"

#include "strata/Error.h"

#include <zlib.h>

#include <cstdint>

namespace strata::classify {

IdxFile IdxFile::read(const std::filesystem::path& path)
{
    const std::string where = "'" + path.string() + "'";
    gzFile f = gzopen(path.string().c_str(), "rb"); // also reads uncompressed files
    if (!f) {
        throw IoError("Cannot open IDX file " + where + ".");
    }
    std::vector<std::uint8_t> bytes;
    std::uint8_t buf[1 << 16];
    int n = 0;
    while ((n = gzread(f, buf, sizeof buf)) > 0) {
        bytes.insert(bytes.end(), buf, buf + n);
    }
    gzclose(f);
    if (n < 0 || bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0) {
        throw IoError("Cannot read IDX file " + where + ": not an IDX file or corrupt.");
    }
    if (bytes[2] != 0x08) {
        throw IoError("IDX file " + where + " does not hold unsigned bytes.");
    }
    IdxFile idx;
    const std::size_t ndims = bytes[3];
    std::size_t count = 1;
    if (bytes.size() < 4 + 4 * ndims) {
        throw IoError("IDX file " + where + " is truncated.");
    }
    for (std::size_t d = 0; d < ndims; ++d) {
        const auto* p = &bytes[4 + 4 * d];
        idx.dims.push_back((std::uint32_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3]);
        if (idx.dims.back() != 0 && count > SIZE_MAX / idx.dims.back()) { // would wrap and match a short file
            throw IoError("IDX file " + where + " declares more data than a file can hold.");
        }
        count *= idx.dims.back();
    }
    const std::size_t offset = 4 + 4 * ndims;
    if (bytes.size() != offset + count) {
        throw IoError("IDX file " + where + " is truncated or has trailing data.");
    }
    idx.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(offset), bytes.end());
    return idx;
}

} // namespace strata::classify
