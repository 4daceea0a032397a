#include "io/DecodedDicomCopies.h"

#include "io/DicomChildDecode.h"
#include "strata/Error.h"
#include "strata/io/DecodeScratch.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace strata::io {

namespace {

void replaceAll(std::string& text, const std::string& from, const std::string& to)
{
    if (from.empty()) return;
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

} // namespace

DecodedDicomCopies::DecodedDicomCopies(const std::filesystem::path& path, const std::string& context,
                                       std::uint64_t maxBytes)
    : original_(path), readable_(path)
{
    try {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) {
            copyFolder(context, maxBytes);
        } else {
            copyFile(context, maxBytes);
        }
    } catch (...) {
        std::error_code ec;
        if (!private_.empty()) std::filesystem::remove_all(private_, ec);
        throw;
    }
}

DecodedDicomCopies::~DecodedDicomCopies()
{
    std::error_code ec;
    if (!private_.empty()) std::filesystem::remove_all(private_, ec);
}

void DecodedDicomCopies::makePrivateFolder(const std::string& context)
{
    std::string pattern = decodeScratchPattern();
    if (!::mkdtemp(pattern.data())) {
        throw IoError(context + ": cannot make a private folder for its decoded pixel data (" + std::strerror(errno) +
                      ").");
    }
    private_ = pattern;
}

void DecodedDicomCopies::copyFile(const std::string& context, std::uint64_t maxBytes)
{
    if (!hasEncapsulatedPixelData(original_.string())) return;
    makePrivateFolder(context);
    readable_ = private_ / original_.filename();
    writeDecodedDicomCopies({original_.string()}, {readable_.string()}, context, maxBytes);
}

void DecodedDicomCopies::copyFolder(const std::string& context, std::uint64_t maxBytes)
{
    std::vector<std::filesystem::path> plain;
    std::vector<std::string> compressed;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(original_, ec)) {
        std::error_code fileEc;
        if (!entry.is_regular_file(fileEc)) continue;
        if (hasEncapsulatedPixelData(entry.path().string())) {
            compressed.push_back(entry.path().string());
        } else {
            plain.push_back(entry.path());
        }
    }
    if (compressed.empty()) return;
    makePrivateFolder(context);
    const std::filesystem::path folder = std::filesystem::absolute(original_, ec);
    for (const auto& file : plain) {
        std::filesystem::create_symlink(folder / file.filename(), private_ / file.filename(), ec);
        if (ec) {
            throw IoError(context + ": cannot link " + file.filename().string() + " beside its decoded files (" +
                          ec.message() + ").");
        }
    }
    std::vector<std::string> copies;
    for (const auto& file : compressed) copies.push_back((private_ / std::filesystem::path(file).filename()).string());
    readable_ = private_;
    writeDecodedDicomCopies(compressed, copies, context, maxBytes);
}

std::string DecodedDicomCopies::restored(std::string message) const
{
    if (private_.empty()) return message;
    replaceAll(message, readable_.string(), original_.string());
    replaceAll(message, private_.string(), original_.parent_path().string()); // a file's folder
    return message;
}

} // namespace strata::io
