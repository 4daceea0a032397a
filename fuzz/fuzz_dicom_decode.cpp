// GDCM's pixel decoders behind Strata's DICOM reader: RLE, JPEG baseline and lossless (libgdcmjpeg 8/12/16),
// JPEG-LS (CharLS) and JPEG 2000 (OpenJPEG), fed through the path an uploaded or opened file takes
// (refuseDicomPixelDataPastEnd, DecodedDicomCopies, then DicomFileHeader::read, readImage and Image::GetBuffer on
// the uncompressed copy, as DicomSeriesFastReader's decodeSlice does). Debian's libgdcm keeps its assertions, so a
// codec that asserts on crafted data aborts the process that decodes it: the server's worker, or a local run. Before
// the child decode this target found such a file in 84 runs (JPEG8Codec::GetHeaderInfo; minimised: a JPEG baseline
// fragment of two bytes, FF D8), and then, with a child that only checked, a heap corrupted by a codec that wrote
// out of bounds without crashing: now only the child decodes, and this process reads its uncompressed copy.
//
// Structure-aware: the input is not a DICOM file but the parameters of one and the compressed stream. Byte 0 picks
// the transfer syntax, bytes 1..4 the rows, columns, bits and samples; the rest is the one fragment of the pixel
// data, wrapped into a well-formed file (meta group, image module, encapsulated pixel data with an empty basic offset
// table), so every run reaches the decoder instead of the header checks that fuzz_dicom_header covers.
// Contract: only IoError or a false return; this process never aborts and never decodes (a codec runs in the
// child; the copy it leaves is uncompressed); nothing allocates more than run.sh's limits.
//
// Seeds: STRATA_FUZZ_DICOM_DECODE_SEEDS=DIR fuzz_dicom_decode writes one seed per codec into DIR (a gradient image
// encoded by GDCM's own encoders) and exits; fuzz/corpus/dicom_decode holds them.
#include "FuzzSupport.h"

#include "unit/DicomBytes.h"

#include "io/DecodedDicomCopies.h"
#include "io/DicomChildDecode.h"
#include "io/DicomFileHeader.h"
#include "strata/Error.h"

#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmSequenceOfFragments.h>

#include <array>
#include <cstring>
#include <vector>

