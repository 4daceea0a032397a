#include "strata/phantom/KneePhantom.h"

#include "phantom/BiasField.h"
#include "phantom/GaussianBlur.h"
#include "phantom/KneeAnatomy.h"
#include "ParallelFor.h"
#include "phantom/Rng.h"
#include "phantom/ThicknessTruth.h"
#include "phantom/Tissue.h"
#include "strata/Error.h"
#include "strata/phantom/KneeLabels.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <sstream>
#include <string>

namespace strata::phantom {
namespace {

constexpr int kVersion = 1;
constexpr double kDeg = std::numbers::pi / 180.0;
constexpr double kThicknessSamplingStepMm = 0.25;

// Independent random streams, so a change in one part of the generator does not shift the others.
enum Stream : std::uint64_t { AnatomyStream = 1, PoseStream = 2, ContrastStream = 3, BiasStream = 4, NoiseStream = 5 };

/// Sagittal acquisition: i -> anterior-to-posterior (+y), j -> superior-to-inferior (-z), k -> (-x).
constexpr Mat3 kSagittalDirection{0, 0, -1, 1, 0, 0, 0, -1, 0};

/// Mean intensities of the tissues in a water-excitation DESS-like image (cartilage ~1500).
constexpr std::array<double, kTissueCount> kBaseIntensity{
    0.0,    // background
    90.0,   // cortical bone
    520.0,  // marrow (fatty, suppressed)
    1500.0, // cartilage
    180.0,  // meniscus
    2300.0, // fluid
    650.0,  // muscle
    380.0,  // fat (suppressed)
};

void requireRange(double value, double lo, double hi, const char* what)
{
    if (!std::isfinite(value) || value < lo || value > hi) {
        std::ostringstream msg;
        msg << "Knee phantom: " << what << " must be in [" << lo << ", " << hi << "], got " << value << '.';
        throw InvalidArgument(msg.str());
    }
}

void validate(const KneePhantomParams& p)
{
    for (int a = 0; a < 3; ++a) {
        if (p.size[a] == 0 || p.size[a] > 1024)
            throw InvalidArgument("Knee phantom: size must be between 1 and 1024 voxels along each axis, got " +
                                  std::to_string(p.size[0]) + "x" + std::to_string(p.size[1]) + "x" +
                                  std::to_string(p.size[2]) + ".");
        if (!std::isfinite(p.spacing[a]) || p.spacing[a] <= 0.0 || p.spacing[a] > 10.0)
            throw InvalidArgument("Knee phantom: spacing must be in (0, 10] mm along each axis, got " +
                                  std::to_string(p.spacing[a]) + ".");
    }
    if (!std::isfinite(p.snr) || p.snr <= 0.0 || p.snr > 1e6)
        throw InvalidArgument("Knee phantom: snr must be a positive number (at most 1e6), got " + std::to_string(p.snr) +
                              ".");
    requireRange(p.biasStrength, 0.0, 0.9, "bias strength");
    requireRange(p.blurSigmaMm, 0.0, 5.0, "blur sigma (mm)");
    requireRange(p.maxRotationDeg, 0.0, 45.0, "maximum rotation (degrees)");
    requireRange(p.maxTranslationMm, 0.0, 50.0, "maximum translation (mm)");
    requireRange(p.contrastJitter, 0.0, 0.5, "contrast jitter");
    requireRange(p.sizeJitter, 0.0, 0.25, "size jitter");
    requireRange(p.snrJitter, 0.0, 0.5, "snr jitter");
}

M3 rotationXYZ(double ax, double ay, double az)
{
    const M3 rx{{1, 0, 0, 0, std::cos(ax), -std::sin(ax), 0, std::sin(ax), std::cos(ax)}};
    const M3 ry{{std::cos(ay), 0, std::sin(ay), 0, 1, 0, -std::sin(ay), 0, std::cos(ay)}};
    const M3 rz{{std::cos(az), -std::sin(az), 0, std::sin(az), std::cos(az), 0, 0, 0, 1}};
    return rz * ry * rx;
}

/// Index space <-> canonical knee frame.
struct Mapping {
    M3 direction;   // image direction
    V3 spacing;
    V3 origin;
    M3 rotation;    // knee pose: world = rotation * canonical + translation (canonical mirrored for a left knee)
    V3 translation;
    bool left{false};
    std::array<std::size_t, 3> size{};

