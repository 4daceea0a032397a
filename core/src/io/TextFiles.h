#pragma once

#include <filesystem>
#include <string>

namespace strata::io {

/// s as one CSV field in double quotes, inner quotes doubled (RFC 4180).
std::string csvQuoted(const std::string& s);

/// A path in single quotes, as error messages name files: 'scan.nii.gz'.
std::string quoted(const std::filesystem::path& path);

/// Writes content to path (binary, replacing it); throws IoError naming the file when that fails.
void writeTextFile(const std::filesystem::path& path, const std::string& content);

} // namespace strata::io
