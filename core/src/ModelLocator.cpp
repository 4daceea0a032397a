#include "strata/ModelLocator.h"

#include "strata/Error.h"

#include <cstdlib>
#include <vector>

#ifndef STRATA_SOURCE_MODELS_DIR
#define STRATA_SOURCE_MODELS_DIR ""
#endif

namespace strata {

std::filesystem::path findModelDir(const std::string& name)
{
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("STRATA_MODELS_DIR"); env && *env) {
        candidates.emplace_back(std::filesystem::path(env) / name);
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        candidates.push_back(exe.parent_path().parent_path() / "share" / "strata" / "models" / name);
    }
    if (std::string(STRATA_SOURCE_MODELS_DIR).size() > 0) {
        candidates.push_back(std::filesystem::path(STRATA_SOURCE_MODELS_DIR) / name);
    }
    std::string tried;
    for (const auto& c : candidates) {
        if (std::filesystem::exists(c / "model.json", ec)) {
            return c;
        }
        tried += (tried.empty() ? "" : ", ") + c.string();
    }
    throw IoError("Model '" + name + "' not found (looked in: " + tried + "; set STRATA_MODELS_DIR).");
}

std::filesystem::path modelDirFromParameter(const std::string& model)
{
    const std::filesystem::path p(model);
    if (p.is_absolute() || model.find('/') != std::string::npos) {
        return p;
    }
    return findModelDir(model);
}

} // namespace strata
