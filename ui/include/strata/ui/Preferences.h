#pragma once

#include <QString>

namespace strata::ui {

/// What Edit > Preferences sets, kept in QSettings ("preferences/..."): read where it is used, so a change applies to
/// the next run or repaint.
struct Preferences {
    int threads{0};         ///< CPU threads of analyses run on this workstation (0: all cores)
    bool smoothSlices{false}; ///< slice views interpolate linearly between voxels (else nearest: voxels show)
    QString dataFolder;     ///< where Open dialogs start when nothing was opened yet
    QString resultsFolder;  ///< where the Analysis panel puts results (empty: beside the input)

    static Preferences load();
    void save() const;
};

} // namespace strata::ui
