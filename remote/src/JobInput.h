#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace strata::remote {

/// One job input as a job's stored request holds it: an uploaded file ({"sha256", "name"}) or a folder of uploaded
/// files ({"name", "files": [{"sha256", "name"}, ...]}: a DICOM series), which the server or a worker puts back
/// together as a folder in the job's own input folder. Every name is one safe file name ([A-Za-z0-9._-], no
/// leading dot, at most 128 characters), so nothing can land outside that folder.
struct JobInput {
    struct File {
        std::string sha256;
        std::string name;
    };
    std::string name;          ///< the file's or the folder's name
    std::vector<File> files;   ///< the file itself (one), or the folder's files
    bool folder{false};

    /// Parses a stored input (from the database or the queue: checked again, as it came over a wire). Throws
    /// InvalidArgument naming the port when a name is unsafe, a sha256 malformed, or a folder empty or with a
    /// name twice.
    static JobInput fromJson(const std::string& port, const nlohmann::json& v);
    nlohmann::json toJson() const;

    /// Puts the input under `portFolder` (the file, or the folder and its files), each file by `place(sha256,
    /// target)`, and returns the path the pipeline reads.
    std::filesystem::path materialise(
        const std::filesystem::path& portFolder,
        const std::function<void(const std::string& sha256, const std::filesystem::path& target)>& place) const;
};

/// [A-Za-z0-9._-], no leading dot, 1 to 128 characters: a name that is one path component and never "." or "..".
bool isSafeName(const std::string& s);

} // namespace strata::remote
