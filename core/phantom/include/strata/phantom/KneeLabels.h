#pragma once

#include "strata/LabelTable.h"

namespace strata::phantom {

/// Label ids of the knee phantom and of the knee segmentation model.
enum KneeLabel : int {
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
    JointFluid = 10,
    Muscle = 11,
    SubcutaneousFat = 12,
    KneeLabelCount = 13
};

/// Names and colours of the knee labels.
[[nodiscard]] LabelTable kneeLabelTable();

} // namespace strata::phantom
