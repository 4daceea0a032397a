#include "phantom/KneeAnatomy.h"

#include "phantom/Sdf.h"
#include "strata/phantom/KneeLabels.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace strata::phantom {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;
/// Cartilage is only placed where every non-exact part of a bone is farther than this from the
/// surface point than the exact parts (more than the thickest cartilage).
constexpr double kExactMargin = ThicknessField::kMax + 0.5;
/// Smooth-union width (mm, before scaling) joining the epiphyses to the metaphyses.
constexpr double kMetaphysisBlend = 5.0;

nlohmann::json vecJson(V3 v) { return nlohmann::json::array({v.x, v.y, v.z}); }

} // namespace

KneeAnatomy::KneeAnatomy(Rng& rng, double scale) : scale_(scale)
{
    const double s = scale;
    const auto jit = [&](double value, double plusMinus) { return (value + rng.symmetric(plusMinus)) * s; };

    // Joint gaps between bone surfaces, in mm and not scaled: > 2 * ThicknessField::kMax so opposing
    // plates never overlap (each plate is then exactly as thick as its thickness field says).
    gapTF_ = rng.uniform(7.1, 7.4);
    gapPF_ = rng.uniform(7.1, 7.4);
    halfGap_ = 0.5 * gapTF_;
    const double g = halfGap_;

    // Femur: two condyles (sagittal stadia swept by a sphere) whose lowest points touch z = +g, two
    // trochlear facets (vertical capsules forming the groove), two metaphyseal round cones narrowing to
    // the shaft, all unioned exactly; the shaft is blended smoothly far above the articular surfaces.
    for (auto* c : {&medialCondyle_, &lateralCondyle_}) {
        const bool medial = c == &medialCondyle_;
        c->R = jit(7.0, 0.8);
        c->r = jit(medial ? 10.5 : 10.0, 0.8);
        const double x = jit(19.0, 1.5) * (medial ? 1.0 : -1.0);
        const double y0 = jit(medial ? 1.5 : 2.0, 1.0);
        const double length = jit(medial ? 7.0 : 6.0, 1.0);
        const double z = g + c->R + c->r;
        c->a = {x, y0, z};
        c->b = {x, y0 + length, z};
    }
    const double condyleFront = std::min(medialCondyle_.a.y - medialCondyle_.R - medialCondyle_.r,
                                         lateralCondyle_.a.y - lateralCondyle_.R - lateralCondyle_.r);
    // The trochlear facets are the most anterior part of the femur, so the patella's distance to the
    // femur is gapPF_.
    const double yAnt = std::min(jit(-17.5, 0.8), condyleFront - 0.5);
    const double facetRadius = jit(9.0, 0.5);
    trochleaTop_ = jit(40.0, 2.0);
    for (std::size_t i = 0; i < 2; ++i) {
        const double x = jit(8.5, 0.5) * (i == 0 ? 1.0 : -1.0);
        trochleaFacets_[i] = {{x, yAnt + facetRadius, 18.0 * s}, {x, yAnt + facetRadius, trochleaTop_}, facetRadius};
    }
    // Metaphysis: a round cone stretched medio-laterally. Stretching keeps it a 1-Lipschitz bound
    // (never more than the true distance), and cartilage is kept away from where it is nearly nearest.
    femurMetaphysisStretch_ = rng.uniform(1.65, 1.85);
    femurMetaphysis_ = {{0, jit(5.0, 1.0), 32.0 * s}, {0, 2.0 * s, 110.0 * s}, jit(17.0, 1.0), 13.0 * s};
    femurShaft_ = {{0, 2.0 * s, 70.0 * s}, {0, 2.0 * s, 250.0 * s}, 12.5 * s};
    femurBlend_ = 10.0 * s;

    // Tibia: plateau slab (top at z = -g), intercondylar eminence, metaphysis cone, tuberosity.
    plateauHalf_ = {jit(33.0, 1.5), 19.5 * s, 7.0 * s};
    plateauCentre_ = {0, 2.5 * s, -g - plateauHalf_.z};
    plateauRadius_ = 4.0 * s;
    eminence_ = {{0, -3.0 * s, -g}, {0, 7.0 * s, -g}, jit(3.5, 0.5)};
    tibiaMetaphysisStretch_ = rng.uniform(1.7, 1.85);
    tibiaMetaphysis_ = {{0, 4.0 * s, -g - 24.0 * s}, {0, 5.0 * s, -g - 120.0 * s}, jit(19.0, 0.5), 10.0 * s};
    tuberosityCentre_ = {0, -16.0 * s, -g - 25.0 * s};
    tuberosityRadius_ = 6.0 * s;
    tuberosityBlend_ = 6.0 * s;

    // Patella: rounded box in front of the trochlea, its posterior face gapPF_ in front of it.
    patellaHalf_ = {jit(14.0, 1.0), jit(8.0, 0.5), jit(15.0, 1.0)};
    patellaRadius_ = 6.5 * s;
    patellaCentre_ = {0, yAnt - gapPF_ - patellaHalf_.y, jit(28.0, 2.0)};

    // Cartilage-bearing areas of the tibial plateau (ellipses on its top) and the menisci around them.
    medialPlate_ = {jit(18.0, 1.0), jit(3.0, 1.0), jit(10.5, 0.8), jit(14.0, 1.0)};
    lateralPlate_ = {-jit(18.0, 1.0), jit(2.0, 1.0), jit(10.0, 0.8), jit(12.5, 1.0)};
    for (auto* m : {&medialMeniscus_, &lateralMeniscus_}) {
        const Ellipse& plate = m == &medialMeniscus_ ? medialPlate_ : lateralPlate_;
        m->cx = plate.cx;
        m->cy = plate.cy;
        m->aspect = plate.ax / plate.ay;
        m->rIn = plate.ax * rng.uniform(0.72, 0.82);
        m->rOut = plate.ax * rng.uniform(1.35, 1.45);
        m->height = rng.uniform(5.5, 7.0) * s;
        m->openingDeg = m == &medialMeniscus_ ? rng.uniform(35, 45) : rng.uniform(20, 28);
    }

    // Soft tissue: suprapatellar pouch, Hoffa's fat pad (+ intercondylar fat), limb and its fat ring.
    pouchCentre_ = {0, yAnt - 3.5 * s, patellaCentre_.z + patellaHalf_.z + 8.0 * s};
    pouchHalf_ = {16.0 * s, 2.0 * s, 10.0 * s};
    fatPadCentre_ = {0, yAnt - 8.0 * s, -1.0 * s};
    fatPadRadii_ = {20.0 * s, 9.0 * s, 11.0 * s};
    notchCentre_ = {0, 5.0 * s, 0.5 * (-g + 22.0 * s)};
    notchHalf_ = {7.0 * s, 17.0 * s, 0.5 * (22.0 * s + g)};
    limbCx_ = 0;
    limbCy_ = -4.0 * s;
    limbRx_ = jit(52.0, 2.0);
    limbRy_ = jit(46.0, 2.0);
    fatRing_ = rng.uniform(5.0, 8.0);
    cortexEpiphysis_ = rng.uniform(0.8, 1.2);
    cortexShaft_ = rng.uniform(2.0, 3.0);

    // Thickness fields (mean levels as in adult knees: lateral tibia thicker than medial, patella thickest).
    femoralThickness_ = ThicknessField(rng, 2.0, 2.6, {0, 5.0 * s, g + 10.0 * s});
    medialTibialThickness_ = ThicknessField(rng, 1.9, 2.4, {medialPlate_.cx, medialPlate_.cy, -g});
    lateralTibialThickness_ = ThicknessField(rng, 2.3, 2.9, {lateralPlate_.cx, lateralPlate_.cy, -g});
    patellarThickness_ = ThicknessField(rng, 2.5, 3.0, patellaCentre_ + V3{0, patellaHalf_.y, 0});
}

