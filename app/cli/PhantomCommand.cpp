#include "cli/Commands.h"
#include "strata/Error.h"
#include "strata/phantom/KneePhantom.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace strata::cli {

void registerPhantomCommand(CLI::App& app)
{
    struct Options {
        std::uint64_t seed{1};
        std::string out;
        std::vector<std::size_t> size;
        std::vector<double> spacing;
        phantom::KneePhantomParams params;
        bool left{false};
    };
    auto opts = std::make_shared<Options>();
    auto* cmd = app.add_subcommand(
        "phantom",
        "Generate a synthetic sagittal 3D DESS-like knee MRI with exact labels and ground truth "
        "(writes image.nii.gz, labels.nii.gz and ground_truth.json into --out). The same seed and options "
        "always give bit-identical files.");
    const phantom::KneePhantomParams defaults;
    cmd->add_option("--seed", opts->seed, "Random seed: anatomy, pose, thickness, contrast, noise and bias all follow from it")
        ->default_val(defaults.seed);
    cmd->add_option("--out", opts->out, "Output directory (created if missing)")->required();
    cmd->add_option("--size", opts->size, "Image size in voxels X Y Z (AP, SI, ML), each 1..1024 (default 256 256 160)")
        ->expected(3);
    cmd->add_option("--spacing", opts->spacing, "Voxel spacing in mm X Y Z (default 0.4 0.4 0.7)")->expected(3);
    cmd->add_option("--snr", opts->params.snr, "Signal-to-noise ratio of cartilage (Rician noise), > 0")
        ->default_val(defaults.snr);
    cmd->add_option("--bias", opts->params.biasStrength, "Peak relative amplitude of the bias field, 0..0.9")
        ->default_val(defaults.biasStrength);
    cmd->add_option("--contrast", opts->params.contrastJitter,
                    "Relative random change of each tissue's intensity, 0..0.5")
        ->default_val(defaults.contrastJitter)
        ->check(CLI::Range(0.0, 0.5));
    cmd->add_option("--blur", opts->params.blurSigmaMm, "Partial-volume blur: Gaussian sigma in mm, 0..5 (0 = none)")
        ->default_val(defaults.blurSigmaMm);
    cmd->add_option("--max-rotation", opts->params.maxRotationDeg,
                    "Pose: rotation about each axis drawn uniformly in +-DEG degrees, 0..45")
        ->default_val(defaults.maxRotationDeg);
    cmd->add_option("--max-translation", opts->params.maxTranslationMm,
                    "Pose: translation along each axis drawn uniformly in +-MM mm, 0..50")
        ->default_val(defaults.maxTranslationMm);
    cmd->add_flag("--left", opts->left, "Generate a left knee (default: right)");
    cmd->callback([opts] {
        phantom::KneePhantomParams params = opts->params;
        params.seed = opts->seed;
        if (!opts->size.empty()) params.size = {opts->size[0], opts->size[1], opts->size[2]};
        if (!opts->spacing.empty()) params.spacing = {opts->spacing[0], opts->spacing[1], opts->spacing[2]};
        params.rightKnee = !opts->left;

        const auto start = std::chrono::steady_clock::now();
        const phantom::KneePhantomCase phantomCase = phantom::generateKneePhantom(params);
        const auto generated = std::chrono::steady_clock::now();
        phantom::writeKneePhantom(phantomCase, opts->out);
        const auto written = std::chrono::steady_clock::now();
        const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };

        const auto& gt = phantomCase.groundTruth;
        const std::filesystem::path dir(opts->out);
        std::cout << "Knee phantom, seed " << params.seed << ", " << (params.rightKnee ? "right" : "left") << " knee, "
                  << params.size[0] << " x " << params.size[1] << " x " << params.size[2] << " voxels of "
                  << params.spacing[0] << " x " << params.spacing[1] << " x " << params.spacing[2] << " mm\n";
        std::cout << "Wrote " << (dir / "image.nii.gz").string() << ", " << (dir / "labels.nii.gz").string()
                  << ", " << (dir / "ground_truth.json").string() << '\n';
        char line[160];
        std::snprintf(line, sizeof line, "Time: %.2f s to generate, %.2f s to write\n", seconds(start, generated),
                      seconds(generated, written));
        std::cout << line;
        std::cout << "Cartilage plate          volume (mm^3)   mean thickness (mm)\n";
        for (const char* plate :
             {"femoral_cartilage", "medial_tibial_cartilage", "lateral_tibial_cartilage", "patellar_cartilage"}) {
            std::snprintf(line, sizeof line, "  %-24s %10.1f   %8.2f\n", plate, gt["volumes_mm3"][plate].get<double>(),
                          gt["thickness_mm"][plate]["mean"].get<double>());
            std::cout << line;
        }
    });
}

} // namespace strata::cli
