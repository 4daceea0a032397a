// What Strata parses itself of a DICOM file before GDCM decodes it (core/src/io/DicomFileHeader.cpp): the header read
// up to the pixel data, where that data starts, the length it declares (native) or the lengths of its items
// (encapsulated), the refusal of a file whose pixel data runs past its end, and the structure check in front of GDCM
// (io/DicomMetaCheck.cpp): Debian's libgdcm keeps its assertions, so a damaged file must be refused before GDCM
// parses it, or the process (the server, in the thread that sizes an upload) aborts.
// Contract: only IoError; a file that is not refused never declares more pixel data than it holds; no input makes
// anything (ours or GDCM's) allocate more than run.sh's -malloc_limit_mb for a file of a few KiB; GDCM never asserts.
// Not here yet: the pixel decode (DicomFileHeader::readImage): GDCM's codecs assert too (an RLE segment of length 0:
// gdcmRLECodec.cxx:777), see remote/README.md.
#include "FuzzSupport.h"

#include "io/DicomFileHeader.h"
#include "strata/Error.h"


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = strata::fuzz::writeScratch("slice.dcm", strata::fuzz::asText(data, size));
    try {
        strata::io::refuseDicomPixelDataPastEnd(path);
    } catch (const strata::IoError&) {
        return 0;
    }
    strata::io::DicomFileHeader header;
    try {
        if (!header.read(path.string())) return 0;
    } catch (const strata::IoError&) {
        FUZZ_CHECK(false, "read() refused what refuseDicomPixelDataPastEnd() let through");
    }
    FUZZ_CHECK(!header.pixelDataPastEnd(), "a file the refusal let through declares more than it holds");
    return 0;
}