BoneDistance KneeAnatomy::femur(V3 p) const
{
    BoneDistance r{sdf::sweptStadiumX(p, medialCondyle_.a, medialCondyle_.b, medialCondyle_.R, medialCondyle_.r),
                   BonePart::MedialCondyle};
    const auto take = [&r](double d, BonePart part) {
        if (d < r.d) r = {d, part};
    };
    take(sdf::sweptStadiumX(p, lateralCondyle_.a, lateralCondyle_.b, lateralCondyle_.R, lateralCondyle_.r),
         BonePart::LateralCondyle);
    for (const auto& f : trochleaFacets_) take(sdf::capsule(p, f.a, f.b, f.r), BonePart::Trochlea);
    const double exact = r.d;
    const V3 stretched{p.x / femurMetaphysisStretch_, p.y, p.z};
    const auto& m = femurMetaphysis_;
    const double metaphysis = sdf::roundCone(stretched, m.a, m.b, m.ra, m.rb);
    if (metaphysis < r.d) r.part = BonePart::Metaphysis;
    r.d = sdf::smoothMin(r.d, metaphysis, kMetaphysisBlend * scale_);
    const double shaft = sdf::capsule(p, femurShaft_.a, femurShaft_.b, femurShaft_.r);
    r.blended = std::abs(shaft - r.d) < femurBlend_ || metaphysis < exact + std::max(kExactMargin, kMetaphysisBlend * scale_);
    if (shaft < r.d) r.part = BonePart::FemurShaft;
    r.d = sdf::smoothMin(r.d, shaft, femurBlend_);
    return r;
}

