#pragma once

#include <filesystem>
#include <string>

namespace strata {

/// Finds models/<name>/ (holding model.json): $STRATA_MODELS_DIR/<name>, then <exe>/../share/strata/models/<name>,
/// then the source tree's models/<name>. Throws IoError listing where it looked.
[[nodiscard]] std::filesystem::path findModelDir(const std::string& name);

/// A pipeline's "model" parameter: an absolute path or one with a '/' is used as given, a plain name is
/// looked up with findModelDir.
[[nodiscard]] std::filesystem::path modelDirFromParameter(const std::string& model);

} // namespace strata
