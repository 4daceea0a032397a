#pragma once

#include "strata/edit/LabelDelta.h"

#include <chrono>
#include <deque>
#include <map>

namespace strata::edit {

/// Undo and redo of label edits within a memory budget: each edit is kept as its delta (only the voxels it
/// changed); when the deltas pass the budget the oldest undo steps are forgotten (the edits stay applied).
/// Also keeps what the edits did since the labels were loaded or saved, for provenance.
class LabelEditHistory {
public:
    explicit LabelEditHistory(std::size_t budgetBytes = std::size_t{256} << 20) : budget_(budgetBytes) {}

    /// Records an edit already applied to the labels (an empty one is ignored). Clears redo.
    void push(LabelDelta delta);
    [[nodiscard]] bool canUndo() const { return !undo_.empty(); }
    [[nodiscard]] bool canRedo() const { return !redo_.empty(); }
    /// Undoes the newest edit on `labels`; false when there is none.
    bool undo(LabelMap& labels);
    bool redo(LabelMap& labels);

    /// The edit undo() / redo() would take back or apply again (null when none).
    [[nodiscard]] const LabelDelta* nextUndo() const { return undo_.empty() ? nullptr : &undo_.back(); }
    [[nodiscard]] const LabelDelta* nextRedo() const { return redo_.empty() ? nullptr : &redo_.back(); }
    [[nodiscard]] std::size_t undoSteps() const { return undo_.size(); }
    [[nodiscard]] std::size_t redoSteps() const { return redo_.size(); }
    /// Memory the deltas hold, and the budget (bytes).
    [[nodiscard]] std::size_t bytes() const { return bytes_; }
    [[nodiscard]] std::size_t budget() const { return budget_; }
    /// Undo steps forgotten to stay within the budget since the last clear().
    [[nodiscard]] std::size_t forgotten() const { return forgotten_; }

    /// Whether the labels differ from when they were loaded or last saved (edits not undone since).
    [[nodiscard]] bool dirty() const { return netChange_.size() > 0 || editsSinceSave_ != 0; }
    /// Voxels each label gained or lost since then (undo and redo included), and the number of edits applied.
    [[nodiscard]] const std::map<int, std::int64_t>& changePerLabel() const { return netChange_; }
    [[nodiscard]] int edits() const { return editsSinceSave_; }
    /// Seconds between the first and the last edit since then (0 without edits).
    [[nodiscard]] double editingSeconds() const;
    /// The labels were saved (or reloaded): not dirty, counts from zero; undo stays possible.
    void markSaved();
    /// Forgets everything (another label map).
    void clear();

private:
    void account(const LabelDelta& d, int sign);
    void trim();

    std::size_t budget_;
    std::size_t bytes_{0};
    std::size_t forgotten_{0};
    std::deque<LabelDelta> undo_, redo_;
    std::map<int, std::int64_t> netChange_;
    int editsSinceSave_{0};
    std::chrono::steady_clock::time_point first_{}, last_{};
};

} // namespace strata::edit