BoneDistance KneeAnatomy::tibia(V3 p) const
{
    BoneDistance r{sdf::roundBox(p, plateauCentre_, plateauHalf_, plateauRadius_), BonePart::Plateau};
    const double eminence = sdf::capsule(p, eminence_.a, eminence_.b, eminence_.r);
    if (eminence < r.d) r = {eminence, BonePart::Eminence};
    const double exact = r.d;
    const auto& m = tibiaMetaphysis_;
    const double metaphysis = sdf::roundCone({p.x / tibiaMetaphysisStretch_, p.y, p.z}, m.a, m.b, m.ra, m.rb);
    if (metaphysis < r.d) r.part = BonePart::TibiaShaft;
    r.d = sdf::smoothMin(r.d, metaphysis, kMetaphysisBlend * scale_);
    const double tuberosity = sdf::sphere(p, tuberosityCentre_, tuberosityRadius_);
    r.blended = std::abs(tuberosity - r.d) < tuberosityBlend_ ||
                metaphysis < exact + std::max(kExactMargin, kMetaphysisBlend * scale_);
    if (tuberosity < r.d) r.part = BonePart::Tuberosity;
    r.d = sdf::smoothMin(r.d, tuberosity, tuberosityBlend_);
    return r;
}

BoneDistance KneeAnatomy::patella(V3 p) const
{
    return {sdf::roundBox(p, patellaCentre_, patellaHalf_, patellaRadius_), BonePart::Patella, false};
}

BoneDistance KneeAnatomy::bone(int boneLabel, V3 p) const
{
    switch (boneLabel) {
    case Femur: return femur(p);
    case Tibia: return tibia(p);
    default: return patella(p);
    }
}

V3 KneeAnatomy::normal(int boneLabel, V3 p) const
{
    constexpr double e = 0.01;
    const double dx = bone(boneLabel, p + V3{e, 0, 0}).d - bone(boneLabel, p - V3{e, 0, 0}).d;
    const double dy = bone(boneLabel, p + V3{0, e, 0}).d - bone(boneLabel, p - V3{0, e, 0}).d;
    const double dz = bone(boneLabel, p + V3{0, 0, e}).d - bone(boneLabel, p - V3{0, 0, e}).d;
    return normalized({dx, dy, dz});
}

