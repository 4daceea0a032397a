#pragma once

#include <strata/LabelMap.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace strata::ui {

/// One label map of an image: a run's segmentation, a file loaded for it, or the editor's copy of another.
struct LabelMapEntry {
    std::string name; ///< "AI result knee-mri 14:02", "loaded: truth.nii.gz", "edited copy of loaded: truth.nii.gz"
    std::shared_ptr<const LabelMap> labels;
    std::filesystem::path path; ///< the file it came from or was saved to; empty while it lives in memory only
    /// The editor's own copy (the same map as `labels`): edits go on in it instead of copying it again.
    std::shared_ptr<LabelMap> editable{};
    /// The names and colours the map came with (before the Labels panel's remembered ones), for a reset.
    LabelTable loadedTable{};
};

/// The label maps of one image (issue 24, item 3) and which of them is shown. Plain data of the GUI thread; the
/// dataset keeps it for as long as the session has the image open.
class LabelMapSet {
public:
    /// Adds `entry` and makes it the shown one (loadedTable: the map's table when the entry brings none). A map already in the set (the same object) is shown instead of
    /// added twice (its path is updated when the entry brings one); a file read again replaces the map of the entry
    /// with that path (not an edited copy's). A name taken gets " (2)", " (3)". Returns its index.
    int add(LabelMapEntry entry);
    /// Shows entry `index`; false (nothing changes) when there is none.
    bool show(int index);
    int shownIndex() const { return shown_; }
    const LabelMapEntry* shown() const;
    LabelMapEntry* shown();
    const std::vector<LabelMapEntry>& entries() const { return entries_; }
    int size() const { return static_cast<int>(entries_.size()); }
    bool empty() const { return entries_.empty(); }
    /// The index of the entry holding `labels`, or -1.
    int indexOf(const LabelMap* labels) const;
    /// The index of the entry named `name`, or -1.
    int indexOf(const std::string& name) const;

private:
    std::vector<LabelMapEntry> entries_;
    int shown_{-1};
};

} // namespace strata::ui
