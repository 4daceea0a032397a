#pragma once

#include "strata/Image.h"
#include "strata/LabelMap.h"

#include <stop_token>
#include <string>
#include <vector>

namespace strata::quant {

/// Settings of refineFluidBoundary: which labels are cartilage and the thresholds of its rule (described there).
struct FluidBoundaryOptions {
    /// Labels that are cartilage (knee: femoral, medial / lateral tibial, patellar cartilage).
    std::vector<int> cartilageLabels{4, 5, 6, 7};
    /// Half-size (mm) of the box over which the local cartilage intensity is averaged (follows a bias field).
    double windowRadiusMm{2.8};
    /// Peel passes: each removes the fluid-bright voxels of the current cartilage surface.
    int passes{2};
    /// Then: background voxels between the cartilage surface and the fluid that are no brighter than the threshold
    /// and at least as bright as the local cartilage mean join the plate they touch (the opposite error).
    bool growTowardsFluid{true};
    /// A voxel is only called fluid above 1 + noiseK * sigma (sigma: robust spread of cartilage's relative intensity).
    double noiseK{2.5};
    /// Background voxels near cartilage brighter than 1 + fluidK * sigma sample the fluid.
    double fluidK{3.0};
    std::size_t minFluidSamples{50};
    std::size_t minInteriorVoxels{20};
};

/// What refineFluidBoundary measured and changed, or why it did nothing; the knee pipeline records it in
/// provenance.json ("fluid_refine").
struct FluidBoundaryReport {
    bool applied{false};
    std::string skippedReason; ///< why nothing was done (no cartilage, no bright fluid next to it)
    double cartilageSigma{0};  ///< robust SD of interior cartilage intensity / local cartilage mean
    double fluidRatio{0};      ///< median fluid intensity / local cartilage mean
    double threshold{0};       ///< relative intensity above which a surface voxel is fluid
    std::size_t fluidSamples{0};
    std::size_t voxelsRemoved{0};
    double growCeiling{0};     ///< relative intensity up to which background next to cartilage and fluid joins
    bool grown{false};         ///< whether the grow step ran (growCeiling > 1: fluid far enough from cartilage)
    std::size_t voxelsAdded{0};
};

/// Fluid / cartilage boundary refinement by intensity (knee, bright-fluid sequences such as DESS).
///
/// The segmentation network sees intensities clipped at a high percentile (model card), which in a knee puts
/// the joint fluid (the brightest tissue, a fraction of a percent of the voxels) and the brightest cartilage at
/// one value: it cannot tell a layer of fluid on the articular surface from cartilage and tends to add it to the
/// plate. This step uses the unclipped scan. With q = intensity / local mean of interior cartilage (a box of
/// windowRadiusMm, so a smooth bias field cancels), sigma = 1.4826 MAD of q over interior cartilage and r = the
/// median q of background voxels within two voxels of cartilage with q > 1 + fluidK sigma (the fluid), every
/// cartilage voxel that touches background (6-neighbourhood; never the bone side) and has
/// q > max((1 + r) / 2, 1 + noiseK sigma) becomes background, for `passes` passes. The midpoint is where a
/// partial-volume voxel is half fluid; the noise floor keeps noisy true cartilage. Nothing is done when fewer
/// than minFluidSamples fluid voxels are found (no bright fluid: nothing to separate).
/// The same rule is then applied the other way (growTowardsFluid): a background voxel that touches cartilage and a
/// fluid-bright background voxel (q > threshold), with 1 <= q <= min((1 + r) / 2, r - noiseK sigma), is more
/// cartilage than fluid and joins the plate it touches (most face neighbours; the lowest label on a tie). q >= 1
/// keeps out the darker tissues (muscle, fat) that meet the plate and the fluid at the edges; r - noiseK sigma
/// keeps out noisy fluid when fluid is barely brighter than cartilage for the noise (no growing when the ceiling
/// is not above 1). One layer, decided all at once (independent of scan order). Cancellable.
FluidBoundaryReport refineFluidBoundary(LabelMap& labels, const Image& intensity, const FluidBoundaryOptions& options = {},
                                        std::stop_token stop = {});

} // namespace strata::quant
