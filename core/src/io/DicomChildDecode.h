#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace strata::io {

/// Compressed (encapsulated) DICOM pixel data is decoded by GDCM's codecs - RLE, JPEG 8/12/16 bit, JPEG-LS
/// (CharLS), JPEG 2000 (OpenJPEG) - and Debian's libgdcm keeps its assertions: a damaged or crafted stream aborts the
/// process that decodes it (the fuzz target dicom_decode found one in 84 runs: a JPEG baseline fragment of two bytes,
/// FF D8, fails an assertion in JPEG8Codec::GetHeaderInfo), gdcm::ImageReader decodes already while it reads a
/// header (to tell lossy from lossless), and a codec may also write out of bounds without crashing (the fuzzer found
/// the harness's heap corrupted after JPEG 2000 inputs). So Strata's processes never run a codec on a file from
/// outside: `files[i]` is decoded in a child process (fork) and written to `copies[i]` as the same data set with
/// native (Explicit VR Little Endian) pixel data - the pixels as gdcm::Image::GetBuffer gives them, with the
/// photometric interpretation and planar configuration the decoder reports; every other element (rescale, geometry,
/// identity) is the file's own. The caller reads the copies like any uncompressed file (and checks them as such).
///
/// Throws IoError starting with `context` ("Cannot read DICOM series in '/data/knee'") and naming the file when the
/// child dies on a file (a signal, or any exit but its own: "the decoder crashed on it"), spends longer than
/// `timeout` on one file (a decoder loop), cannot decode it, when the decoded pixel data of the files together
/// exceeds `maxBytes`, or when a copy cannot be written. The child writes nothing but the copies and its progress (to a
/// pipe); it ends with _exit (no destructors, no handlers of the parent's).
void writeDecodedDicomCopies(const std::vector<std::string>& files, const std::vector<std::string>& copies,
                             const std::string& context, std::uint64_t maxBytes,
                             std::chrono::milliseconds timeout = std::chrono::seconds(120));

/// Whether `file` is DICOM with encapsulated (compressed) pixel data, from its header alone (false for anything
/// damaged: the caller's own read refuses it).
[[nodiscard]] bool hasEncapsulatedPixelData(const std::string& file);

} // namespace strata::io
