#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace strata::io {

/// Compressed (encapsulated) DICOM pixel data is decoded by GDCM's codecs - RLE, JPEG 8/12/16 bit, JPEG-LS
/// (CharLS), JPEG 2000 (OpenJPEG) - and Debian's libgdcm keeps its assertions: a damaged or crafted stream aborts the
/// process that decodes it (the fuzz target dicom_decode found one in 84 runs: a JPEG baseline fragment of two bytes,
/// FF D8, fails an assertion in JPEG8Codec::GetHeaderInfo), and
/// gdcm::ImageReader decodes already while it reads a header (to tell lossy from lossless). Such files are decoded
/// first in a child process (fork): when the child dies (a signal, or any exit but its own), or takes longer than `timeout` (a decoder loop),
/// the file is refused with an IoError naming it, and the caller's process never decodes it; so is a file whose
/// pixel data the child could not decode (GDCM's codecs leak on that path). Files whose pixel data
/// is not encapsulated (the common case) cost one header read and no child.
///
/// `context` starts the message ("Cannot read DICOM series in '/data/knee'"); `maxBytes` bounds the decoded size
/// the child allocates (a larger frame is left to the caller's own limit check).
/// The child only decodes and exits (_exit, no destructors); it writes nothing but its progress to a pipe.
void refuseDicomFilesThatCrashTheDecoder(const std::vector<std::string>& files, const std::string& context,
                                         std::uint64_t maxBytes,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(120));

/// Whether `file` is DICOM with encapsulated (compressed) pixel data, from its header alone.
[[nodiscard]] bool hasEncapsulatedPixelData(const std::string& file);

} // namespace strata::io
