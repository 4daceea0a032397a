#pragma once

#include "independent/Tissue.h"

#include <array>
#include <cstdint>
#include <string>

namespace strata::testing::indep {

/// The MR protocols the family renders; none of them is the contrast the knee model was trained on.
enum class Contrast { PdFatSat, T2FatSat, T1, Dess };

Contrast contrastFromName(const std::string& name); // pdfs, t2fs, t1, dess; throws std::invalid_argument
std::string contrastName(Contrast c);

/// Per-tissue relaxation (T1, T2, T2* in ms), proton density and fat fraction at ~3 T, jittered per seed, and the
/// signal equations of the protocols: spin echo S = PD (1 - e^(-TR/T1)) e^(-TE/T2) (PD / T2 fat-saturated, T1 plain),
/// and a water-excited dual-echo steady state (DESS-like: a spoiled-GRE FISP echo with T2* decay plus a T2-weighted
/// PSIF echo). Fat saturation removes 92 % of the fat fraction's signal.
class TissueModel {
public:
    TissueModel(Contrast contrast, std::uint64_t seed);

    /// Noise-free signal of a tissue with its texture factor (arbitrary units).
    double signal(Tissue t, float texture) const { return base_[static_cast<int>(t)] * texture; }
    /// Cartilage's signal: the reference for the noise level (SNR is cartilage SNR).
    double cartilageSignal() const { return base_[static_cast<int>(Tissue::Cartilage)]; }
    double brightest() const;
    std::string protocol() const { return protocol_; }

private:
    std::array<double, static_cast<int>(Tissue::Count)> base_{};
    std::string protocol_;
};

} // namespace strata::testing::indep
