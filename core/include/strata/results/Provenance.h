#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace strata::results {

/// What a result bundle's provenance.json says about the run that made it (the facts the GUI and tools use; the
/// whole document stays in ResultBundle::provenance and ReportData).
struct Provenance {
    /// One input of the run, as provenance.json records it.
    struct Input {
        std::string name;            ///< the pipeline's input port ("image", "labels", ...)
        std::filesystem::path path;  ///< where the input was when the run started (may be gone now)
        std::string sha256;
    };
    std::string pipeline;   ///< the pipeline's id ("knee-mri"); empty when not recorded
    std::string startedAt;  ///< ISO 8601 as written ("2024-05-01T12:34:56Z"); empty when not recorded
    std::string finishedAt;
    std::vector<Input> inputs; ///< in the order the run listed them

    /// The input given to port `name`, or nullptr.
    [[nodiscard]] const Input* input(const std::string& name) const;
    /// The first input's path (the scan a knee run measured), or an empty path.
    [[nodiscard]] std::filesystem::path firstInputPath() const;

    /// Checks and reads the document: absent fields stay empty; a field of the wrong type (inputs not a list of
    /// objects, a path that is not a string) is an IoError naming `source` and the field.
    [[nodiscard]] static Provenance fromJson(const nlohmann::json& doc, const std::string& source = "provenance.json");
};

/// Reads `bundleDir`/provenance.json (size and depth limited). Throws IoError naming the file when it is missing,
/// not JSON or not a provenance document.
[[nodiscard]] Provenance readProvenance(const std::filesystem::path& bundleDir);

} // namespace strata::results
