#pragma once

#include "strata/ui/CohortCaseStatus.h"

#include <strata/cohort/CohortManifest.h>

#include <filesystem>
#include <vector>

namespace strata::ui {

/// Reads what a cohort run left in its study folder (by the GUI, strata-cli cohort or a server), without running
/// anything: the cases for the cohort view.
class CohortStudy {
public:
    /// Every case of a study: each <subject>/<timepoint>/ folder with a provenance.json (done, or failed when its
    /// provenance says so or quality control called the scan not_a_knee), then the rows of failures.csv that have no
    /// bundle (failed, with the reason), sorted by subject and timepoint. Throws IoError when `studyDir` is not a
    /// folder or holds no case at all.
    static std::vector<CohortCaseStatus> list(const std::filesystem::path& studyDir);

    /// A manifest's cases as pending rows, with the bundle folders they get under `studyDir`.
    static std::vector<CohortCaseStatus> pending(const std::vector<cohort::CohortCase>& cases,
                                                 const std::filesystem::path& studyDir);

    /// Quality control's verdict in a bundle's metrics.json ("" when there is none or it cannot be read).
    static QString verdict(const std::filesystem::path& bundleDir);
    /// "Quality control: not a knee (reasons)." when the bundle's metrics.json says so, otherwise "".
    static QString qualityFailure(const std::filesystem::path& bundleDir);
};

} // namespace strata::ui
