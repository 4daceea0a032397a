#include "strata/phantom/KneeLabels.h"

namespace strata::phantom {

LabelTable kneeLabelTable()
{
    // Colours follow ITK-SNAP's default label palette.
    return LabelTable({
        {Background, "background", {0, 0, 0, 0}},
        {Femur, "femur", {255, 0, 0, 255}},
        {Tibia, "tibia", {0, 255, 0, 255}},
        {Patella, "patella", {0, 0, 255, 255}},
        {FemoralCartilage, "femoral_cartilage", {255, 255, 0, 255}},
        {MedialTibialCartilage, "medial_tibial_cartilage", {0, 255, 255, 255}},
        {LateralTibialCartilage, "lateral_tibial_cartilage", {255, 0, 255, 255}},
        {PatellarCartilage, "patellar_cartilage", {255, 239, 213, 255}},
        {MedialMeniscus, "medial_meniscus", {0, 0, 205, 255}},
        {LateralMeniscus, "lateral_meniscus", {205, 133, 63, 255}},
        {JointFluid, "joint_fluid", {210, 180, 140, 255}},
        {Muscle, "muscle", {102, 205, 170, 255}},
        {SubcutaneousFat, "subcutaneous_fat", {0, 0, 128, 255}},
    });
}

} // namespace strata::phantom
