#include "strata/ui/BatchImageReader.h"

#include <strata/ImageSource.h>

namespace strata::ui {

namespace {

constexpr std::uint64_t kMaxPixels = 200'000'000; // the pipelines' own limit is lower; this only guards the viewer

ImageRef locate(const std::filesystem::path& input, const std::string& name)
{
    // Single files need no listing; folders are listed once per call (cheap next to decoding).
    const bool folder = std::filesystem::is_directory(input);
    auto hash = name.rfind('#');
    const bool digits = hash != std::string::npos && hash + 1 < name.size() &&
                        name.find_first_not_of("0123456789", hash + 1) == std::string::npos;
    if (!digits || (folder && std::filesystem::exists(input / name))) {
        hash = std::string::npos; // "a#1.png" is a file name, not page 1 of "a"
    }
    const std::filesystem::path file = folder ? input / name.substr(0, hash) : input;
    int page = 0, count = 1;
    if (hash != std::string::npos) {
        page = std::stoi(name.substr(hash + 1)) - 1;
        count = page + 2; // > 1: read as one page of a multi-page file
    }
    return {file, page, count};
}

} // namespace

QImage BatchImageReader::read(const std::filesystem::path& input, const std::string& name, int maxSide)
{
    try {
        const Image img = ImageSource::read(locate(input, name), kMaxPixels);
        const auto& s = img.size();
        QImage out(static_cast<int>(s[0]), static_cast<int>(s[1]), QImage::Format_Grayscale8);
        const auto px = img.pixels<std::uint8_t>();
        for (int y = 0; y < out.height(); ++y) {
            std::copy_n(px.data() + static_cast<std::size_t>(y) * s[0], s[0], out.scanLine(y));
        }
        if (maxSide > 0 && (out.width() > maxSide || out.height() > maxSide)) {
            return out.scaled(maxSide, maxSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        }
        return out;
    } catch (const std::exception&) {
        return {};
    }
}

} // namespace strata::ui
