#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace strata {

/// One label of a LabelTable: the id its voxels carry in the label map, its name (e.g. "femoral_cartilage") and
/// the colour views and reports draw it in.
struct LabelInfo {
    int id{0};
    std::string name;
    std::array<std::uint8_t, 4> rgba{0, 0, 0, 255};
};

/// The names and colours of the labels of a LabelMap, ordered by id.
class LabelTable {
public:
    LabelTable() = default;
    explicit LabelTable(std::vector<LabelInfo> labels);

    void add(LabelInfo label);
    [[nodiscard]] const std::vector<LabelInfo>& labels() const { return labels_; }
    [[nodiscard]] std::optional<LabelInfo> find(int id) const;
    [[nodiscard]] std::optional<LabelInfo> findByName(const std::string& name) const;
    [[nodiscard]] std::size_t size() const { return labels_.size(); }

private:
    std::vector<LabelInfo> labels_;
};

} // namespace strata
