#include "strata/ui/Dataset.h"

#include <strata/ImageIO.h>
#include <strata/PixelType.h>

#include <cstdio>

namespace strata::ui {

int Dataset::addLabelMap(LabelMapEntry entry)
{
    const int index = labelMaps.add(std::move(entry));
    showLabelMap(index);
    return index;
}

bool Dataset::showLabelMap(int index)
{
    if (!labelMaps.show(index)) return false;
    const LabelMapEntry* e = labelMaps.shown();
    labels = e->labels;
    labelsPath = e->path;
    return true;
}

std::string Dataset::sizeText() const
{
    if (!image) {
        return {};
    }
    const auto& s = image->size();
    return std::to_string(s[0]) + " x " + std::to_string(s[1]) + " x " + std::to_string(s[2]);
}

std::string Dataset::spacingText() const
{
    if (!image) {
        return {};
    }
    const auto& s = image->spacing();
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.3g x %.3g x %.3g mm", s[0], s[1], s[2]);
    return buf;
}

std::string Dataset::typeText() const
{
    if (!image) {
        return {};
    }
    std::string t(pixelTypeName(image->pixelType()));
    if (image->components() > 1) {
        t += " x" + std::to_string(image->components());
    }
    return t;
}

bool Dataset::isVideo() const
{
    return formatFromPath(path) == ImageFormat::Video;
}

bool Dataset::hasPatientAxes() const
{
    switch (formatFromPath(path)) {
    case ImageFormat::Video:
    case ImageFormat::Png:
    case ImageFormat::Jpeg:
    case ImageFormat::Tiff:
    case ImageFormat::Bmp: return false;
    default: return true;
    }
}

} // namespace strata::ui
