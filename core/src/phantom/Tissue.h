#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace strata::phantom {

/// What a point of the phantom is made of; decides its MR intensity (several labels share a tissue,
/// e.g. subcutaneous fat and Hoffa's fat pad, and a bone label covers cortex and marrow).
enum class Tissue : std::uint8_t { Background, CorticalBone, Marrow, Cartilage, Meniscus, Fluid, Muscle, Fat, Count };

inline constexpr std::size_t kTissueCount = static_cast<std::size_t>(Tissue::Count);

inline constexpr std::array<std::string_view, kTissueCount> kTissueNames{
    "background", "cortical_bone", "marrow", "cartilage", "meniscus", "fluid", "muscle", "fat"};

} // namespace strata::phantom
