#include "strata/ui/DatasetLoader.h"

#include <strata/Error.h>
#include <strata/ImageIO.h>
#include <strata/dicom/DicomSegReader.h>
#include <strata/ImageOps.h>

namespace fs = std::filesystem;

namespace strata::ui {

fs::path DatasetLoader::companionLabels(const fs::path& imagePath)
{
    if (fs::is_directory(imagePath)) {
        return {};
    }
    const std::string name = imagePath.filename().string();
    if (name.rfind("image.", 0) != 0) {
        return {};
    }
    const fs::path candidate = imagePath.parent_path() / ("labels." + name.substr(6));
    std::error_code ec;
    return fs::is_regular_file(candidate, ec) ? candidate : fs::path{};
}

std::shared_ptr<Dataset> DatasetLoader::load(const fs::path& path, std::stop_token stop, const ProgressFn& progress)
{
    reportProgress(progress, 0.05, "Reading " + path.filename().string() + "...");
    auto image = std::make_shared<Image>(readImage(path));
    throwIfStopped(stop);
    if (image->empty()) {
        throw IoError("The file " + path.string() + " holds no voxels.");
    }

    auto ds = std::make_shared<Dataset>();
    ds->path = path;
    ds->name = path.filename().string();
    if (ds->name.empty()) { // "folder/" given with a trailing slash
        ds->name = path.parent_path().filename().string();
    }
    reportProgress(progress, 0.6, "Computing intensity statistics...");
    const auto mm = image->minMax();
    ds->minValue = mm[0];
    ds->maxValue = mm[1];
    throwIfStopped(stop);
    ds->p1 = percentile(*image, 1.0);
    throwIfStopped(stop);
    ds->p99 = percentile(*image, 99.0);
    if (ds->p99 <= ds->p1) {
        ds->p1 = mm[0];
        ds->p99 = mm[1] > mm[0] ? mm[1] : mm[0] + 1.0;
    }
    ds->image = std::move(image);
    throwIfStopped(stop);

    if (const fs::path labels = companionLabels(path); !labels.empty()) {
        reportProgress(progress, 0.8, "Reading label map " + labels.filename().string() + "...");
        ds->addLabelMap({"loaded: " + labels.filename().string(), loadLabels(labels, stop), labels});
    }
    reportProgress(progress, 1.0, "Loaded " + ds->name);
    return ds;
}

std::shared_ptr<const LabelMap> DatasetLoader::loadLabels(const fs::path& path, std::stop_token stop,
                                                          const ProgressFn& progress, const Image* grid)
{
    reportProgress(progress, 0.1, "Reading label map " + path.filename().string() + "...");
    const bool seg = dicom::isDicomSeg(path);
    if (seg && !grid) {
        throw IoError("The DICOM SEG " + path.string() + " needs its image: open the series first.");
    }
    LabelMap map = seg ? dicom::readDicomSeg(path, *grid) : readLabelMap(path);
    throwIfStopped(stop);
    if (map.image().empty()) {
        throw IoError("The label map " + path.string() + " holds no voxels.");
    }
    reportProgress(progress, 1.0, "Loaded label map");
    return std::make_shared<const LabelMap>(std::move(map));
}

} // namespace strata::ui
