// strata-knee-phantom-raw: writes one synthetic knee phantom as raw arrays for the training script.
//
// The phantom generator (strata_phantom) needs nothing but the C++ standard library, so this binary
// (linked with a static libstdc++) runs on a bare GPU training box where ITK and the rest of Strata
// are not installed. Output in --out: image.u16 (uint16, x fastest), labels.u8 (uint8 label ids) and
// meta.json ({"size": [x, y, z], "spacing": [...], "ground_truth": {...}}). Same seed and settings →
// the same bytes as `strata-cli phantom` writes into its NIfTI files.
//
// --tissues also writes tissue.u8: what each voxel is made of (ids = index in meta.json "tissues":
// background, cortical_bone, marrow, cartilage, meniscus, fluid, muscle, fat), the map that domain-randomised
// training (models/knee/synth.py) draws its random contrasts from; the labels alone merge cortex and marrow. It
// comes from a second, noise-free rendering of the same seed (anatomy and pose have their own random streams):
// no noise, bias, blur or contrast jitter, so each voxel holds exactly its tissue's base intensity, which the
// ground truth lists per tissue. The other files are the same bytes with or without --tissues.
#include "strata/Error.h"
#include "strata/phantom/KneePhantom.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

void writeBytes(const std::filesystem::path& path, const void* data, std::size_t bytes)
{
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
    file.close();
    if (!file) throw strata::IoError("Failed to write " + path.string() + ".");
}

int usage()
{
    std::cerr << "usage: strata-knee-phantom-raw --seed N --out DIR [--snr X] [--bias X] [--contrast X] [--threads N] "
                 "[--left] [--tissues]\n";
    return 2;
}

// Same order as the generator's Tissue enum (core/src/phantom/Tissue.h); names as in the ground truth's intensities.
constexpr std::array<const char*, 8> kTissues{"background", "cortical_bone", "marrow", "cartilage",
                                              "meniscus",   "fluid",         "muscle", "fat"};

/// Tissue id per voxel (x fastest) of the phantom `params` describes, from a noise-free rendering of it.
std::vector<std::uint8_t> tissueMap(strata::phantom::KneePhantomParams params,
                                    std::span<const std::uint8_t> expectedLabels)
{
    params.snr = 1e6; // noise sigma = cartilage / 1e6 < 0.002: rounds away
    params.snrJitter = 0.0;
    params.biasStrength = 0.0;
    params.blurSigmaMm = 0.0;
    params.contrastJitter = 0.0;
    const auto c = strata::phantom::generateKneePhantom(params);
    const auto& intensities = c.groundTruth.at("parameters").at("intensities");
    std::vector<int> tissueOf(65536, -1);
    for (std::size_t t = 0; t < kTissues.size(); ++t) {
        const double v = std::round(intensities.at(kTissues[t]).get<double>());
        if (v < 0 || v > 65535 || tissueOf[static_cast<std::size_t>(v)] >= 0)
            throw strata::InvalidArgument("tissue intensities are not distinct; cannot write tissue.u8");
        tissueOf[static_cast<std::size_t>(v)] = static_cast<int>(t);
    }
    const auto image = c.image.pixels<std::uint16_t>();
    const auto labels = c.labels.ids();
    if (labels.size() != expectedLabels.size() || !std::equal(labels.begin(), labels.end(), expectedLabels.begin()))
        throw strata::InvalidArgument("the noise-free rendering has other labels; cannot write tissue.u8");
    std::vector<std::uint8_t> tissues(image.size());
    for (std::size_t i = 0; i < image.size(); ++i) {
        const int t = tissueOf[image[i]];
        if (t < 0) throw strata::InvalidArgument("a voxel of the noise-free rendering is no tissue's intensity");
        tissues[i] = static_cast<std::uint8_t>(t);
    }
    return tissues;
}

} // namespace

int main(int argc, char** argv)
{
    strata::phantom::KneePhantomParams params;
    std::filesystem::path out;
    bool tissues = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--left") params.rightKnee = false;
        else if (arg == "--tissues") tissues = true;
        else if (arg == "--seed" && hasValue) params.seed = std::strtoull(argv[++i], nullptr, 10);
        else if (arg == "--snr" && hasValue) params.snr = std::atof(argv[++i]);
        else if (arg == "--bias" && hasValue) params.biasStrength = std::atof(argv[++i]);
        else if (arg == "--contrast" && hasValue) params.contrastJitter = std::atof(argv[++i]);
        else if (arg == "--threads" && hasValue) params.threads = static_cast<unsigned>(std::atoi(argv[++i]));
        else if (arg == "--out" && hasValue) out = argv[++i];
        else return usage();
    }
    if (out.empty()) return usage();
    try {
        const auto c = strata::phantom::generateKneePhantom(params);
        std::filesystem::create_directories(out);
        const auto image = c.image.pixels<std::uint16_t>();
        const auto labels = c.labels.ids();
        writeBytes(out / "image.u16", image.data(), image.size_bytes());
        writeBytes(out / "labels.u8", labels.data(), labels.size_bytes());
        const auto& s = c.image.size();
        const auto& sp = c.image.spacing();
        nlohmann::json meta = {{"size", {s[0], s[1], s[2]}},
                               {"spacing", {sp[0], sp[1], sp[2]}},
                               {"ground_truth", c.groundTruth}};
        if (tissues) {
            const auto map = tissueMap(params, labels);
            writeBytes(out / "tissue.u8", map.data(), map.size());
            meta["tissues"] = kTissues;
        }
        const auto metaText = meta.dump(1) + "\n";
        writeBytes(out / "meta.json", metaText.data(), metaText.size());
    } catch (const std::exception& e) {
        std::cerr << "strata-knee-phantom-raw: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
