#pragma once

#include "strata/ui/Dataset.h"

#include <strata/Progress.h>

#include <filesystem>
#include <memory>
#include <stop_token>

namespace strata::ui {

/// Loads datasets; runs on a worker thread (no Qt GUI, no VTK).
class DatasetLoader {
public:
    /// Reads an image file or DICOM folder, computes display statistics, and attaches `labels.nii.gz` when
    /// the file is an `image.*` with a label map beside it. Throws strata::Error (IoError, Cancelled).
    static std::shared_ptr<Dataset> load(const std::filesystem::path& path, std::stop_token stop,
                                         const ProgressFn& progress = {});

    /// Reads a label map to be shown over `reference` (uint8 label ids + optional sidecar table). A DICOM SEG is read
    /// onto `grid` (the image it was made on; required for a SEG).
    static std::shared_ptr<const LabelMap> loadLabels(const std::filesystem::path& path, std::stop_token stop,
                                                      const ProgressFn& progress = {}, const Image* grid = nullptr);

    /// The `labels.*` file that belongs to an `image.*` file, or an empty path.
    static std::filesystem::path companionLabels(const std::filesystem::path& imagePath);
};

} // namespace strata::ui
