#include "strata/results/ResultBundle.h"

#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/JsonLimits.h"
#include "strata/quant/MeshIO.h"

#include <algorithm>
#include <fstream>

namespace strata::results {

namespace fs = std::filesystem;

namespace {

void checkStop(const std::stop_token& stop)
{
    if (stop.stop_requested()) {
        throw Cancelled("Loading the result was cancelled.");
    }
}

} // namespace

fs::path ResultBundle::inputPath() const
{
    const auto inputs = provenance.value("inputs", nlohmann::json::array());
    if (!inputs.is_array() || inputs.empty()) {
        return {};
    }
    return fs::path(inputs.front().value("path", std::string()));
}

bool ResultBundle::isBundle(const fs::path& dir)
{
    std::error_code ec;
    return fs::is_regular_file(dir / "provenance.json", ec);
}

ResultBundle ResultBundle::load(const fs::path& dir, std::stop_token stop, bool withMeshes)
{
    if (!isBundle(dir)) {
        throw IoError("'" + dir.string() + "' is not a result bundle (no provenance.json in it).");
    }
    ResultBundle b;
    b.dir = fs::absolute(dir);
    b.provenance = readJsonFile(dir / "provenance.json");
    b.metrics = fs::exists(dir / "metrics.json") ? readJsonFile(dir / "metrics.json") : nlohmann::json::object();
    checkStop(stop);
    if (fs::exists(dir / "segmentation.nii.gz")) {
        b.segmentation = std::make_shared<const LabelMap>(readLabelMap(dir / "segmentation.nii.gz"));
    }
    checkStop(stop);
    if (fs::exists(dir / "thickness.nii.gz")) {
        b.thickness = std::make_shared<const Image>(readImage(dir / "thickness.nii.gz"));
    }
    if (withMeshes && fs::is_directory(dir / "meshes")) {
        std::vector<fs::path> plys;
        for (const auto& e : fs::directory_iterator(dir / "meshes")) {
            if (e.path().extension() == ".ply") {
                plys.push_back(e.path());
            }
        }
        std::sort(plys.begin(), plys.end());
        for (const auto& p : plys) {
            checkStop(stop);
            BundleMesh m;
            m.name = p.stem().string();
            if (b.segmentation) {
                if (auto info = b.segmentation->table().findByName(m.name)) {
                    m.labelId = info->id;
                }
            }
            m.mesh = std::make_shared<const quant::Mesh>(quant::readPly(p));
            b.meshes.push_back(std::move(m));
        }
    }
    return b;
}

} // namespace strata::results
