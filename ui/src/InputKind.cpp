#include "strata/ui/InputKind.h"

#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>
#include <iterator>

namespace strata::ui {
namespace {

const char* const kVolumeSuffixes[] = {".nii", ".nii.gz", ".nrrd", ".nhdr", ".mha", ".mhd", ".dcm"};
const char* const kPictureSuffixes[] = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".pnm", ".pgm", ".ppm", ".webp"};
const char* const kVideoSuffixes[] = {".avi", ".mp4", ".mkv", ".mov", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv"};

template <std::size_t N> bool endsWithAny(const QString& name, const char* const (&suffixes)[N])
{
    return std::any_of(std::begin(suffixes), std::end(suffixes), [&](const char* s) { return name.endsWith(QLatin1String(s)); });
}

} // namespace

InputKind inputKind(const QString& path)
{
    const QFileInfo info(path);
    if (info.isDir()) {
        QDirIterator it(path, QDir::Files);
        for (int n = 0; n < 50 && it.hasNext(); ++n) {
            const QString name = it.next().toLower();
            if (endsWithAny(name, kPictureSuffixes) || endsWithAny(name, kVideoSuffixes) || name.endsWith(QLatin1String(".pdf"))) {
                return InputKind::PictureFolder;
            }
        }
        return InputKind::Volume;
    }
    const QString name = path.toLower();
    if (endsWithAny(name, kVolumeSuffixes)) return InputKind::Volume;
    if (endsWithAny(name, kPictureSuffixes)) return InputKind::Picture;
    if (endsWithAny(name, kVideoSuffixes)) return InputKind::Video;
    if (name.endsWith(QLatin1String(".pdf"))) return InputKind::Document;
    return InputKind::Unknown;
}

bool inputFits(InputKind kind, const std::string& portType)
{
    if (kind == InputKind::Unknown) return true;
    if (portType == "image") return kind == InputKind::Volume;
    if (portType == "images") {
        return kind == InputKind::Picture || kind == InputKind::Document || kind == InputKind::PictureFolder;
    }
    if (portType == "media") return kind == InputKind::Picture || kind == InputKind::Video;
    return true;
}

} // namespace strata::ui