int KneeAnatomy::plateAt(int boneLabel, V3 q, V3 n) const
{
    const BoneDistance b = bone(boneLabel, q);
    if (b.blended) return Background;
    switch (b.part) {
    case BonePart::MedialCondyle:
    case BonePart::LateralCondyle: {
        // Distal and posterior condyle surfaces (angle around the nearest point of the condyle's
        // stadium segment, 0 = distal, +90 = posterior), not the notch side or the epicondylar side.
        const Condyle& c = b.part == BonePart::MedialCondyle ? medialCondyle_ : lateralCondyle_;
        const double y = std::clamp(q.y, c.a.y, c.b.y);
        const double angle = std::atan2(q.y - y, c.a.z - q.z) / kDeg;
        const double towardNotch = c.a.x > 0 ? -n.x : n.x;
        if (angle < -115.0 || angle > 120.0 || towardNotch > 0.55 || towardNotch < -0.8) return Background;
        return FemoralCartilage;
    }
    case BonePart::Trochlea:
        return n.y < -0.3 && q.z < trochleaTop_ ? FemoralCartilage : Background;
    case BonePart::Plateau: {
        if (n.z < 0.8) return Background;
        for (const Ellipse* e : {&medialPlate_, &lateralPlate_}) {
            const double u = (q.x - e->cx) / e->ax, v = (q.y - e->cy) / e->ay;
            if (u * u + v * v < 1.0) return e == &medialPlate_ ? MedialTibialCartilage : LateralTibialCartilage;
        }
        return Background;
    }
    case BonePart::Patella:
        return n.y > 0.45 ? PatellarCartilage : Background;
    default:
        return Background;
    }
}

double KneeAnatomy::thickness(int plateLabel, V3 q) const
{
    switch (plateLabel) {
    case FemoralCartilage: return femoralThickness_(q);
    case MedialTibialCartilage: return medialTibialThickness_(q);
    case LateralTibialCartilage: return lateralTibialThickness_(q);
    case PatellarCartilage: return patellarThickness_(q);
    default: return 0.0;
    }
}

Box KneeAnatomy::articularBox(int boneLabel) const
{
    const double m = 2.0;
    switch (boneLabel) {
    case Femur: {
        const double x = std::max(std::abs(medialCondyle_.a.x) + medialCondyle_.r,
                                  std::abs(lateralCondyle_.a.x) + lateralCondyle_.r) + m;
        const double yBack = std::max(medialCondyle_.b.y + medialCondyle_.R + medialCondyle_.r,
                                      lateralCondyle_.b.y + lateralCondyle_.R + lateralCondyle_.r);
        const double yFront = trochleaFacets_[0].a.y - trochleaFacets_[0].r;
        return {{-x, yFront - m, halfGap_ - m}, {x, yBack + m, trochleaTop_ + m}};
    }
    case Tibia:
        return {{-plateauHalf_.x - m, plateauCentre_.y - plateauHalf_.y - m, -halfGap_ - m},
                {plateauHalf_.x + m, plateauCentre_.y + plateauHalf_.y + m, -halfGap_ + m}};
    default:
        return {patellaCentre_ - patellaHalf_ - V3{m, m, m}, patellaCentre_ + patellaHalf_ + V3{m, m, m}};
    }
}

bool KneeAnatomy::inMeniscus(const Meniscus& m, V3 p) const
{
    const double z = p.z + halfGap_; // height above the plateau
    if (z < 0.0 || z > m.height) return false;
    const double dx = p.x - m.cx, dy = (p.y - m.cy) * m.aspect;
    const double rho = std::sqrt(dx * dx + dy * dy);
    if (rho < m.rIn || rho > m.rOut) return false;
    if (z > m.height * (rho - m.rIn) / (m.rOut - m.rIn)) return false;
    // C shape: open towards the intercondylar region.
    const double towardNotch = m.cx > 0 ? -dx : dx;
    return std::atan2(std::abs(dy), towardNotch) / kDeg >= m.openingDeg;
}

