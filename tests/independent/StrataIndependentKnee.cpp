// strata-independent-knee: writes one case of the independent knee test family (issue 17, part 3):
// DIR/image.nii.gz, DIR/labels.nii.gz (+ .labels.json) and DIR/truth.json. A test tool, not installed.
#include "independent/IndependentKneeGenerator.h"
#include "independent/Tissue.h"

#include "strata/ImageIO.h"
#include "strata/LabelMap.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

using namespace strata;
using namespace strata::testing::indep;

namespace {
void usage()
{
    std::cout << "Usage: strata-independent-knee --seed N --out DIR [--contrast pdfs|t2fs|t1|dess] [--slice-mm X]\n"
                 "       [--inplane-mm X] [--orient sag|cor|ax] [--side left|right] [--snr X] [--bias X]\n"
                 "       [--fov L,P,S] [--canonical-storage] [--threads N]\n"
                 "Writes DIR/image.nii.gz, DIR/labels.nii.gz (Strata label ids 0-9) and DIR/truth.json.\n";
}
} // namespace

int main(int argc, char** argv)
{
    IndependentKneeGenerator::Settings s;
    s.acquisition.sliceMm = 0.7;
    std::filesystem::path out;
    bool haveSeed = false;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            auto next = [&]() -> std::string {
                if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
                return argv[++i];
            };
            if (a == "--help" || a == "-h") {
                usage();
                return 0;
            } else if (a == "--seed") {
                s.seed = std::stoull(next());
                haveSeed = true;
            } else if (a == "--contrast") s.contrast = contrastFromName(next());
            else if (a == "--slice-mm") s.acquisition.sliceMm = std::stod(next());
            else if (a == "--inplane-mm") s.acquisition.inPlaneMm = std::stod(next());
            else if (a == "--orient") s.acquisition.orientation = orientationFromName(next());
            else if (a == "--side") {
                const std::string side = next();
                if (side != "left" && side != "right") throw std::invalid_argument("--side is left or right");
                s.acquisition.rightKnee = side == "right";
            } else if (a == "--snr") s.snr = std::stod(next());
            else if (a == "--bias") s.bias = std::stod(next());
            else if (a == "--threads") s.threads = std::stoi(next());
            else if (a == "--canonical-storage") s.acquisition.storageSeed = 0;
            else if (a == "--fov") {
                const std::string v = next();
                const auto c1 = v.find(','), c2 = v.rfind(',');
                if (c1 == std::string::npos || c1 == c2) throw std::invalid_argument("--fov is L,P,S in mm");
                s.acquisition.fovMm = {std::stod(v.substr(0, c1)), std::stod(v.substr(c1 + 1, c2 - c1 - 1)),
                                       std::stod(v.substr(c2 + 1))};
            } else if (a == "--out") out = next();
            else throw std::invalid_argument("unknown option " + a);
        }
        if (!haveSeed || out.empty()) {
            usage();
            return 2;
        }
        const auto t0 = std::chrono::steady_clock::now();
        const IndependentKneeCase c = IndependentKneeGenerator::generate(s);
        std::filesystem::create_directories(out);
        writeImage(c.image, out / "image.nii.gz");
        LabelTable table;
        for (int l = 1; l < LabelCount; ++l) table.add({l, std::string(kLabelNames[static_cast<std::size_t>(l)]), {255, 255, 255, 255}});
        writeLabelMap(LabelMap(c.labels, table), out / "labels.nii.gz");
        nlohmann::json truth = c.truth;
        truth["generation_seconds"] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::ofstream(out / "truth.json") << truth.dump(2) << '\n';
        std::cout << "wrote " << out.string() << " (" << c.image.size()[0] << "x" << c.image.size()[1] << "x"
                  << c.image.size()[2] << ", " << truth["generation_seconds"].get<double>() << " s)\n";
    } catch (const std::exception& e) {
        std::cerr << "strata-independent-knee: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
