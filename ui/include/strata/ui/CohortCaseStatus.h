#pragma once

#include <QString>

namespace strata::ui {

/// One case of a cohort as the cohort view shows it: who, which scan, what happened to it and where its bundle is.
struct CohortCaseStatus {
    enum class State { Pending, Running, Done, Skipped, Failed, Cancelled };

    QString subject;
    QString timepoint;
    QString image;
    QString labels;        ///< a given segmentation, empty when the pipeline segments
    State state{State::Pending};
    double progress{0.0};  ///< 0..1 of this case while it runs
    QString message;       ///< why it failed, the stage while it runs, "finished by an earlier run", ...
    QString verdict;       ///< quality control's verdict from metrics.json ("ok", "uncertain", "not_a_knee"), or empty
    QString bundleDir;     ///< <study>/<subject>/<timepoint>

    /// Its bundle folder holds a result (provenance.json): it can be opened, failed ones included (a scan quality
    /// control rejected keeps its bundle for a look).
    bool hasBundle() const;
    /// "pending", "running 42 %", "done", "skipped (finished earlier)", "failed", "cancelled".
    QString stateText() const;
    static QString stateName(State state);
};

} // namespace strata::ui
