#include "io/DicomFileHeader.h"

#include <gdcmByteValue.h>
#include <gdcmDataElement.h>
#include <gdcmImageReader.h>
#include <gdcmMediaStorage.h>
#include <gdcmReader.h>
#include <gdcmTransferSyntax.h>
#include <gdcmVR.h>

#include "io/DicomMetaCheck.h"
#include "io/TextFiles.h"
#include "strata/Error.h"

#include <algorithm>
#include <exception>
#include <fstream>
#include <set>
#include <string_view>

namespace strata::io {

namespace {

const gdcm::Tag kPixelData(0x7fe0, 0x0010);

/// gdcm::ImageReader's Read() minus the parsing: the image of a file whose data set is already in memory, for the
/// usual case of a file that declares an image storage class (anything else: false, the caller reads it otherwise).
class ParsedFileImageReader : public gdcm::ImageReader {
public:
    bool readImageOf(gdcm::File& file)
    {
        SetFile(file);
        const gdcm::FileMetaInformation& header = file.GetHeader();
        GetImage().SetTransferSyntax(header.GetDataSetTransferSyntax());
        const gdcm::MediaStorage ms = header.GetMediaStorage();
        return gdcm::MediaStorage::IsImage(ms) && ReadImage(ms);
    }
};

/// How many bytes of tag, VR and value length stand in front of the pixel data's value in a data set of this
/// transfer syntax, read on this (little endian) machine: 12 for explicit VR little endian (OB or OW), 8 for
/// implicit VR little endian; 0 where the one-pass reader leaves the file to gdcm::ImageReader (deflated data sets,
/// big endian: GDCM swaps while it reads).
int preValueBytes(const gdcm::TransferSyntax& ts)
{
    if (!ts.IsValid() || ts == gdcm::TransferSyntax::DeflatedExplicitVRLittleEndian ||
        ts.GetSwapCode() != gdcm::SwapCode::LittleEndian) {
        return 0;
    }
    return ts.GetNegociatedType() == gdcm::TransferSyntax::Implicit ? 8 : 12;
}

std::uint32_t littleEndian32(const unsigned char* p)
{
    return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

/// encapsulatedBytes() of items that are not items.
constexpr std::uint64_t kDamagedItems = ~std::uint64_t{0};

/// An RLE fragment's header (PS3.5 G.3.1: segment count 1..15, then 15 offsets) that GDCM's RLE decoder can take:
/// the first segment right after the 64-byte header, each next one after the previous, all inside the fragment.
/// GDCM asserts on a segment of length 0 (gdcmRLECodec.cxx) and would abort the process.
bool plausibleRleHeader(std::istream& in, std::uint64_t fragmentAt, std::uint32_t fragmentLength)
{
    unsigned char header[64];
    if (fragmentLength < 64 || !in.seekg(static_cast<std::streamoff>(fragmentAt)) ||
        !in.read(reinterpret_cast<char*>(header), 64)) {
        return false;
    }
    const std::uint32_t segments = littleEndian32(header);
    if (segments < 1 || segments > 15 || littleEndian32(header + 4) != 64) return false;
    std::uint32_t previous = 64;
    for (std::uint32_t s = 1; s < segments; ++s) {
        const std::uint32_t offset = littleEndian32(header + 4 + 4 * s);
        if (offset <= previous) return false;
        previous = offset;
    }
    return previous < fragmentLength;
}

/// The bytes an encapsulated pixel data value declares from `valueAt` (its items: basic offset table and fragments,
/// each a tag and a length, up to the sequence delimiter): GDCM allocates each item's length before reading it, so
/// a fragment that claims 4 GiB in a small file must be found from the lengths alone. Stops at the first item that
/// runs past the end of the file; kDamagedItems for anything that is not an item of defined length, or no sequence
/// delimiter before the end of the file.
std::uint64_t encapsulatedBytes(std::istream& in, std::uint64_t size, std::uint64_t valueAt, bool rle)
{
    in.clear();
    std::uint64_t at = valueAt;
    unsigned char item[8];
    while (at + 8 <= size && in.seekg(static_cast<std::streamoff>(at)) && in.read(reinterpret_cast<char*>(item), 8)) {
        const std::uint32_t tag = littleEndian32(item);
        const std::uint32_t length = littleEndian32(item + 4);
        if (tag == 0xe0ddfffeu) return at + 8 - valueAt; // sequence delimiter: the value ends here
        // Anything else than an item of defined length: GDCM would read it as a fragment of whatever length it says.
        if (tag != 0xe000fffeu || length == 0xffffffffu) return kDamagedItems;
        const bool offsetTable = at == valueAt;
        if (rle && !offsetTable && at + 8 + length <= size && !plausibleRleHeader(in, at + 8, length)) return kDamagedItems;
        at += 8 + std::uint64_t{length};
        if (at > size) break;
    }
    return at > size ? at - valueAt : kDamagedItems; // past the end, or no sequence delimiter before it
}

/// Reads native (not encapsulated) pixel data from `offset`, where its element starts, as gdcm::Reader stores it;
/// false when the element is not there, is encapsulated, or is cut short.
bool readNativePixelData(const std::string& filename, std::int64_t offset, int pre, gdcm::DataElement& de)
{
    std::ifstream in(filename, std::ios::binary);
    unsigned char head[12];
    if (!in.seekg(offset) || !in.read(reinterpret_cast<char*>(head), pre)) return false;
    if (littleEndian32(head) != 0x0010'7fe0u) return false; // group 7fe0, element 0010, each little endian
    const std::uint32_t length = littleEndian32(head + pre - 4);
    if (length == 0xffffffffu || length == 0 || length % 2 != 0) return false; // encapsulated (or odd)
    if (pre == 12) {
        const gdcm::VR::VRType vr = gdcm::VR::GetVRType(std::string(reinterpret_cast<const char*>(head + 4), 2).c_str());
        if (vr != gdcm::VR::OB && vr != gdcm::VR::OW) return false;
        de.SetVR(vr);
    }
    gdcm::SmartPointer<gdcm::ByteValue> value = new gdcm::ByteValue;
    value->SetLength(length);
    if (!in.read(static_cast<char*>(value->GetVoidPointer()), length)) return false; // truncated
    de.SetTag(kPixelData);
    de.SetValue(*value);
    return true;
}

} // namespace

bool DicomFileHeader::read(const std::string& filename)
{
    if (!looksLikeDicom(filename)) return false; // not given to GDCM, which guesses (and asserts) at anything
    refuseDamagedDicomMeta(filename, true);
    gdcm::Reader reader;
    reader.SetFileName(filename.c_str());
    // The pixel data is skipped: its tag, VR and length are read and the stream stops at its value.
    if (!reader.ReadUpToTag(kPixelData, std::set<gdcm::Tag>{kPixelData})) return false;
    const gdcm::DataSet& ds = reader.GetFile().GetDataSet();
    if (!ds.FindDataElement(gdcm::Tag(0x0028, 0x0010)) || !ds.FindDataElement(gdcm::Tag(0x0028, 0x0011))) return false;
    filename_ = filename;
    file_ = &reader.GetFile();
    pixelDataOffset_ = -1;
    declaredPixelBytes_ = availablePixelBytes_ = 0;
    // Where the pixel data element starts: the stream stopped after its tag, VR and length (none: at the end).
    const int pre = preValueBytes(file_->GetHeader().GetDataSetTransferSyntax());
    const std::size_t valueAt = reader.GetStreamCurrentPosition();
    if (pre > 0 && valueAt != static_cast<std::size_t>(-1) && valueAt > static_cast<std::size_t>(pre)) {
        pixelDataOffset_ = static_cast<std::int64_t>(valueAt) - pre;
        // The value length stands in the 4 bytes before the value; an undefined one (encapsulated) is summed over items.
        std::ifstream in(filename, std::ios::binary | std::ios::ate);
        const std::streamoff size = in.tellg();
        unsigned char length[4];
        if (size >= 0 && in.seekg(static_cast<std::streamoff>(valueAt) - 4) && in.read(reinterpret_cast<char*>(length), 4)) {
            const std::uint32_t declared = littleEndian32(length);
            availablePixelBytes_ = static_cast<std::uint64_t>(std::max<std::streamoff>(0, size - static_cast<std::streamoff>(valueAt)));
            declaredPixelBytes_ = declared != 0xffffffffu ? declared : encapsulatedBytes(in, static_cast<std::uint64_t>(size), static_cast<std::uint64_t>(valueAt),
                                                  file_->GetHeader().GetDataSetTransferSyntax() == gdcm::TransferSyntax::RLELossless);
        }
    }
    return true;
}

std::string DicomFileHeader::pixelDataShortfall() const
{
    if (declaredPixelBytes_ == kDamagedItems) return "holds encapsulated pixel data whose items are damaged";
    const auto size = [](std::uint64_t bytes) {
        return bytes >= (std::uint64_t{1} << 20) ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes >> 10) + " KiB";
    };
    return "declares " + size(declaredPixelBytes_) + " of pixel data, the file holds " + size(availablePixelBytes_) +
           " of it";
}

void refuseDicomPixelDataPastEnd(const std::filesystem::path& path)
{
    const std::string ext = path.extension().string();
    bool dicom = ext == ".dcm" || ext == ".DCM" || ext == ".ima" || ext == ".IMA";
    if (!dicom) {
        char magic[4] = {};
        std::ifstream in(path, std::ios::binary);
        dicom = in.seekg(128) && in.read(magic, 4) && std::string_view(magic, 4) == "DICM";
    }
    DicomFileHeader header;
    if (dicom && header.read(path.string()) && header.pixelDataPastEnd()) {
        throw IoError("Cannot read " + quoted(path) + ": the DICOM file is truncated (incomplete pixel data): it " +
                      header.pixelDataShortfall() + ".");
    }
}

void refuseSeriesPixelDataPastEnd(const std::filesystem::path& directory, const std::vector<const DicomFileHeader*>& files)
{
    for (const DicomFileHeader* h : files) {
        if (!h->pixelDataPastEnd()) continue;
        throw IoError("Cannot read DICOM series in " + quoted(directory) +
                      ": a file of the series is truncated (incomplete pixel data): " +
                      std::filesystem::path(h->filename()).filename().string() + " " + h->pixelDataShortfall() + ".");
    }
}

bool DicomFileHeader::readImage(gdcm::SmartPointer<gdcm::Image>& image)
{
    // GDCM's own element readers are templates: instantiating them here would replace, process-wide, the copies
    // inside libgdcm (built with other options: its warning about incomplete pixel data). The native case is read
    // here; encapsulated pixel data (compressed: decoding costs more than parsing) goes through gdcm::ImageReader.
    if (pixelDataPastEnd()) return false; // neither here nor in GDCM: it would allocate what the header declares
    gdcm::DataElement de;
    const int pre = preValueBytes(file_->GetHeader().GetDataSetTransferSyntax());
    if (pixelDataOffset_ < 0 || !readNativePixelData(filename_, pixelDataOffset_, pre, de)) {
        gdcm::ImageReader reader;
        reader.SetFileName(filename_.c_str());
        if (!reader.Read()) return false;
        image = &reader.GetImage();
        return true;
    }
    gdcm::DataSet& ds = file_->GetDataSet();
    ds.Replace(de);
    ParsedFileImageReader reader;
    bool ok = false;
    try {
        ok = reader.readImageOf(*file_);
    } catch (const std::exception&) {
        ok = false;
    }
    if (ok) image = &reader.GetImage();
    ds.Remove(kPixelData); // the image keeps the value while it lives
    return ok;
}

} // namespace strata::io
