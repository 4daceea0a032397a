#pragma once

#include "strata/Image.h"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace strata::quant {

/// Where the cartilage subregions of Wirth & Eckstein (IEEE TMI 2008, as used in OAI studies) lie for one knee,
/// in world coordinates (LPS mm: +x patient left, +y posterior, +z superior; the knee's axes are assumed to be
/// roughly the patient's, an extended knee as scanned). measureCartilageSubregions() fits it to a segmentation;
/// it is written into metrics.json ("subregion_frame") so that viewers can find a region again.
///
/// Femur (femoral cartilage), split medial | lateral at the intercondylar notch (notchX):
///  - TrF: trochlea, up to the trochlear notch (y <= notchY, the posterior end of the trochlear cartilage in the
///    notch's midline);
///  - cMF / cLF: the weight-bearing condyle from the trochlear notch to 60 % of the way to the posterior end of
///    that condyle's cartilage (notchY < y <= weightBearingEndY), each cut medio-laterally into thirds of its
///    own width: internal (icMF, next to the notch), central (ccMF), external (ecMF);
///  - pMF / pLF: the posterior condyles behind that.
/// Tibia (medial / lateral tibial cartilage, MT / LT), on the subchondral bone area of each plate seen from
/// above: cMT / cLT an ellipse around the area's centre of gravity covering 20 % of its (projected) area, with
/// the axes in the ratio of the area's medio-lateral to antero-posterior extent; the rest cut by the lines from
/// the centre to the corners of the area's bounding box into anterior (a), posterior (p), external (e: away
/// from the midline) and internal (i: towards the tibial spines).
/// Patella: the whole plate, "P".
struct SubregionFrame {
    /// Where one femoral condyle's weight-bearing region (cMF or cLF) ends and where its thirds are cut.
    struct Condyle {
        double weightBearingEndY{0}; ///< posterior limit of cMF / cLF (mm)
        double internalX{0};         ///< boundary internal | central third (mm)
        double externalX{0};         ///< boundary central | external third (mm)
    };
    /// The central ellipse (cMT or cLT) and bounding box of one tibial plate's subchondral bone area.
    struct TibialPlate {
        std::array<double, 2> centre{0, 0};     ///< centre of gravity of the subchondral bone area (x, y mm)
        std::array<double, 2> semiAxes{0, 0};   ///< central ellipse semi-axes along x and y (mm)
        std::array<double, 4> box{0, 0, 0, 0};  ///< bounding box x0, y0, x1, y1 (mm)
        [[nodiscard]] bool valid() const { return semiAxes[0] > 0.0 && semiAxes[1] > 0.0; }
    };

    double medialSign{1.0}; ///< +1: medial is +x (a right knee), -1: medial is -x
    double notchX{0};
    double notchY{0};
    Condyle medialCondyle, lateralCondyle;
    TibialPlate medialTibia, lateralTibia;
    double closingRadiusMm{4.0}; ///< denuded areas: holes in a plate up to twice this across (see CartilageSubregions.h)

    /// Finest subregion of a cartilage voxel or bone-surface point of `plateLabel` (phantom::KneeLabel ids 4-7):
    /// "ecMF", "TrF", "pLF", "aMT", "P", ...; "" for other labels or a tibial plate without a frame.
    [[nodiscard]] std::string regionAt(const Vec3& p, int plateLabel) const;

    [[nodiscard]] nlohmann::json toJson() const;
    /// From metrics.json's "subregion_frame"; nullopt when there is none or it is malformed.
    [[nodiscard]] static std::optional<SubregionFrame> fromMetrics(const nlohmann::json& metrics);
};

/// The plate-level region a subregion belongs to ("ecMF" -> "cMF", "aMT" -> "MT"); itself for a plate-level
/// region ("cMF", "TrF", "MT", "P").
[[nodiscard]] std::string parentRegion(const std::string& region);
/// Every region name measureCartilageSubregions() reports for a plate label, in reading order: each plate-level
/// region followed by its subregions ("cMF", "ecMF", "ccMF", "icMF", "cLF", ..., "TrF", "pMF", "pLF").
[[nodiscard]] std::vector<std::string> regionNames(int plateLabel);

} // namespace strata::quant
