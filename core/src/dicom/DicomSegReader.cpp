#include "strata/dicom/DicomSegReader.h"

#include "dicom/DcmtkSupport.h"
#include "strata/Error.h"
#include "strata/phantom/KneeLabels.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmfg/fginterface.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmfg/fgseg.h>
#include <dcmtk/dcmiod/cielabutil.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>
#include <dcmtk/dcmseg/segutils.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <memory>

namespace strata::dicom {

namespace {

std::string quoted(const std::filesystem::path& p)
{
    return "'" + p.string() + "'";
}

Code codeOf(CodeSequenceMacro& c)
{
    OFString v, s, m;
    c.getCodeValue(v);
    c.getCodingSchemeDesignator(s);
    c.getCodeMeaning(m);
    return {v.c_str(), s.c_str(), m.c_str()};
}

std::string strataName(const std::string& label)
{
    std::string n;
    for (char c : label) n += c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return n;
}

std::uint8_t byteOf(double v)
{
    return static_cast<std::uint8_t>(std::clamp(std::lround(v * 255.0), 0l, 255l));
}

struct Loaded {
    DcmFileFormat file;
    std::unique_ptr<DcmSegmentation> seg;
    DicomSegInfo info;
};

void load(const std::filesystem::path& path, Loaded& out)
{
    quietDcmtk();
    loadFile(out.file, path);
    DcmDataset& ds = *out.file.getDataset();
    if (stringOf(ds, DCM_SOPClassUID) != UID_SegmentationStorage) {
        throw IoError("Cannot read " + quoted(path) + " as a segmentation: it is not a DICOM SEG (SOP class " +
                      stringOf(ds, DCM_SOPClassUID) + ").");
    }
    DicomSegInfo& info = out.info;
    info.sopInstanceUid = stringOf(ds, DCM_SOPInstanceUID);
    info.seriesInstanceUid = stringOf(ds, DCM_SeriesInstanceUID);
    info.frameOfReferenceUid = stringOf(ds, DCM_FrameOfReferenceUID);
    Uint16 rows = 0, columns = 0;
    ds.findAndGetUint16(DCM_Rows, rows);
    ds.findAndGetUint16(DCM_Columns, columns);
    info.rows = rows;
    info.columns = columns;
    DcmItem* series = nullptr;
    if (ds.findAndGetSequenceItem(DCM_ReferencedSeriesSequence, series, 0).good() && series) {
        info.referencedSeriesUid = stringOf(*series, DCM_SeriesInstanceUID);
    }
    DcmSegmentation* raw = nullptr;
    const OFCondition cond = DcmSegmentation::loadDataset(ds, raw);
    out.seg.reset(raw);
    if (cond.bad() || !raw) {
        throw IoError("Cannot read the DICOM SEG " + quoted(path) + ": " + cond.text() + ".");
    }
    info.frames = out.seg->getNumberOfFrames();
    const LabelTable knee = phantom::kneeLabelTable();
    std::vector<int> used;
    for (std::size_t n = 1; n <= out.seg->getNumberOfSegments(); ++n) {
        DcmSegment* segment = out.seg->getSegment(n);
        if (!segment) continue;
        SegSegment s;
        s.number = static_cast<int>(n);
        OFString label;
        segment->getSegmentLabel(label);
        s.label = label.c_str();
        s.category = codeOf(segment->getSegmentedPropertyCategoryCode());
        s.type = codeOf(segment->getSegmentedPropertyTypeCode());
        Uint16 L = 0, a = 0, b = 0;
        if (segment->getRecommendedDisplayCIELabValue(L, a, b).good()) {
            double r = 0, g = 0, bl = 0;
            IODCIELabUtil::dicomLab2RGB(r, g, bl, L, a, b);
            s.rgb = {byteOf(r), byteOf(g), byteOf(bl)};
        }
        const auto known = knee.findByName(strataName(s.label));
        s.labelId = known && std::find(used.begin(), used.end(), known->id) == used.end() ? known->id : s.number;
        used.push_back(s.labelId);
        info.segments.push_back(std::move(s));
    }
    for (const auto& s : info.segments) {
        if (s.labelId > 255) {
            throw IoError("Cannot read the DICOM SEG " + quoted(path) + ": it has more than 255 segments.");
        }
    }
}

} // namespace

bool isDicomSeg(const std::filesystem::path& file)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return false;
    {
        // A DICOM file (Part 10) says "DICM" after its 128-byte preamble: other files (a NIfTI) are not parsed.
        std::ifstream in(file, std::ios::binary);
        char magic[132]{};
        if (!in.read(magic, sizeof magic) || std::string(magic + 128, 4) != "DICM") return false;
    }
    quietDcmtk();
    DcmFileFormat ff;
    if (ff.loadFileUntilTag(file.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect,
                            DCM_SeriesInstanceUID)
            .bad()) {
        return false;
    }
    return stringOf(*ff.getDataset(), DCM_SOPClassUID) == UID_SegmentationStorage;
}

