#pragma once

#include "strata/Image.h"
#include "strata/ImageIO.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace strata {

/// What `strata-cli info` prints: geometry, pixel type and intensity range of an image.
[[nodiscard]] nlohmann::json imageSummary(const Image& image, const std::filesystem::path& source);
/// Human-readable multi-line text of the same summary.
[[nodiscard]] std::string imageSummaryText(const nlohmann::json& summary);

} // namespace strata
