#include "knee/KneeStages.h"
#include "strata/CanonicalReorientation.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/dicom/DicomIdentity.h"

namespace strata::knee {

void LoadStage::run(pipeline::StageContext& ctx)
{
    const auto& path = ctx.request().inputs.at("image");
    ctx.progress(0.1, "Reading " + path.filename().string());
    dicom::DicomIdentity identity;
    Image image = readImage(path, {}, &identity);
    if (image.is2D() || image.size()[2] < 8) {
        throw InvalidArgument("The knee pipeline needs a 3D MRI volume, but '" + path.filename().string() + "' has " +
                              std::to_string(image.size()[2]) + " slice(s).");
    }
    if (image.components() != 1) {
        throw InvalidArgument("The knee pipeline needs a grey-scale MRI volume, but '" + path.filename().string() +
                              "' has " + std::to_string(image.components()) + " components per voxel.");
    }
    CanonicalReorientation::checkGeometry(image, "'" + path.filename().string() + "'");
    ctx.note("input_size", image.size());
    ctx.note("input_spacing", image.spacing());
    ctx.note("input_direction", image.direction());
    ctx.workspace().put(kImage, std::move(image));
    if (!identity.empty()) {
        ctx.note("dicom", identity.toJson()); // provenance.json: what a derived SEG / SR must reference
        ctx.workspace().put(kDicomIdentity, std::move(identity));
    }
}

} // namespace strata::knee