double KneeAnatomy::corticalThickness(BonePart part, V3 p) const
{
    // The cortex thickens from the subchondral plate towards the diaphysis.
    const bool shaft = part == BonePart::FemurShaft || part == BonePart::TibiaShaft || part == BonePart::Metaphysis;
    if (!shaft) return cortexEpiphysis_;
    const double w = std::clamp((std::abs(p.z) - 25.0 * scale_) / (30.0 * scale_), 0.0, 1.0);
    return cortexEpiphysis_ + (cortexShaft_ - cortexEpiphysis_) * w;
}

AnatomySample KneeAnatomy::classify(V3 p) const
{
    // Outside the limb: nothing else to test (every structure lies inside it).
    const double limb = sdf::ellipseXY(p.x - limbCx_, p.y - limbCy_, limbRx_, limbRy_);
    if (limb > 0.0) return {Background, Tissue::Background};

    const std::array<BoneDistance, 3> bones{femur(p), tibia(p), patella(p)};
    constexpr std::array<int, 3> boneLabels{Femur, Tibia, Patella};
    for (std::size_t i = 0; i < 3; ++i) {
        if (bones[i].d <= 0.0) {
            const bool cortex = bones[i].d > -corticalThickness(bones[i].part, p);
            return {static_cast<std::uint8_t>(boneLabels[i]), cortex ? Tissue::CorticalBone : Tissue::Marrow};
        }
    }
    for (std::size_t i = 0; i < 3; ++i) {
        const BonePart part = bones[i].part;
        const bool articular = part == BonePart::MedialCondyle || part == BonePart::LateralCondyle ||
                               part == BonePart::Trochlea || part == BonePart::Plateau || part == BonePart::Patella;
        if (bones[i].d < ThicknessField::kMax && articular && !bones[i].blended) {
            const V3 n = normal(boneLabels[i], p);
            const V3 q = p - n * bones[i].d;
            const int plate = plateAt(boneLabels[i], q, n);
            if (plate != Background && bones[i].d < thickness(plate, q))
                return {static_cast<std::uint8_t>(plate), Tissue::Cartilage};
        }
    }
    if (inMeniscus(medialMeniscus_, p)) return {MedialMeniscus, Tissue::Meniscus};
    if (inMeniscus(lateralMeniscus_, p)) return {LateralMeniscus, Tissue::Meniscus};

    const double dF = bones[0].d, dT = bones[1].d, dP = bones[2].d;
    const bool tibiofemoral = dF + dT < gapTF_ + 0.8 && std::abs(p.x) < plateauHalf_.x;
    const bool patellofemoral = dF + dP < gapPF_ + 0.8;
    const bool pouch = sdf::roundBox(p, pouchCentre_, pouchHalf_, 1.5 * scale_) < 0.0;
    if (tibiofemoral || patellofemoral || pouch) return {JointFluid, Tissue::Fluid};

    const V3 f = p - fatPadCentre_;
    const double ellipsoid = (f.x / fatPadRadii_.x) * (f.x / fatPadRadii_.x) +
                             (f.y / fatPadRadii_.y) * (f.y / fatPadRadii_.y) +
                             (f.z / fatPadRadii_.z) * (f.z / fatPadRadii_.z);
    if (ellipsoid < 1.0 || sdf::roundBox(p, notchCentre_, notchHalf_, 2.0 * scale_) < 0.0)
        return {SubcutaneousFat, Tissue::Fat};

    if (limb > -fatRing_) return {SubcutaneousFat, Tissue::Fat};
    return {Muscle, Tissue::Muscle};
}

