#pragma once

#include <filesystem>
#include <string>

namespace strata {

/// Finds models/<name>/ (holding model.json): $STRATA_MODELS_DIR/<name>, then <exe>/../share/strata/models/<name>,
/// then the source tree's models/<name>. Throws IoError listing where it looked.
std::filesystem::path findModelDir(const std::string& name);

} // namespace strata
