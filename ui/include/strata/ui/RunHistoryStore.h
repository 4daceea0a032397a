#pragma once

#include "strata/ui/RunJob.h"

#include <QString>

#include <vector>

namespace strata::ui {

/// The finished runs of earlier sessions, kept in a JSON file (the newest kMaxRuns): pipeline, input, parameters,
/// where it ran, outcome, times and the result folder, so a result can be reopened from the history after a restart.
/// Writes go to a temporary file renamed over the old one; an unreadable file is set aside, not fatal.
class RunHistoryStore {
public:
    static constexpr std::size_t kMaxRuns = 200;

    explicit RunHistoryStore(QString file) : file_(std::move(file)) {}

    const QString& file() const { return file_; }
    /// Finished runs, oldest first (ids as stored). Empty when the file is missing; a damaged file is renamed to
    /// *.damaged and reported in `warning`.
    std::vector<RunJob> load(QString* warning = nullptr) const;
    /// Saves the finished runs among `jobs` (the newest kMaxRuns). Returns false when the file cannot be written.
    bool save(const std::vector<RunJob>& jobs) const;

private:
    QString file_;
};

} // namespace strata::ui
