#include "strata/ui/LabelMapSet.h"

namespace strata::ui {

int LabelMapSet::add(LabelMapEntry entry)
{
    if (entry.loadedTable.size() == 0 && entry.labels) entry.loadedTable = entry.labels->table();
    if (const int known = indexOf(entry.labels.get()); known >= 0) {
        if (!entry.path.empty()) entries_[static_cast<std::size_t>(known)].path = entry.path;
        shown_ = known;
        return known;
    }
    // The same file read again (a result opened twice, a label file loaded again): its entry gets the new read.
    for (std::size_t i = 0; !entry.path.empty() && i < entries_.size(); ++i) {
        LabelMapEntry& e = entries_[i];
        if (!e.editable && e.path == entry.path) {
            e.labels = std::move(entry.labels);
            e.loadedTable = std::move(entry.loadedTable);
            shown_ = static_cast<int>(i);
            return shown_;
        }
    }
    // Two runs in the same minute, or one file loaded twice: the names the user picks from stay apart.
    const std::string base = entry.name;
    for (int n = 2; indexOf(entry.name) >= 0; ++n) entry.name = base + " (" + std::to_string(n) + ")";
    entries_.push_back(std::move(entry));
    shown_ = size() - 1;
    return shown_;
}

bool LabelMapSet::show(int index)
{
    if (index < 0 || index >= size()) return false;
    shown_ = index;
    return true;
}

const LabelMapEntry* LabelMapSet::shown() const
{
    return shown_ >= 0 && shown_ < size() ? &entries_[static_cast<std::size_t>(shown_)] : nullptr;
}

LabelMapEntry* LabelMapSet::shown()
{
    return shown_ >= 0 && shown_ < size() ? &entries_[static_cast<std::size_t>(shown_)] : nullptr;
}

int LabelMapSet::indexOf(const LabelMap* labels) const
{
    for (std::size_t i = 0; labels && i < entries_.size(); ++i)
        if (entries_[i].labels.get() == labels) return static_cast<int>(i);
    return -1;
}

int LabelMapSet::indexOf(const std::string& name) const
{
    for (std::size_t i = 0; i < entries_.size(); ++i)
        if (entries_[i].name == name) return static_cast<int>(i);
    return -1;
}

} // namespace strata::ui
