#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace strata::testing::indep {

/// What a point of the knee is made of (drives the MR signal) ...
enum class Tissue : std::uint8_t { Air, Skin, Fat, Muscle, Tendon, Cortex, Marrow, Cartilage, Meniscus, Fluid, Count };

/// ... and which structure it belongs to (the truth label; Strata's ids, 0 for everything not segmented).
enum Label : std::uint8_t {
    Background = 0,
    Femur = 1,
    Tibia = 2,
    Patella = 3,
    FemoralCartilage = 4,
    MedialTibialCartilage = 5,
    LateralTibialCartilage = 6,
    PatellarCartilage = 7,
    MedialMeniscus = 8,
    LateralMeniscus = 9,
    LabelCount = 10
};

inline constexpr std::array<std::string_view, LabelCount> kLabelNames{
    "background",         "femur",         "tibia",       "patella",          "femoral_cartilage", "medial_tibial_cartilage",
    "lateral_tibial_cartilage", "patellar_cartilage", "medial_meniscus", "lateral_meniscus"};

/// One point: its tissue, its label and a texture factor on the tissue's proton density (marrow trabeculae, muscle).
struct TissueSample {
    Tissue tissue{Tissue::Air};
    std::uint8_t label{Background};
    float texture{1.0f};
};

} // namespace strata::testing::indep
