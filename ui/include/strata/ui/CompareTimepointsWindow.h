#pragma once

#include "strata/ui/TimepointCompare.h"
#include "strata/ui/ViewPlane.h"

#include <QWidget>

#include <array>

class QComboBox;
class QLabel;
class QTabWidget;
class QStackedWidget;

namespace strata::ui {

class SliceView;
class ViewerState;

/// Analysis > Compare timepoints: the baseline (thickness change map over it, blue loss - red gain, with its colour
/// bar) and the follow-up (its segmentation; T shows its thickness) side by side in one plane, cursors linked through
/// each bone's alignment (a click on the baseline's medial tibial cartilage puts the follow-up's cursor on the same
/// place of its tibia), and the change tables (per plate, per region and subregion, bone alignment with residuals).
/// A pair whose bones do not align is shown under a red warning. Report... writes the follow-up's report with the
/// change section.
class CompareTimepointsWindow : public QWidget {
    Q_OBJECT
public:
    explicit CompareTimepointsWindow(TimepointCompare compare, QWidget* parent = nullptr);

    const TimepointCompare& compare() const { return compare_; }
    ViewerState* baselineState() const { return baseline_; }
    ViewerState* followupState() const { return followup_; }
    /// The views of the plane shown.
    SliceView* baselineView() const;
    SliceView* followupView() const;
    /// Shows both timepoints in `plane`.
    void setPlane(ViewPlane plane);
    /// Writes the follow-up's PDF report with the change section; returns the files written. Throws strata::Error.
    QStringList writeReport(const QString& pdfPath);

    /// Asks for the baseline and follow-up result folders (the follow-up suggested), compares them off the GUI
    /// thread with progress and Cancel, writes the change folder beside the follow-up
    /// (<follow-up>_vs_<baseline>/) and opens the window. Errors are shown in a message box.
    static void start(QWidget* parent, const QString& suggestedFollowup);

private:
    void followBaselineCursor();
    void followFollowupCursor();
    void chooseReport();

    TimepointCompare compare_;
    ViewerState* baseline_;
    ViewerState* followup_;
    std::array<SliceView*, 3> baselineViews_{};
    std::array<SliceView*, 3> followupViews_{};
    QStackedWidget* views_;
    QComboBox* plane_;
    QLabel* verdict_;
    QTabWidget* tables_;
    bool linking_{false};
};

} // namespace strata::ui
