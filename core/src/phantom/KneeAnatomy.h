#pragma once

#include "phantom/Rng.h"
#include "phantom/ThicknessField.h"
#include "phantom/Tissue.h"
#include "phantom/Vec.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>

namespace strata::phantom {

/// The primitive of a bone a point is closest to.
enum class BonePart : std::uint8_t {
    MedialCondyle, LateralCondyle, Trochlea, Metaphysis, FemurShaft,
    Plateau, Eminence, TibiaShaft, Tuberosity,
    Patella
};

/// Signed distance (mm) to one bone, the part it is nearest to, and whether the value may not be an
/// exact distance there (near a smooth blend or a non-exact part): no cartilage is placed where it is.
struct BoneDistance {
    double d{0};
    BonePart part{BonePart::FemurShaft};
    bool blended{false};
};

/// Label id (KneeLabel) and tissue of one point.
struct AnatomySample {
    std::uint8_t label{0};
    Tissue tissue{Tissue::Background};
};

struct Box {
    V3 lo, hi;
};

/// A right knee in the canonical knee frame (mm; x = left, y = posterior, z = superior, joint line at
/// z = 0, medial side at +x), built from exact SDF primitives with dimensions drawn from an Rng.
/// A left knee is this anatomy evaluated at the mirrored point (-x, y, z).
class KneeAnatomy {
public:
    /// `scale` multiplies every size except the joint gaps, which are drawn in mm so that opposing
    /// cartilage plates (at most ThicknessField::kMax thick each) can never touch.
    KneeAnatomy(Rng& rng, double scale);

    /// Distance to bone `boneLabel` (KneeLabel Femur, Tibia or Patella).
    BoneDistance bone(int boneLabel, V3 p) const;
    /// Unit outward normal of bone `boneLabel` at p (normalised central-difference gradient).
    V3 normal(int boneLabel, V3 p) const;
    /// Cartilage plate label covering the bone surface point q = p - d*n (n the normal at p), or 0.
    int plateAt(int boneLabel, V3 q, V3 n) const;
    /// True cartilage thickness (mm) of plate `plateLabel` at bone surface point q.
    double thickness(int plateLabel, V3 q) const;
    /// Box containing the articular surfaces of bone `boneLabel` (for sampling the surface).
    Box articularBox(int boneLabel) const;

    /// Label and tissue at p, with priority bone > cartilage > meniscus > fluid > fat pad > muscle > fat.
    AnatomySample classify(V3 p) const;

    /// Every drawn dimension, for the ground truth.
    nlohmann::json toJson() const;

private:
    struct Condyle {
        V3 a, b;            // segment in the plane x = a.x (anterior and posterior end)
        double R{7}, r{10.5}; // stadium radius (sagittal radius R + r) and half width r
    };
    struct Meniscus {
        double cx{0}, cy{0}, aspect{0.8}, rIn{8}, rOut{15}, height{6}, openingDeg{35};
    };
    struct Ellipse {
        double cx{0}, cy{0}, ax{10}, ay{14};
    };
    struct Capsule {
        V3 a, b;
        double r{1};
    };
    struct RoundCone {
        V3 a, b;
        double ra{1}, rb{1};
    };

    BoneDistance femur(V3 p) const;
    BoneDistance tibia(V3 p) const;
    BoneDistance patella(V3 p) const;
    bool inMeniscus(const Meniscus& m, V3 p) const;
    double corticalThickness(BonePart part, V3 p) const;

    double scale_{1};
    double gapTF_{7.5}, gapPF_{7.5}, halfGap_{3.75};
    Condyle medialCondyle_, lateralCondyle_;
    std::array<Capsule, 2> trochleaFacets_{}; // medial, lateral
    RoundCone femurMetaphysis_;
    double femurMetaphysisStretch_{1.75};
    Capsule femurShaft_;
    double femurBlend_{8};
    double trochleaTop_{40};
    V3 plateauCentre_, plateauHalf_;
    double plateauRadius_{4};
    Capsule eminence_;
    RoundCone tibiaMetaphysis_;
    double tibiaMetaphysisStretch_{1.5};
    V3 tuberosityCentre_;
    double tuberosityRadius_{6}, tuberosityBlend_{6};
    V3 patellaCentre_, patellaHalf_;
    double patellaRadius_{7};
    Ellipse medialPlate_, lateralPlate_;
    Meniscus medialMeniscus_, lateralMeniscus_;
    V3 pouchCentre_, pouchHalf_;
    V3 fatPadCentre_, fatPadRadii_;
    V3 notchCentre_, notchHalf_;
    double limbCx_{0}, limbCy_{-4}, limbRx_{52}, limbRy_{46}, fatRing_{6};
    double cortexEpiphysis_{1.0}, cortexShaft_{2.5};
    ThicknessField femoralThickness_, medialTibialThickness_, lateralTibialThickness_, patellarThickness_;
};

} // namespace strata::phantom
