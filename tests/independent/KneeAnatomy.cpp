#include "independent/KneeAnatomy.h"

#include <cmath>
#include <limits>

namespace strata::testing::indep {

namespace {
double uni(std::mt19937_64& rng, double lo, double hi)
{
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}
double drawScale(std::mt19937_64& rng)
{
    return uni(rng, 0.92, 1.08);
}
} // namespace

KneeAnatomy::KneeAnatomy(std::uint64_t seed)
    : rng_(seed ^ 0x5eed1d3a7c0ffeeull), scale_(drawScale(rng_)), femur_(rng_, scale_), tibia_(rng_, scale_),
      patella_(rng_, scale_),
      medialMeniscus_(rng_, true, tibia_.medial().m, tibia_.medial().a, tibia_.medial().rm, tibia_.medial().ra, scale_),
      lateralMeniscus_(rng_, false, tibia_.lateral().m, tibia_.lateral().a, tibia_.lateral().rm, tibia_.lateral().ra,
                       scale_),
      texture_(rng_(), 1.6), soft_(rng_(), 25.0)
{
    flexionDeg_ = uni(rng_, 0.0, 20.0);
    flexion_ = deg(flexionDeg_);
    jointSpace_ = uni(rng_, 0.2, 1.0);
    film_ = uni(rng_, 0.3, 1.2);
    pouch_ = uni(rng_, 0.0, 6.0);
    limbM_ = uni(rng_, 55.0, 63.0) * scale_;
    limbA_ = uni(rng_, 50.0, 57.0) * scale_;
    limbCentreA_ = uni(rng_, -6.0, -1.0);
    subcut_ = uni(rng_, 4.0, 12.0);
    const double lat = -tibia_.halfWidth();
    fibulaTop_ = {lat + uni(rng_, 6.0, 9.0), tibia_.centreA() - uni(rng_, 12.0, 16.0), -uni(rng_, 14.0, 18.0)};
    fibulaBottom_ = {fibulaTop_.m + 3.0, fibulaTop_.a + 2.0, -140.0};
    placeFemur();
    placePatella();
    // Cruciates: ACL from in front of the spines to the inner wall of the lateral condyle at the back, PCL from the
    // back of the tibia to the inner wall of the medial condyle at the front of the notch (femur points in the
    // femur frame, carried into the knee frame).
    auto fromFemur = [&](KneePoint q) {
        KneePoint r = rotateAboutM(q, femur_.centreA(), 0.0, -flexion_);
        r.s += femurLift_;
        return r;
    };
    aclTibia_ = {0.5, tibia_.centreA() + 9.0, tibia_.plateauHeight(0.5, tibia_.centreA() + 9.0) + 1.0};
    aclFemur_ = fromFemur({-7.0, femur_.centreA() - 10.0, 3.0});
    pclTibia_ = {0.0, tibia_.centreA() - 20.0, tibia_.plateauHeight(0.0, tibia_.centreA() - 20.0) - 6.0};
    pclFemur_ = fromFemur({7.0, femur_.centreA() + 8.0, 0.0});
    // Patellar tendon: inferior pole of the patella to the tibial tuberosity.
    KneePoint pole = patellaCentre_;
    pole.s -= 0.8 * patella_.halfHeight();
    pole.a += 2.0;
    patTendonTop_ = fromFemur(pole);
    patTendonBottom_ = {-4.0, tibia_.centreA() + tibia_.halfDepth() + 6.0, -30.0};
}

KneePoint KneeAnatomy::toFemur(const KneePoint& p) const
{
    return rotateAboutM({p.m, p.a, p.s - femurLift_}, femur_.centreA(), 0.0, flexion_);
}

bool KneeAnatomy::femurOrCartilage(const KneePoint& q) const
{
    const double g = femur_.inside(q);
    if (g >= 0) return true;
    if (g < -5.0) return false;
    return g > -femur_.cartilageThickness(q);
}

void KneeAnatomy::placeFemur()
{
    // Lowest femur-or-cartilage point over each (m, a) of the plateau with the femur unlifted, then lift so the
    // closest approach to the tibia's articular top is the joint space.
    femurLift_ = 0.0;
    double lift = -std::numeric_limits<double>::infinity();
    const double hw = tibia_.halfWidth(), hd = tibia_.halfDepth(), ca = tibia_.centreA();
    for (double m = -hw; m <= hw; m += 2.0) {
        for (double a = ca - hd; a <= ca + hd; a += 2.0) {
            if (superellipseRadius(m, a - ca, hw, hd, 2.4) > 0.97) continue;
            double s = -34.0;
            while (s < -5.0 && !femurOrCartilage(toFemur({m, a, s}))) s += 1.0;
            if (s >= -5.0) continue; // the notch: the spines fit under its roof
            double lo = s - 1.0, hi = s;
            for (int i = 0; i < 10; ++i) {
                const double mid = 0.5 * (lo + hi);
                (femurOrCartilage(toFemur({m, a, mid})) ? hi : lo) = mid;
            }
            lift = std::max(lift, tibia_.articularTop(m, a) + jointSpace_ - hi);
        }
    }
    femurLift_ = lift;
}

void KneeAnatomy::placePatella()
{
    // In the femur frame: the ridge over the groove, the centre ~10-17 mm above the condyles' centres (lower with
    // flexion), then pushed forward until its cartilage clears the trochlea by the joint space everywhere.
    const double sp = uni(rng_, 10.0, 17.0) - 0.3 * flexionDeg_;
    const double mp = femur_.grooveM() - patella_.ridgeU();
    double ap = -std::numeric_limits<double>::infinity();
    const double A = patella_.halfWidth(), B = patella_.halfHeight();
    for (double u = -0.9 * A; u <= 0.9 * A; u += 2.0) {
        for (double v = -0.6 * B; v <= 0.9 * B; v += 2.0) {
            const double back = patella_.posteriorSurface(u, v);
            if (back >= 0) continue;
            const double m = mp + u, s = sp + v;
            double a = 55.0;
            while (a > -20.0 && !femurOrCartilage({m, a, s})) a -= 1.0;
            if (a <= -20.0) continue;
            double lo = a, hi = a + 1.0;
            for (int i = 0; i < 9; ++i) {
                const double mid = 0.5 * (lo + hi);
                (femurOrCartilage({m, mid, s}) ? lo : hi) = mid;
            }
            ap = std::max(ap, hi + jointSpace_ - back);
        }
    }
    patellaCentre_ = {mp, ap, sp};
}

double KneeAnatomy::capsule(const KneePoint& p, const KneePoint& a, const KneePoint& b, double r0, double r1)
{
    const double bx = b.m - a.m, by = b.a - a.a, bz = b.s - a.s;
    const double px = p.m - a.m, py = p.a - a.a, pz = p.s - a.s;
    const double t = std::clamp((px * bx + py * by + pz * bz) / (bx * bx + by * by + bz * bz), 0.0, 1.0);
    const double d = std::hypot(px - t * bx, py - t * by, pz - t * bz);
    return lerp(r0, r1, t) - d; // positive inside
}

TissueSample KneeAnatomy::sampleAt(const KneePoint& p) const
{
    // Skin and the limb outline.
    const double limbR = superellipseRadius(p.m, p.a - limbCentreA_, limbM_ * (1.0 + 0.0015 * p.s), limbA_, 2.1);
    const double depth = (1.0 - limbR) * std::min(limbM_, limbA_);
    if (depth < 0) return {Tissue::Air, Background, 1.0f};
    if (depth < 1.6) return {Tissue::Skin, Background, 1.0f};

    const float trab = static_cast<float>(1.0 + 0.16 * texture_(p.m, p.a, p.s));
    auto bone = [&](double g, std::uint8_t label, double cortical) -> TissueSample {
        return g < cortical ? TissueSample{Tissue::Cortex, label, 1.0f} : TissueSample{Tissue::Marrow, label, trab};
    };
    const KneePoint q = toFemur(p);
    const double gf = femur_.inside(q);
    if (gf >= 0) return bone(gf, Femur, lerp(1.0, 3.5, smoothstep(30.0, 70.0, q.s)));
    const double gt = tibia_.inside(p);
    if (gt >= 0) return bone(gt, Tibia, lerp(1.0, 3.0, smoothstep(15.0, 55.0, -p.s)));
    const double u = q.m - patellaCentre_.m, v = q.s - patellaCentre_.s, w = q.a - patellaCentre_.a;
    const bool nearPatella = std::abs(u) < 30 && std::abs(v) < 30 && std::abs(w) < 20;
    if (nearPatella) {
        const double gp = patella_.inside(u, v, w);
        if (gp >= 0) return bone(gp, Patella, 1.2);
    }
    const double gfib = capsule(p, fibulaTop_, fibulaBottom_, 10.0 * scale_, 7.0 * scale_);
    if (gfib >= 0) return bone(gfib, Background, 1.5);

    // Cartilage.
    double tf = 0.0;
    if (gf > -5.0) {
        tf = femur_.cartilageThickness(q);
        if (tf > 0 && gf > -tf) return {Tissue::Cartilage, FemoralCartilage, 1.0f};
    }
    int compartment = 0;
    const double plateau = tibia_.plateauHeight(p.m, p.a);
    const double tt = p.s > plateau && p.s < plateau + 6.0 ? tibia_.cartilageThickness(p.m, p.a, &compartment) : 0.0;
    if (compartment != 0 && p.s < plateau + tt) {
        return {Tissue::Cartilage, compartment > 0 ? MedialTibialCartilage : LateralTibialCartilage, 1.0f};
    }
    if (nearPatella && patella_.isCartilage(u, v, w)) return {Tissue::Cartilage, PatellarCartilage, 1.0f};

    // Menisci on the plateau's articular top.
    if (p.s > plateau && p.s < plateau + 12.0) {
        const double top = plateau + tt;
        const double hm = medialMeniscus_.height(p.m, p.a);
        if (hm > 0 && p.s >= top && p.s < top + hm) return {Tissue::Meniscus, MedialMeniscus, 1.0f};
        const double hl = lateralMeniscus_.height(p.m, p.a);
        if (hl > 0 && p.s >= top && p.s < top + hl) return {Tissue::Meniscus, LateralMeniscus, 1.0f};
    }
    return softTissue(p, q);
}

TissueSample KneeAnatomy::softTissue(const KneePoint& p, const KneePoint& q) const
{
    // Ligaments and tendons (dark, not segmented).
    if (capsule(p, aclTibia_, aclFemur_, 4.0, 3.5) >= 0 || capsule(p, pclTibia_, pclFemur_, 4.5, 5.0) >= 0) {
        return {Tissue::Tendon, Background, 1.0f};
    }
    {
        const KneePoint& a = patTendonTop_;
        const KneePoint& b = patTendonBottom_;
        const double ds = b.s - a.s;
        const double t = (p.s - a.s) / ds;
        if (t >= 0 && t <= 1) {
            const double ca = lerp(a.a, b.a, t), cm = lerp(a.m, b.m, t);
            if (std::abs(p.a - ca) < 2.5 && std::abs(p.m - cm) < lerp(13.0, 11.0, t)) return {Tissue::Tendon, Background, 1.0f};
        }
    }
    const double patTop = patellaCentre_.s + 0.85 * patella_.halfHeight();
    if (q.s > patTop - 4.0) {
        // quadriceps tendon, in front of the femur above the patella (femur frame)
        const double front = patellaCentre_.a + 1.0 + 0.08 * (q.s - patTop);
        if (std::abs(q.m - patellaCentre_.m) < 15.0 && q.a < front + 3.5 && q.a > front - 3.5) {
            return {Tissue::Tendon, Background, 1.0f};
        }
    }
    // Joint fluid: a film over every articular surface inside the capsule, the space left between femur and tibia
    // over the plateaus, and the suprapatellar pouch.
    const double gf = femur_.inside(q);
    const double capsuleR = superellipseRadius(p.m, p.a - tibia_.centreA(), tibia_.halfWidth() * 1.08,
                                               tibia_.halfDepth() * 1.15, 2.4);
    const bool inCapsule = capsuleR < 1.0 && p.s > -6.0 && q.s < 45.0;
    if (inCapsule) {
        if (gf > -5.0 - film_) {
            const double tf = femur_.cartilageThickness(q);
            if (tf > 0 && gf > -tf - film_) return {Tissue::Fluid, Background, 1.0f};
        }
        const double top = tibia_.articularTop(p.m, p.a);
        if (p.s > top && p.s < top + film_ && tibia_.inside({p.m, p.a, top - 0.5}) > 0) {
            return {Tissue::Fluid, Background, 1.0f};
        }
    }
    {
        const double u = q.m - patellaCentre_.m, v = q.s - patellaCentre_.s, w = q.a - patellaCentre_.a;
        if (w < 0 && std::abs(u) < 30 && std::abs(v) < 30) {
            const double t = patella_.cartilageThickness(u, v);
            if (t > 0 && patella_.form(u, v, w, t + film_) <= 1.0) return {Tissue::Fluid, Background, 1.0f};
        }
    }
    if (pouch_ > 0.5 && q.s > patTop - 6.0 && q.s < patTop + 30.0 && q.a > femur_.centreA() + 8.0 && gf > -pouch_ &&
        std::abs(q.m - patellaCentre_.m) < 22.0) {
        return {Tissue::Fluid, Background, 1.0f};
    }

    // Muscle and fat: subcutaneous fat under the skin; deeper, thigh muscles above the joint (quadriceps in front,
    // hamstrings behind), the gastrocnemius heads behind the condyles, calf muscles and tibialis anterior below;
    // fat elsewhere (Hoffa's pad, popliteal fossa, notch).
    const double limbR = superellipseRadius(p.m, p.a - limbCentreA_, limbM_ * (1.0 + 0.0015 * p.s), limbA_, 2.1);
    const double depth = (1.0 - limbR) * std::min(limbM_, limbA_);
    const double wobble = 6.0 * soft_(p.m, p.a, p.s);
    if (depth < subcut_ + wobble + (p.a > 10 && std::abs(p.s) < 25 ? 4.0 : 0.0)) return {Tissue::Fat, Background, 1.0f};
    const float striation = static_cast<float>(1.0 + 0.06 * texture_(p.m * 0.5, p.a * 0.5, p.s * 0.15));
    const TissueSample muscle{Tissue::Muscle, Background, striation};
    const TissueSample fat{Tissue::Fat, Background, 1.0f};
    if (q.s > 30.0 + wobble) return q.a > femur_.centreA() + 14.0 ? (q.a > patellaCentre_.a + 8.0 ? muscle : fat) : muscle;
    if (p.s < -22.0 + wobble) {
        if (p.a < tibia_.centreA() - 8.0) return muscle;                       // calf
        if (p.m < -8.0 && p.a > tibia_.centreA() - 8.0) return muscle;         // tibialis anterior (lateral front)
        return fat;
    }
    if (p.a < femur_.centreA() - 24.0 + wobble && std::abs(p.m) > 12.0 + wobble) return muscle; // gastrocnemius heads
    return fat;
}

nlohmann::json KneeAnatomy::describe() const
{
    return {{"scale", scale_},
            {"femur_width_mm", femur_.width()},
            {"tibial_plateau_width_mm", 2 * tibia_.halfWidth()},
            {"tibial_plateau_depth_mm", 2 * tibia_.halfDepth()},
            {"tibial_slope_deg", tibia_.slopeDeg()},
            {"patella_width_mm", 2 * patella_.halfWidth()},
            {"flexion_deg", flexionDeg_},
            {"joint_space_mm", jointSpace_},
            {"fluid_film_mm", film_},
            {"suprapatellar_effusion_mm", pouch_},
            {"femoral_cartilage_nominal_mm", femur_.trochlearThickness()}};
}

} // namespace strata::testing::indep