namespace {

constexpr std::array<const char*, 6> kSyntaxes{
    "1.2.840.10008.1.2.5",    // RLE lossless
    "1.2.840.10008.1.2.4.50", // JPEG baseline (8 bit)
    "1.2.840.10008.1.2.4.51", // JPEG extended (12 bit)
    "1.2.840.10008.1.2.4.70", // JPEG lossless, first-order prediction
    "1.2.840.10008.1.2.4.80", // JPEG-LS lossless
    "1.2.840.10008.1.2.4.90", // JPEG 2000 lossless
};

struct Params {
    unsigned syntax, rows, columns, bits, samples;
};

constexpr std::size_t kParamBytes = 5;

Params paramsOf(const std::uint8_t* d)
{
    const unsigned bits[]{8, 16, 12, 8};
    return {static_cast<unsigned>(d[0] % kSyntaxes.size()), 1u + d[1] % 64u, 1u + d[2] % 64u, bits[d[3] % 4], d[4] % 4 == 3 ? 3u : 1u};
}

std::string dicomFile(const Params& p, std::string_view fragment)
{
    return strata::test::rawdicom::encapsulatedImage(kSyntaxes[p.syntax], p.rows, p.columns, p.bits, p.samples, fragment);
}

/// Inputs whose decoder crashed in the child process: contained (the file is refused), counted for the log.
std::size_t childCrashes = 0;

/// The decoded pixels; empty when the file is refused or does not decode.
std::vector<char> decode(const std::string& bytes)
{
    const auto path = strata::fuzz::writeScratch("frame.dcm", bytes);
    try {
        strata::io::refuseDicomPixelDataPastEnd(path);
        // as readImage does: decoded in a child process into an uncompressed copy, which this process reads
        const strata::io::DecodedDicomCopies copies(path, "fuzz", 64u << 20);
        const std::string readable = copies.readable().string();
        FUZZ_CHECK(!strata::io::hasEncapsulatedPixelData(readable), "a copy with compressed pixel data");
        strata::io::DicomFileHeader header;
        if (!header.read(readable)) return {};
        gdcm::SmartPointer<gdcm::Image> image;
        if (!header.readImage(image)) return {};
        const unsigned long length = image->GetBufferLength();
        if (length == 0 || length > (64u << 20)) return {};
        std::vector<char> buffer(length);
        if (image->GetBuffer(buffer.data())) return buffer;
    } catch (const strata::IoError& e) {
        if (std::string_view(e.what()).find("the decoder crashed") != std::string_view::npos) ++childCrashes;
    }
    return {};
}

/// One seed per transfer syntax: a 24 x 20 gradient, encoded by GDCM.
void writeSeeds(const char* dir)
{
    for (unsigned s = 0; s < kSyntaxes.size(); ++s) {
        const Params p{s, 20, 24, s == 1 ? 8u : (s == 2 ? 12u : 16u), 1};
        gdcm::SmartPointer<gdcm::Image> im = new gdcm::Image;
        im->SetNumberOfDimensions(2);
        const unsigned dims[2]{p.columns, p.rows};
        im->SetDimensions(dims);
        im->SetPixelFormat(gdcm::PixelFormat(1, p.bits > 8 ? 16 : 8, p.bits, p.bits - 1, 0));
        im->SetPhotometricInterpretation(gdcm::PhotometricInterpretation::MONOCHROME2);
        im->SetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);
        std::string pixels;
        for (unsigned y = 0; y < p.rows; ++y) {
            for (unsigned x = 0; x < p.columns; ++x) {
                const unsigned v = (x * 37 + y * 11) % (1u << std::min(p.bits, 12u));
                pixels += p.bits > 8 ? strata::test::rawdicom::le16(v) : std::string(1, static_cast<char>(v & 0xff));
            }
        }
        gdcm::DataElement pd(gdcm::Tag(0x7fe0, 0x0010));
        pd.SetByteValue(pixels.data(), static_cast<std::uint32_t>(pixels.size()));
        im->SetDataElement(pd);
        gdcm::ImageChangeTransferSyntax change;
        change.SetTransferSyntax(gdcm::TransferSyntax(gdcm::TransferSyntax::GetTSType(kSyntaxes[s])));
        change.SetInput(*im);
        if (!change.Change()) {
            std::fprintf(stderr, "GDCM cannot encode %s\n", kSyntaxes[s]);
            continue;
        }
        const gdcm::SequenceOfFragments* sq = change.GetOutput().GetDataElement().GetSequenceOfFragments();
        if (!sq || sq->GetNumberOfFragments() == 0) continue;
        const gdcm::ByteValue* bv = sq->GetFragment(0).GetByteValue();
        std::string seed{static_cast<char>(s), static_cast<char>(p.rows - 1), static_cast<char>(p.columns - 1),
                         static_cast<char>(p.bits == 8 ? 0 : (p.bits == 16 ? 1 : 2)), 0};
        seed.append(bv->GetPointer(), bv->GetLength());
        const auto out = std::filesystem::path(dir) / (std::string("seed-") + std::to_string(s));
        std::ofstream(out, std::ios::binary).write(seed.data(), static_cast<std::streamsize>(seed.size()));
        // The wrapper must make files the decoder takes: lossless seeds come back as the pixels encoded.
        const auto back = decode(dicomFile(paramsOf(reinterpret_cast<const std::uint8_t*>(seed.data())),
                                           std::string_view(seed).substr(kParamBytes)));
        const bool lossy = s == 1 || s == 2;
        const bool same = back.size() == pixels.size() && std::memcmp(back.data(), pixels.data(), pixels.size()) == 0;
        std::printf("%s: %zu bytes, decodes to %zu bytes%s\n", out.c_str(), seed.size(), back.size(),
                    lossy ? " (lossy)" : (same ? ", identical" : ", DIFFERENT"));
        FUZZ_CHECK(!back.empty() && (lossy || same), kSyntaxes[s]);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    if (const char* dir = std::getenv("STRATA_FUZZ_DICOM_DECODE_SEEDS")) {
        writeSeeds(dir);
        std::exit(0);
    }
    // The codecs run in a fork of this process (the fallback without a helper): the same containment of crashes as
    // strata-media-decode, which Strata's programs exec, at a few hundred inputs a second instead of two (the ASan
    // helper's start links OpenCV's 244 libraries). STRATA_MEDIA_DECODE=build-fuzz/fuzz/strata-media-decode runs it.
    ::setenv("STRATA_MEDIA_DECODE", "in-process", 0);
    std::atexit([] { std::fprintf(stderr, "dicom_decode: %zu inputs crashed the decoder in its child (contained)\n", childCrashes); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < kParamBytes) return 0;
    decode(dicomFile(paramsOf(data), strata::fuzz::asText(data + kParamBytes, size - kParamBytes)));
    return 0;
}
