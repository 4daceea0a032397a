#pragma once

#include <QString>

namespace strata::results {
struct ReportData;
}
namespace strata::report {
struct ReportImages;
}

namespace strata::ui {

/// What Edit > Preferences sets, kept in QSettings ("preferences/..."): read where it is used, so a change applies to
/// the next run or repaint.
struct Preferences {
    int threads{0};         ///< CPU threads of analyses run on this workstation (0: all cores)
    bool smoothSlices{false}; ///< slice views interpolate linearly between voxels (else nearest: voxels show)
    QString dataFolder;     ///< where Open dialogs start when nothing was opened yet
    QString resultsFolder;  ///< where the Analysis panel puts results (empty: beside the input)
    QString device{QStringLiteral("auto")}; ///< device of runs and cohorts on this workstation: auto, cpu or cuda
    /// What reports (File > Export result) include besides the tables and plots: the 3D view, the three slice
    /// pictures with the overlay, the bundle's 2D thickness maps.
    bool report3dView{true};
    bool reportSlices{true};
    bool reportThicknessMaps{true};
    /// Not kept: the dialog's "Reset label names and colours" was pressed (applyPreferences forgets them).
    bool resetLabelAppearance{false};

    static Preferences load();
    void save() const;
    /// Leaves out of a report what the report options leave out.
    void trimReport(results::ReportData& data, report::ReportImages& images) const;
};

} // namespace strata::ui