LabelMap readDicomSeg(const std::filesystem::path& path, const Image& grid, DicomSegInfo* infoOut)
{
    Loaded loaded;
    load(path, loaded);
    const DicomSegInfo& info = loaded.info;
    const Size3& size = grid.size();
    if (info.rows != size[1] || info.columns != size[0]) {
        throw InvalidArgument("The DICOM SEG " + quoted(path) + " has " + std::to_string(info.columns) + " x " +
                              std::to_string(info.rows) + " pixels per frame, its image " + std::to_string(size[0]) +
                              " x " + std::to_string(size[1]) + ": it belongs to another series.");
    }
    LabelTable table;
    std::map<int, int> idOfSegment;
    for (const auto& s : info.segments) {
        table.add({s.labelId, strataName(s.label), {s.rgb[0], s.rgb[1], s.rgb[2], 255}});
        idOfSegment[s.number] = s.labelId;
    }
    LabelMap labels = LabelMap::like(grid, table);
    auto ids = labels.ids();
    const std::size_t frameSize = size[0] * size[1];
    FGInterface& groups = loaded.seg->getFunctionalGroups();
    const bool binary = loaded.seg->getSegmentationType() == DcmSegTypes::ST_BINARY;
    const double tolerance = 0.25; // of a voxel: scanners round positions (often to 0.1 mm)
    OFBool perFrameOrientation = OFFalse;
    if (auto* o = OFstatic_cast(FGPlaneOrientationPatient*,
                                groups.get(0, DcmFGTypes::EFG_PLANEORIENTPATIENT, perFrameOrientation))) {
        Float64 r[3]{}, c[3]{};
        if (o->getImageOrientationPatient(r[0], r[1], r[2], c[0], c[1], c[2]).good()) {
            const Mat3& d = grid.direction();
            for (int a = 0; a < 3; ++a) {
                if (std::abs(r[a] - d[a * 3]) > 1e-3 || std::abs(c[a] - d[a * 3 + 1]) > 1e-3) {
                    throw InvalidArgument("The DICOM SEG " + quoted(path) +
                                          " is oriented differently from the image: it belongs to another series.");
                }
            }
        }
    }
    for (std::size_t f = 0; f < info.frames; ++f) {
        OFBool perFrame = OFFalse;
        auto* pos = OFstatic_cast(FGPlanePosPatient*, groups.get(f, DcmFGTypes::EFG_PLANEPOSPATIENT, perFrame));
        auto* fgSeg = OFstatic_cast(FGSegmentation*, groups.get(f, DcmFGTypes::EFG_SEGMENTATION, perFrame));
        Float64 x = 0, y = 0, z = 0;
        Uint16 number = 0;
        if (!pos || pos->getImagePositionPatient(x, y, z).bad() || !fgSeg ||
            fgSeg->getReferencedSegmentNumber(number).bad()) {
            throw IoError("Cannot read the DICOM SEG " + quoted(path) + ": frame " + std::to_string(f + 1) +
                          " has no position or segment number.");
        }
        const Vec3 index = grid.worldToIndex({x, y, z});
        const double k = std::round(index[2]);
        if (std::abs(index[0]) > tolerance || std::abs(index[1]) > tolerance || std::abs(index[2] - k) > tolerance ||
            k < 0 || k >= static_cast<double>(size[2])) {
            throw InvalidArgument("Frame " + std::to_string(f + 1) + " of the DICOM SEG " + quoted(path) +
                                  " does not lie on a slice of the image: it belongs to another series or grid.");
        }
        const DcmIODTypes::Frame* frame = loaded.seg->getFrame(f);
        if (!frame) {
            throw IoError("Cannot read the DICOM SEG " + quoted(path) + ": frame " + std::to_string(f + 1) + " is missing.");
        }
        if (!idOfSegment.count(number)) {
            throw IoError("Cannot read the DICOM SEG " + quoted(path) + ": frame " + std::to_string(f + 1) +
                          " refers to segment " + std::to_string(number) + ", which the SEG does not describe.");
        }
        // Binary frames are packed 8 pixels to the byte, fractional ones a byte per pixel.
        if (!frame->pixData || frame->length < (binary ? (frameSize + 7) / 8 : frameSize)) {
            throw IoError("Cannot read the DICOM SEG " + quoted(path) + ": frame " + std::to_string(f + 1) +
                          " holds fewer pixels than its " + std::to_string(info.columns) + " x " +
                          std::to_string(info.rows) + ".");
        }
        std::unique_ptr<DcmIODTypes::Frame> unpacked;
        const Uint8* pixels = frame->pixData;
        if (binary) {
            unpacked.reset(DcmSegUtils::unpackBinaryFrame(frame, static_cast<Uint16>(info.rows),
                                                          static_cast<Uint16>(info.columns)));
            if (!unpacked) throw IoError("Cannot read the DICOM SEG " + quoted(path) + ": a frame cannot be unpacked.");
            pixels = unpacked->pixData;
        }
        const auto id = static_cast<std::uint8_t>(idOfSegment[number]);
        const std::size_t offset = static_cast<std::size_t>(k) * frameSize;
        for (std::size_t p = 0; p < frameSize; ++p) {
            if (pixels[p] != 0) ids[offset + p] = id; // fractional: any non-zero value
        }
    }
    if (infoOut) *infoOut = info;
    return labels;
}

} // namespace strata::dicom
