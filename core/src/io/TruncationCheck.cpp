#include "io/TruncationCheck.h"

#include "io/TextFiles.h"
#include "strata/Error.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

namespace strata::io {

namespace {

[[noreturn]] void truncated(const std::filesystem::path& path, std::uint64_t have, std::uint64_t need)
{
    throw IoError("Cannot read " + quoted(path) + ": the file is truncated (" + std::to_string(have) +
                  " bytes of pixel data where the header declares " + std::to_string(need) + ").");
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

double voxOffset(const std::array<char, 348>& header)
{
    std::int32_t sizeofHdr = 0;
    std::memcpy(&sizeofHdr, header.data(), 4);
    float offset = 0;
    std::memcpy(&offset, header.data() + 108, 4);
    if (sizeofHdr != 348) { // big endian header
        std::uint32_t raw = 0;
        std::memcpy(&raw, &offset, 4);
        raw = __builtin_bswap32(raw);
        std::memcpy(&offset, &raw, 4);
    }
    if (!(offset >= 348)) return 352.0; // NaN too: NIfTI-1's default
    // A float beyond any file size cannot be converted to an integer offset (undefined behaviour): no file holds
    // pixel data that far, so it is an offset past the end.
    return std::min(static_cast<double>(offset), 0x1p62);
}

void checkNifti(const std::filesystem::path& path, std::uint64_t pixelBytes)
{
    std::array<char, 348> header{};
    std::uint64_t total = 0;
    if (endsWith(path.string(), ".gz")) {
        gzFile f = gzopen(path.c_str(), "rb");
        if (!f) {
            throw IoError("Cannot read " + quoted(path) + ": cannot open it.");
        }
        std::array<char, 1 << 16> buf{};
        int n = 0;
        bool first = true;
        while ((n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()))) > 0) {
            if (first && n >= 348) {
                std::memcpy(header.data(), buf.data(), 348);
            }
            first = false;
            total += static_cast<std::uint64_t>(n);
        }
        int err = Z_OK;
        gzerror(f, &err);
        gzclose(f);
        if (n < 0 || err != Z_OK) {
            throw IoError("Cannot read " + quoted(path) + ": the compressed data is corrupt or truncated.");
        }
    } else {
        std::ifstream f(path, std::ios::binary);
        f.read(header.data(), header.size());
        total = std::filesystem::file_size(path);
    }
    if (total < 348) {
        truncated(path, 0, pixelBytes);
    }
    const auto offset = static_cast<std::uint64_t>(voxOffset(header));
    const std::uint64_t have = total > offset ? total - offset : 0;
    if (have < pixelBytes) {
        truncated(path, have, pixelBytes);
    }
}

void checkMetaImage(const std::filesystem::path& path, std::uint64_t pixelBytes)
{
    std::ifstream f(path, std::ios::binary);
    std::string line;
    bool compressed = false;
    std::optional<std::uint64_t> compressedSize;
    std::string dataFile;
    while (std::getline(f, line)) {
        const auto eq = line.find('=');
        if (eq == std::string::npos) {
            continue;
        }
        auto trim = [](std::string s) {
            const auto a = s.find_first_not_of(" \t\r");
            const auto b = s.find_last_not_of(" \t\r");
            return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
        };
        const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
        if (key == "CompressedData") {
            compressed = value == "True" || value == "true";
        } else if (key == "CompressedDataSize") {
            compressedSize = std::stoull(value);
        } else if (key == "ElementDataFile") {
            dataFile = value;
            break;
        }
    }
    const std::uint64_t need = compressed ? compressedSize.value_or(0) : pixelBytes;
    if (need == 0 || dataFile.empty()) {
        return;
    }
    if (dataFile == "LOCAL") {
        const auto start = static_cast<std::uint64_t>(f.tellg());
        const auto size = std::filesystem::file_size(path);
        const std::uint64_t have = size > start ? size - start : 0;
        if (have < need) {
            truncated(path, have, need);
        }
        return;
    }
    if (dataFile.find('%') != std::string::npos || dataFile.rfind("LIST", 0) == 0) {
        return; // multi-file layouts: left to the reader
    }
    const auto data = path.parent_path() / dataFile;
    std::error_code ec;
    const auto have = std::filesystem::file_size(data, ec);
    if (ec) {
        throw IoError("Cannot read " + quoted(path) + ": its data file " + quoted(data) + " is missing.");
    }
    if (have < need) {
        truncated(data, have, need);
    }
}

} // namespace

void checkPixelDataComplete(const std::filesystem::path& path, std::uint64_t pixelBytes)
{
    std::string name = path.filename().string();
    for (auto& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    try {
        if (endsWith(name, ".nii") || endsWith(name, ".nii.gz")) {
            checkNifti(path, pixelBytes);
        } else if (endsWith(name, ".mha") || endsWith(name, ".mhd")) {
            checkMetaImage(path, pixelBytes);
        }
    } catch (const std::filesystem::filesystem_error& e) {
        throw IoError("Cannot read " + quoted(path) + ": " + e.code().message() + ".");
    } catch (const std::logic_error&) { // std::stoull: not a number (invalid_argument) or too large (out_of_range)
        throw IoError("Cannot read " + quoted(path) + ": its header is corrupt.");
    }
}

} // namespace strata::io
