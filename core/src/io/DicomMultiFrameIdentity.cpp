#include "io/DicomMultiFrameIdentity.h"

#include "io/DicomFileHeader.h"
#include "io/DicomSeriesCommon.h"

#include <gdcmByteValue.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmStringFilter.h>

#include <string>
#include <vector>

namespace strata::io {

namespace {

/// The first item's data set of sequence `tag` in `ds`, or nullptr.
const gdcm::DataSet* firstItem(const gdcm::DataSet& ds, const gdcm::Tag& tag, gdcm::SmartPointer<gdcm::SequenceOfItems>& keep)
{
    if (!ds.FindDataElement(tag)) return nullptr;
    keep = ds.GetDataElement(tag).GetValueAsSQ();
    if (!keep || keep->GetNumberOfItems() < 1) return nullptr;
    return &keep->GetItem(1).GetNestedDataSet();
}

/// An ASCII value (DS, IS, ...) of `ds`, trimmed; "" when absent.
std::string text(const gdcm::DataSet& ds, const gdcm::Tag& tag)
{
    if (!ds.FindDataElement(tag)) return {};
    const gdcm::ByteValue* bv = ds.GetDataElement(tag).GetByteValue();
    return bv ? trimmedDicomValue(std::string(bv->GetPointer(), bv->GetLength())) : std::string();
}

} // namespace

dicom::DicomIdentity multiFrameIdentity(const std::filesystem::path& file, std::size_t slices)
{
    DicomFileHeader header;
    if (slices < 2 || !header.read(file.string())) return {};
    const gdcm::DataSet& ds = header.file().GetDataSet();
    if (text(ds, gdcm::Tag(0x0028, 0x0008)) != std::to_string(slices)) return {};
    const gdcm::Tag perFrameTag(0x5200, 0x9230);
    if (!ds.FindDataElement(perFrameTag)) return {};
    const gdcm::SmartPointer<gdcm::SequenceOfItems> perFrame = ds.GetDataElement(perFrameTag).GetValueAsSQ();
    if (!perFrame || perFrame->GetNumberOfItems() != slices) return {};
    std::vector<std::string> positions;
    for (std::size_t k = 1; k <= slices; ++k) {
        gdcm::SmartPointer<gdcm::SequenceOfItems> keep;
        const gdcm::DataSet* plane = firstItem(perFrame->GetItem(k).GetNestedDataSet(), gdcm::Tag(0x0020, 0x9113), keep);
        positions.push_back(plane ? text(*plane, gdcm::Tag(0x0020, 0x0032)) : std::string());
        if (positions.back().empty()) return {};
    }
    gdcm::StringFilter sf;
    sf.SetFile(header.file());
    dicom::DicomIdentity id = dicomIdentityOf(slices, [&](std::size_t k, const char* key) {
        gdcm::Tag tag;
        tag.ReadFromPipeSeparatedString(key);
        if (tag == gdcm::Tag(0x0020, 0x0032)) return positions[k];
        return trimmedDicomValue(sf.ToString(tag));
    });
    for (std::size_t k = 0; k < slices; ++k) id.instances[k].frameNumber = static_cast<unsigned>(k + 1);
    return id;
}

} // namespace strata::io
