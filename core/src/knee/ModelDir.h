#pragma once

#include "strata/core/ModelLocator.h"

#include <filesystem>
#include <string>

namespace strata::knee {

/// The "model" parameter: a name under models/ or a path to a model folder.
inline std::filesystem::path modelDirFromParameter(const std::string& model)
{
    const std::filesystem::path p(model);
    if (p.is_absolute() || model.find('/') != std::string::npos) {
        return p;
    }
    return findModelDir(model);
}

} // namespace strata::knee
