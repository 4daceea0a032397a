#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace strata::io {

/// A name for a private temporary file or folder of the compressed-DICOM decode (io/DecodedDicomCopies.h), for
/// mkstemp / mkdtemp: TMPDIR/strata-dicom-[KIND-]PID-XXXXXX. The process id in it lets a later process remove what
/// a killed one left behind.
std::string decodeScratchPattern(const std::string& kind = {});

/// Removes the decode's temporary files and folders of processes that no longer run (a server or worker killed
/// while decoding leaves its copies, up to the size of a series); names without a process id, or of a process that
/// runs, are left. Returns how many were removed. Cheap: one listing of the temporary folder.
std::size_t removeStaleDecodeScratch(const std::filesystem::path& tempDir = std::filesystem::temp_directory_path());

} // namespace strata::io
