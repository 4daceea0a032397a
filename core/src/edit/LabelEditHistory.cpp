#include "strata/edit/LabelEditHistory.h"

namespace strata::edit {

void LabelEditHistory::account(const LabelDelta& d, int sign)
{
    for (const auto& [label, n] : d.changePerLabel()) {
        netChange_[label] += sign * n;
        if (netChange_[label] == 0) netChange_.erase(label);
    }
    editsSinceSave_ += sign;
    const auto now = std::chrono::steady_clock::now();
    if (first_ == std::chrono::steady_clock::time_point{}) first_ = now;
    last_ = now;
}

void LabelEditHistory::push(LabelDelta delta)
{
    if (delta.empty()) return;
    account(delta, +1);
    for (const auto& r : redo_) bytes_ -= r.bytes();
    redo_.clear();
    bytes_ += delta.bytes();
    undo_.push_back(std::move(delta));
    trim();
}

bool LabelEditHistory::undo(LabelMap& labels)
{
    if (undo_.empty()) return false;
    LabelDelta d = std::move(undo_.back());
    undo_.pop_back();
    d.undo(labels);
    account(d, -1);
    redo_.push_back(std::move(d));
    return true;
}

bool LabelEditHistory::redo(LabelMap& labels)
{
    if (redo_.empty()) return false;
    LabelDelta d = std::move(redo_.back());
    redo_.pop_back();
    d.redo(labels);
    account(d, +1);
    undo_.push_back(std::move(d));
    return true;
}

void LabelEditHistory::trim()
{
    while (bytes_ > budget_ && undo_.size() > 1) { // the newest edit always stays undoable
        bytes_ -= undo_.front().bytes();
        undo_.pop_front();
        ++forgotten_;
    }
}

double LabelEditHistory::editingSeconds() const
{
    if (first_ == std::chrono::steady_clock::time_point{}) return 0.0;
    return std::chrono::duration<double>(last_ - first_).count();
}

void LabelEditHistory::markSaved()
{
    netChange_.clear();
    editsSinceSave_ = 0;
    first_ = last_ = {};
}

void LabelEditHistory::clear()
{
    undo_.clear();
    redo_.clear();
    bytes_ = 0;
    forgotten_ = 0;
    markSaved();
}

} // namespace strata::edit
