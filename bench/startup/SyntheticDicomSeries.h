#pragma once

#include <cstddef>
#include <filesystem>

namespace strata::bench {

/// Writes `slices` single-frame MR files (`size` x `size`, int16, 0.9 x 0.9 mm, 1 mm apart, axial, explicit
/// VR little endian, one study/series/frame of reference) named IM0001.dcm... into `dir` (created): a plain
/// series as a scanner exports it, for timing readers. The pixels are a smooth ball, the same for a given size.
void writeSyntheticDicomSeries(const std::filesystem::path& dir, std::size_t slices, std::size_t size = 256);

} // namespace strata::bench
