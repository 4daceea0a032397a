// DICOM SEG and SR through DCMTK (issue 23): a DICOM SEG is read from untrusted bytes wherever labels may be given
// (the knee pipeline's `labels` input, on the server too: knee/GivenLabels.cpp; the GUI's label overlay), so the
// input goes through isDicomSeg (the header up to Series Instance UID) and readDicomSeg onto the grid of the seeds'
// series (tests/unit/DicomSegSrTest.cpp's small oblique case: seeds from STRATA_FUZZ_SEEDS=... of that test). The
// same bytes go through readMeasurementReport (TID 1500 SR; only Strata's own tests read SRs today). DCMTK is
// Debian's, not instrumented: coverage guides through Strata's readers; ASan's allocation limits watch DCMTK's too.
// Contract: isDicomSeg never throws; readDicomSeg and readMeasurementReport throw only IoError or InvalidArgument;
// a label map read is on the grid and uses only ids of its label table.
#include "FuzzSupport.h"

#include "strata/Error.h"
#include "strata/dicom/DicomSegReader.h"
#include "strata/dicom/KneeMeasurementReport.h"

#include <cmath>

namespace {

/// The grid of DicomSegSrTest's small case: 40 x 32 x 12 voxels, 0.6 x 0.5 x 1.2 mm, rotated 0.3 rad about (1,1,1).
strata::Image seedGrid()
{
    const double c = std::cos(0.3), s = std::sin(0.3), t = 1 - c, x = 1 / std::sqrt(3.0);
    strata::Image grid({40, 32, 12}, strata::PixelType::UInt16);
    grid.setSpacing({0.6, 0.5, 1.2});
    grid.setOrigin({-10, 20, 5});
    grid.setDirection({t * x * x + c, t * x * x - s * x, t * x * x + s * x,  //
                       t * x * x + s * x, t * x * x + c, t * x * x - s * x,  //
                       t * x * x - s * x, t * x * x + s * x, t * x * x + c});
    return grid;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const strata::Image grid = seedGrid();
    const auto path = strata::fuzz::writeScratch("seg.dcm", strata::fuzz::asText(data, size));
    if (strata::dicom::isDicomSeg(path)) {
        try {
            strata::dicom::DicomSegInfo info;
            const strata::LabelMap labels = strata::dicom::readDicomSeg(path, grid, &info);
            FUZZ_CHECK(labels.image().size() == grid.size(), "the label map is not on the grid");
            for (const std::uint8_t id : labels.ids()) {
                FUZZ_CHECK(id == 0 || labels.table().find(id).has_value(), "a label id without an entry in the table");
            }
        } catch (const strata::IoError&) {
        } catch (const strata::InvalidArgument&) {
        }
    }
    try {
        (void)strata::dicom::readMeasurementReport(path);
    } catch (const strata::IoError&) {
    } catch (const strata::InvalidArgument&) {
    }
    return 0;
}
