// strata-knee-phantom-raw: writes one synthetic knee phantom as raw arrays for the training script.
//
// The phantom generator (strata_phantom) needs nothing but the C++ standard library, so this binary
// (linked with a static libstdc++) runs on a bare GPU training box where ITK and the rest of Strata
// are not installed. Output in --out: image.u16 (uint16, x fastest), labels.u8 (uint8 label ids) and
// meta.json ({"size": [x, y, z], "spacing": [...], "ground_truth": {...}}). Same seed and settings →
// the same bytes as `strata-cli phantom` writes into its NIfTI files.
#include "strata/core/Error.h"
#include "strata/core/phantom/KneePhantom.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

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
    std::cerr << "usage: strata-knee-phantom-raw --seed N --out DIR [--snr X] [--bias X] [--contrast X] [--threads N] [--left]\n";
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    strata::phantom::KneePhantomParams params;
    std::filesystem::path out;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--left") params.rightKnee = false;
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
        const auto metaText = meta.dump(1) + "\n";
        writeBytes(out / "meta.json", metaText.data(), metaText.size());
    } catch (const std::exception& e) {
        std::cerr << "strata-knee-phantom-raw: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