nlohmann::json KneeAnatomy::toJson() const
{
    const auto condyle = [](const Condyle& c) {
        return nlohmann::json{{"segment_a_mm", vecJson(c.a)}, {"segment_b_mm", vecJson(c.b)},
                              {"stadium_radius_mm", c.R}, {"sweep_radius_mm", c.r}};
    };
    const auto capsule = [](const Capsule& c) {
        return nlohmann::json{{"a_mm", vecJson(c.a)}, {"b_mm", vecJson(c.b)}, {"radius_mm", c.r}};
    };
    const auto cone = [](const RoundCone& c) {
        return nlohmann::json{{"a_mm", vecJson(c.a)}, {"b_mm", vecJson(c.b)}, {"radius_a_mm", c.ra},
                              {"radius_b_mm", c.rb}};
    };
    const auto ellipse = [](const Ellipse& e) {
        return nlohmann::json{{"centre_mm", {e.cx, e.cy}}, {"semi_axes_mm", {e.ax, e.ay}}};
    };
    const auto meniscus = [](const Meniscus& m) {
        return nlohmann::json{{"centre_mm", {m.cx, m.cy}}, {"aspect", m.aspect}, {"inner_radius_mm", m.rIn},
                              {"outer_radius_mm", m.rOut}, {"height_mm", m.height}, {"opening_deg", m.openingDeg}};
    };
    return {
        {"frame", "canonical right knee, mm: x = left (medial), y = posterior, z = superior, joint line z = 0"},
        {"scale", scale_},
        {"tibiofemoral_gap_mm", gapTF_},
        {"patellofemoral_gap_mm", gapPF_},
        {"femur",
         {{"medial_condyle", condyle(medialCondyle_)},
          {"lateral_condyle", condyle(lateralCondyle_)},
          {"trochlear_facets", {capsule(trochleaFacets_[0]), capsule(trochleaFacets_[1])}},
          {"metaphysis", cone(femurMetaphysis_)},
          {"metaphysis_ml_stretch", femurMetaphysisStretch_},
          {"shaft", capsule(femurShaft_)},
          {"shaft_blend_mm", femurBlend_},
          {"trochlea_top_mm", trochleaTop_}}},
        {"tibia",
         {{"plateau", {{"centre_mm", vecJson(plateauCentre_)}, {"half_extents_mm", vecJson(plateauHalf_)},
                       {"edge_radius_mm", plateauRadius_}}},
          {"eminence", capsule(eminence_)},
          {"metaphysis", cone(tibiaMetaphysis_)},
          {"metaphysis_ml_stretch", tibiaMetaphysisStretch_},
          {"tuberosity", {{"centre_mm", vecJson(tuberosityCentre_)}, {"radius_mm", tuberosityRadius_},
                          {"blend_mm", tuberosityBlend_}}},
          {"medial_plate", ellipse(medialPlate_)},
          {"lateral_plate", ellipse(lateralPlate_)}}},
        {"patella", {{"centre_mm", vecJson(patellaCentre_)}, {"half_extents_mm", vecJson(patellaHalf_)},
                     {"edge_radius_mm", patellaRadius_}}},
        {"menisci", {{"medial", meniscus(medialMeniscus_)}, {"lateral", meniscus(lateralMeniscus_)}}},
        {"suprapatellar_pouch", {{"centre_mm", vecJson(pouchCentre_)}, {"half_extents_mm", vecJson(pouchHalf_)}}},
        {"fat_pad", {{"centre_mm", vecJson(fatPadCentre_)}, {"radii_mm", vecJson(fatPadRadii_)}}},
        {"limb", {{"centre_mm", {limbCx_, limbCy_}}, {"radii_mm", {limbRx_, limbRy_}}, {"fat_ring_mm", fatRing_}}},
        {"cortical_thickness_mm", {{"epiphysis", cortexEpiphysis_}, {"shaft", cortexShaft_}}},
        {"thickness_fields",
         {{"femoral_cartilage", femoralThickness_.toJson()},
          {"medial_tibial_cartilage", medialTibialThickness_.toJson()},
          {"lateral_tibial_cartilage", lateralTibialThickness_.toJson()},
          {"patellar_cartilage", patellarThickness_.toJson()}}},
    };
}

} // namespace strata::phantom
