#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata::io {

/// What the decoding process reports about the files of io/DicomChildDecode.h on its progress pipe: a file's index
/// (4 bytes) when it starts on it, the index | one of these when it failed (it stops there).
namespace dicom_copy {
inline constexpr std::uint32_t kOutcome = 0xC0000000u;
inline constexpr std::uint32_t kDidNotDecode = 0x80000000u;
inline constexpr std::uint32_t kTooLarge = 0x40000000u;
inline constexpr std::uint32_t kNotWritten = 0xC0000000u;
} // namespace dicom_copy

/// In the process that decodes (strata-media-decode --dicom-copies, or a fork): GDCM says nothing on stderr, stderr
/// is /dev/null (libjpeg's own messages), no core file is written for a file that crashes a codec.
void quietDicomDecoding();

/// In the process that decodes: decodes `files[i]` with GDCM to `copies[i]` as the same data set with native pixel
/// data, reporting on `progress` as above; stops at the first failure, or when the reader has gone. The decoded
/// pixel data of all files together may not exceed `maxBytes`.
void decodeDicomCopies(const std::vector<std::string>& files, const std::vector<std::string>& copies,
                       std::uint64_t maxBytes, int progress);

} // namespace strata::io
