#include "io/LabelTableJson.h"

namespace strata::io {

nlohmann::json labelTableToJson(const LabelTable& table)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& l : table.labels()) {
        out.push_back({{"id", l.id}, {"name", l.name}, {"rgba", l.rgba}});
    }
    return out;
}

LabelTable labelTableFromJson(const nlohmann::json& json)
{
    LabelTable table;
    for (const auto& item : json) {
        LabelInfo l;
        l.id = item.at("id").get<int>();
        l.name = item.at("name").get<std::string>();
        if (item.contains("rgba")) {
            l.rgba = item.at("rgba").get<std::array<std::uint8_t, 4>>();
        }
        table.add(std::move(l));
    }
    return table;
}

} // namespace strata::io
