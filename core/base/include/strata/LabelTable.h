#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace strata {

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
    const std::vector<LabelInfo>& labels() const { return labels_; }
    std::optional<LabelInfo> find(int id) const;
    std::optional<LabelInfo> findByName(const std::string& name) const;
    std::size_t size() const { return labels_.size(); }

private:
    std::vector<LabelInfo> labels_;
};

} // namespace strata
