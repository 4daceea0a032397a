#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/phantom/KneePhantom.h"

#include <fstream>

namespace strata::phantom {

void writeKneePhantom(const KneePhantomCase& c, const std::filesystem::path& dir)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw IoError("Cannot create the phantom output directory " + dir.string() + ": " + ec.message() + ".");
    writeImage(c.image, dir / "image.nii.gz");
    writeLabelMap(c.labels, dir / "labels.nii.gz");
    const auto path = dir / "ground_truth.json";
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file) throw IoError("Cannot open " + path.string() + " for writing.");
    file << c.groundTruth.dump(2) << '\n';
    file.close();
    if (!file) throw IoError("Failed to write " + path.string() + ".");
}

} // namespace strata::phantom
