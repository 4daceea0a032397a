#pragma once

#include <array>

namespace strata::ui {

/// The three orthogonal slice views, in patient (LPS) terms.
enum class ViewPlane { Axial = 0, Coronal = 1, Sagittal = 2 };

inline constexpr std::array<ViewPlane, 3> kViewPlanes{ViewPlane::Axial, ViewPlane::Coronal, ViewPlane::Sagittal};

inline const char* viewPlaneName(ViewPlane plane)
{
    switch (plane) {
    case ViewPlane::Axial: return "Axial";
    case ViewPlane::Coronal: return "Coronal";
    case ViewPlane::Sagittal: return "Sagittal";
    }
    return "?";
}

} // namespace strata::ui