    V3 world(double i, double j, double k) const
    {
        return origin + direction * V3{i * spacing.x, j * spacing.y, k * spacing.z};
    }
    V3 canonical(V3 w) const
    {
        V3 c = rotation.transposed() * (w - translation);
        if (left) c.x = -c.x;
        return c;
    }
    bool containsCanonical(V3 c) const
    {
        if (left) c.x = -c.x;
        const V3 w = rotation * c + translation;
        const V3 d = direction.transposed() * (w - origin);
        const std::array<double, 3> index{d.x / spacing.x, d.y / spacing.y, d.z / spacing.z};
        for (int a = 0; a < 3; ++a)
            if (index[a] < -0.5 || index[a] > static_cast<double>(size[a]) - 0.5) return false;
        return true;
    }
};

nlohmann::json json3(V3 v) { return nlohmann::json::array({v.x, v.y, v.z}); }

} // namespace

KneePhantomCase generateKneePhantom(const KneePhantomParams& params)
{
    validate(params);
    const unsigned threads = workerCount(params.threads);
    const Size3 size = params.size;
    const std::size_t nx = size[0], ny = size[1], nz = size[2];

    // --- Draw the case --------------------------------------------------------------------------
    Rng anatomyRng(streamSeed(params.seed, AnatomyStream));
    const double scale = 1.0 + anatomyRng.symmetric(params.sizeJitter);
    const KneeAnatomy anatomy(anatomyRng, scale);

    Rng poseRng(streamSeed(params.seed, PoseStream));
    const V3 rotationDeg{poseRng.symmetric(params.maxRotationDeg), poseRng.symmetric(params.maxRotationDeg),
                         poseRng.symmetric(params.maxRotationDeg)};
    const V3 translation{poseRng.symmetric(params.maxTranslationMm), poseRng.symmetric(params.maxTranslationMm),
                         poseRng.symmetric(params.maxTranslationMm)};

    Rng contrastRng(streamSeed(params.seed, ContrastStream));
    std::array<double, kTissueCount> intensity{};
    for (std::size_t t = 0; t < kTissueCount; ++t)
        intensity[t] = kBaseIntensity[t] * (1.0 + contrastRng.symmetric(params.contrastJitter));
    // Keep the DESS ordering whatever the jitter: fluid > cartilage > muscle > meniscus.
    const auto at = [&](Tissue t) -> double& { return intensity[static_cast<std::size_t>(t)]; };
    at(Tissue::Fluid) = std::max(at(Tissue::Fluid), 1.15 * at(Tissue::Cartilage));
    at(Tissue::Muscle) = std::min(at(Tissue::Muscle), 0.8 * at(Tissue::Cartilage));
    at(Tissue::Meniscus) = std::min(at(Tissue::Meniscus), 0.6 * at(Tissue::Muscle));
    const double snr = params.snr * (1.0 + contrastRng.symmetric(params.snrJitter));
    const double noiseSigma = at(Tissue::Cartilage) / snr;

    Rng biasRng(streamSeed(params.seed, BiasStream));
    const BiasField bias(biasRng, params.biasStrength);

    // --- Geometry ---------------------------------------------------------------------------------
    Mapping map;
    map.direction = M3{{kSagittalDirection[0], kSagittalDirection[1], kSagittalDirection[2], kSagittalDirection[3],
                        kSagittalDirection[4], kSagittalDirection[5], kSagittalDirection[6], kSagittalDirection[7],
                        kSagittalDirection[8]}};
    map.spacing = {params.spacing[0], params.spacing[1], params.spacing[2]};
    map.size = size;
    // The centre of the volume is the world origin; the knee is posed around it.
    const V3 centreOffset = map.direction * V3{0.5 * static_cast<double>(nx - 1) * map.spacing.x,
                                               0.5 * static_cast<double>(ny - 1) * map.spacing.y,
                                               0.5 * static_cast<double>(nz - 1) * map.spacing.z};
    map.origin = V3{} - centreOffset;
    map.rotation = rotationXYZ(rotationDeg.x * kDeg, rotationDeg.y * kDeg, rotationDeg.z * kDeg);
    map.translation = translation;
    map.left = !params.rightKnee;

    Image image(size, PixelType::UInt16);
    Image labelImage(size, PixelType::UInt8);
    for (Image* im : {&image, &labelImage}) {
        im->setSpacing(params.spacing);
        im->setOrigin({map.origin.x, map.origin.y, map.origin.z});
        im->setDirection(kSagittalDirection);
    }

    // --- Labels and noise-free tissue intensities, one sagittal slice (k) per task -----------------
    std::vector<float> signal(nx * ny * nz);
    auto labels = labelImage.pixels<std::uint8_t>();
    const V3 c0 = map.canonical(map.world(0, 0, 0));
    const V3 di = map.canonical(map.world(1, 0, 0)) - c0;
    const V3 dj = map.canonical(map.world(0, 1, 0)) - c0;
    const V3 dk = map.canonical(map.world(0, 0, 1)) - c0;
    parallelFor(nz, threads, [&](std::size_t k) {
        for (std::size_t j = 0; j < ny; ++j) {
            const V3 row = c0 + dk * static_cast<double>(k) + dj * static_cast<double>(j);
            const std::size_t base = nx * (j + ny * k);
            for (std::size_t i = 0; i < nx; ++i) {
                const AnatomySample s = anatomy.classify(row + di * static_cast<double>(i));
                labels[base + i] = s.label;
                signal[base + i] = static_cast<float>(intensity[static_cast<std::size_t>(s.tissue)]);
            }
        }
    });

    // --- Partial volume blur, bias field, Rician noise ------------------------------------------
    if (params.blurSigmaMm > 0.0)
        gaussianBlur3d(signal, size,
                       {params.blurSigmaMm / params.spacing[0], params.blurSigmaMm / params.spacing[1],
                        params.blurSigmaMm / params.spacing[2]},
                       threads);
    auto out = image.pixels<std::uint16_t>();
    // The bias field (wavelengths of 150 mm and more) is evaluated every kBiasStep voxels along a row
    // and linearly interpolated in between.
    constexpr std::size_t kBiasStep = 8;
    parallelFor(nz, threads, [&](std::size_t k) {
        Rng noise(streamSeed(params.seed, NoiseStream, k));
        std::vector<double> rowBias(nx);
        for (std::size_t j = 0; j < ny; ++j) {
            const auto biasAt = [&](std::size_t i) {
                return bias(map.world(static_cast<double>(i), static_cast<double>(j), static_cast<double>(k)));
            };
            double b0 = biasAt(0);
            for (std::size_t i = 0; i < nx; i += kBiasStep) {
                const std::size_t i1 = std::min(i + kBiasStep, nx - 1);
                const double b1 = i1 > i ? biasAt(i1) : b0;
                for (std::size_t u = i; u < std::min(i + kBiasStep, nx); ++u) {
                    const double w = i1 > i ? static_cast<double>(u - i) / static_cast<double>(i1 - i) : 0.0;
                    rowBias[u] = b0 + (b1 - b0) * w;
                }
                b0 = b1;
            }
            const std::size_t base = nx * (j + ny * k);
            for (std::size_t i = 0; i < nx; ++i) {
                const double s = static_cast<double>(signal[base + i]) * rowBias[i];
                const auto [n1, n2] = noise.normalPair();
                const double re = s + noiseSigma * n1, im = noiseSigma * n2;
                const double v = std::round(std::sqrt(re * re + im * im));
                out[base + i] = static_cast<std::uint16_t>(std::min(v, 65535.0));
            }
        }
    });

    // --- Ground truth ---------------------------------------------------------------------------
    KneePhantomCase result;
    result.image = std::move(image);
    result.labels = LabelMap(std::move(labelImage), kneeLabelTable());

    const LabelTable table = kneeLabelTable();
    std::array<std::size_t, KneeLabelCount> counts{};
    for (const std::uint8_t id : result.labels.ids()) ++counts[id < KneeLabelCount ? id : 0];
    const double voxelVolume = params.spacing[0] * params.spacing[1] * params.spacing[2];

    nlohmann::json& gt = result.groundTruth;
    gt["generator"] = "strata-knee-phantom";
    gt["version"] = kVersion;
    gt["seed"] = params.seed;
    nlohmann::json intensities = nlohmann::json::object();
    for (std::size_t t = 0; t < kTissueCount; ++t) intensities[std::string(kTissueNames[t])] = intensity[t];
    gt["parameters"] = {
        {"seed", params.seed},
        {"size", {size[0], size[1], size[2]}},
        {"spacing", {params.spacing[0], params.spacing[1], params.spacing[2]}},
        {"snr", params.snr},
        {"snr_jitter", params.snrJitter},
        {"bias_strength", params.biasStrength},
        {"blur_sigma_mm", params.blurSigmaMm},
        {"max_rotation_deg", params.maxRotationDeg},
        {"max_translation_mm", params.maxTranslationMm},
        {"contrast_jitter", params.contrastJitter},
        {"size_jitter", params.sizeJitter},
        {"right_knee", params.rightKnee},
        {"side", params.rightKnee ? "right" : "left"},
        {"scale", scale},
        {"pose",
         {{"rotation_deg_xyz", json3(rotationDeg)},
          {"rotation_order", "world = Rz * Ry * Rx * canonical + translation (canonical x negated for a left knee)"},
          {"rotation_matrix", map.rotation.m},
          {"translation_mm", json3(translation)}}},
        {"intensities", intensities},
        {"snr_effective", snr},
        {"noise_sigma", noiseSigma},
        {"bias_field", bias.toJson()},
        {"anatomy", anatomy.toJson()},
    };
    gt["geometry"] = {{"size", {size[0], size[1], size[2]}},
                      {"spacing", {params.spacing[0], params.spacing[1], params.spacing[2]}},
                      {"origin", json3(map.origin)},
                      {"direction", kSagittalDirection},
                      {"voxel_volume_mm3", voxelVolume}};
    gt["labels"] = nlohmann::json::array();
    gt["volumes_mm3"] = nlohmann::json::object();
    gt["voxel_counts"] = nlohmann::json::object();
    for (const auto& label : table.labels()) {
        gt["labels"].push_back({{"id", label.id}, {"name", label.name}});
        const std::size_t n = counts[static_cast<std::size_t>(label.id)];
        gt["voxel_counts"][label.name] = n;
        gt["volumes_mm3"][label.name] = static_cast<double>(n) * voxelVolume;
    }
    gt["thickness_mm"] = sampleThicknessTruth(
        anatomy, [&map](V3 q) { return map.containsCanonical(q); }, kThicknessSamplingStepMm, threads);
    gt["thickness_method"] =
        "true thickness t(q) of the generating field at bone-surface points q under each plate, area-weighted "
        "(grid points within one step outside the bone on a 0.25 mm grid, projected onto the surface); each plate "
        "is the set of points at distance 0 < d < t(q) from its bone along the surface normal";
    return result;
}

} // namespace strata::phantom
