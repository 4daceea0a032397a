#include "independent/TissueModel.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace strata::testing::indep {

Contrast contrastFromName(const std::string& name)
{
    if (name == "pdfs") return Contrast::PdFatSat;
    if (name == "t2fs") return Contrast::T2FatSat;
    if (name == "t1") return Contrast::T1;
    if (name == "dess") return Contrast::Dess;
    throw std::invalid_argument("unknown contrast '" + name + "' (pdfs, t2fs, t1, dess)");
}

std::string contrastName(Contrast c)
{
    switch (c) {
    case Contrast::PdFatSat: return "pdfs";
    case Contrast::T2FatSat: return "t2fs";
    case Contrast::T1: return "t1";
    case Contrast::Dess: return "dess";
    }
    return "?";
}

namespace {
struct Relaxation {
    double t1, t2, t2s, pd, fat;
};
// ~3 T literature-order values (ms); air and cortex nearly silent.
constexpr std::array<Relaxation, static_cast<int>(Tissue::Count)> kTissues{{
    {1000, 1, 1, 0.0, 0.0},        // Air
    {900, 40, 20, 0.70, 0.30},     // Skin
    {380, 75, 40, 0.90, 1.00},     // Fat
    {1400, 30, 18, 0.60, 0.03},    // Muscle
    {1000, 2, 1, 0.35, 0.0},       // Tendon / ligament
    {1000, 0.6, 0.4, 0.10, 0.0},   // Cortex
    {380, 55, 12, 0.85, 0.85},     // Marrow (yellow, fatty)
    {1200, 38, 22, 0.75, 0.0},     // Cartilage
    {1050, 9, 5, 0.55, 0.0},       // Meniscus
    {3200, 900, 400, 1.00, 0.0},   // Fluid
}};
} // namespace

TissueModel::TissueModel(Contrast contrast, std::uint64_t seed)
{
    std::mt19937_64 rng(seed ^ 0x7155eull);
    std::uniform_real_distribution<double> jitter(0.9, 1.1);
    struct Se {
        double tr, te;
        bool fatSat;
    };
    for (int i = 0; i < static_cast<int>(Tissue::Count); ++i) {
        Relaxation r = kTissues[static_cast<std::size_t>(i)];
        r.t1 *= jitter(rng);
        r.t2 *= jitter(rng);
        r.t2s *= jitter(rng);
        r.pd *= jitter(rng);
        double s = 0;
        auto spinEcho = [&](const Se& q) {
            const double fatKeep = q.fatSat ? 1.0 - 0.92 * r.fat : 1.0;
            return r.pd * fatKeep * (1.0 - std::exp(-q.tr / r.t1)) * std::exp(-q.te / r.t2);
        };
        switch (contrast) {
        case Contrast::PdFatSat: s = spinEcho({3000, 30, true}); break;
        case Contrast::T2FatSat: s = spinEcho({4000, 75, true}); break;
        case Contrast::T1: s = spinEcho({550, 12, false}); break;
        case Contrast::Dess: {
            const double tr = 16, te = 5, alpha = 25.0 * 3.14159265358979 / 180.0;
            const double e1 = std::exp(-tr / r.t1);
            const double water = 1.0 - 0.95 * r.fat; // water excitation
            const double fisp = r.pd * std::sin(alpha) * (1 - e1) / (1 - std::cos(alpha) * e1) * std::exp(-te / r.t2s);
            const double psif = r.pd * 0.06 * std::exp(-2 * tr / r.t2) * std::exp(-te / r.t2s);
            s = water * (fisp + psif);
            break;
        }
        }
        base_[static_cast<std::size_t>(i)] = s;
    }
    switch (contrast) {
    case Contrast::PdFatSat: protocol_ = "2D/3D spin echo PD, TR 3000 ms, TE 30 ms, fat saturation"; break;
    case Contrast::T2FatSat: protocol_ = "spin echo T2, TR 4000 ms, TE 75 ms, fat saturation"; break;
    case Contrast::T1: protocol_ = "spin echo T1, TR 550 ms, TE 12 ms"; break;
    case Contrast::Dess: protocol_ = "DESS-like, TR 16 ms, TE 5 ms, flip 25 deg, water excitation"; break;
    }
}

double TissueModel::brightest() const
{
    return *std::max_element(base_.begin(), base_.end());
}

} // namespace strata::testing::indep
