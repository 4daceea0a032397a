#include "strata/DataFileReferences.h"

#include "strata/Error.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace strata {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxHeaderBytes = 1 << 20;

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(const std::string& s)
{
    const auto a = s.find_first_not_of(" \t\r");
    const auto b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> headerLines(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::string text(kMaxHeaderBytes, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
    }
    return lines;
}

/// A LIST (files named after the field) or a printf-style pattern ("slice%03d.raw 1 40 1").
bool isMultiFile(const std::string& value)
{
    return value.find('%') != std::string::npos || value.substr(0, value.find_first_of(" \t")) == "LIST";
}

/// MetaImage: "Key = Value" lines; ElementDataFile is the last field (the pixel data or nothing follows).
void metaImageReferences(const std::vector<std::string>& lines, std::vector<DataFileReference>& out)
{
    for (const auto& line : lines) {
        const auto eq = line.find('=');
        if (eq == std::string::npos || lower(trim(line.substr(0, eq))) != "elementdatafile") continue;
        const std::string value = trim(line.substr(eq + 1));
        if (lower(value) != "local") out.push_back({"ElementDataFile", value, isMultiFile(value)});
        return;
    }
}

/// NRRD: "field: description" lines up to the first empty line (then attached data, if any).
void nrrdReferences(const std::vector<std::string>& lines, std::vector<DataFileReference>& out)
{
    for (std::size_t i = 1; i < lines.size() && !lines[i].empty(); ++i) {
        const auto colon = lines[i].find(':');
        if (lines[i].front() == '#' || colon == std::string::npos) continue;
        const std::string field = lower(trim(lines[i].substr(0, colon)));
        if (field != "data file" && field != "datafile") continue;
        const std::string value = trim(lines[i].substr(colon + 1));
        out.push_back({"data file", value, isMultiFile(value)});
    }
}

bool insideFolder(const fs::path& folder, const std::string& name)
{
    if (name.empty() || name.find("..") != std::string::npos || fs::path(name).has_root_path()) return false;
    std::error_code ec;
    const fs::path base = fs::canonical(folder, ec);
    if (ec) return false;
    const fs::path target = fs::canonical(folder / name, ec); // follows every symbolic link
    if (ec || !fs::is_regular_file(target, ec)) return false;
    const auto [b, t] = std::mismatch(base.begin(), base.end(), target.begin(), target.end());
    return b == base.end() && t != target.end();
}

} // namespace

std::vector<DataFileReference> dataFileReferences(const fs::path& path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return {};
    const std::string name = lower(path.filename().string());
    const auto lines = headerLines(path);
    if (lines.empty()) return {};
    const std::string firstKey = lower(trim(lines.front().substr(0, lines.front().find('='))));
    std::vector<DataFileReference> out;
    if (endsWith(name, ".mha") || endsWith(name, ".mhd") || firstKey == "objecttype" || firstKey == "ndims") {
        metaImageReferences(lines, out);
    }
    if (endsWith(name, ".nrrd") || endsWith(name, ".nhdr") || lines.front().rfind("NRRD", 0) == 0) {
        nrrdReferences(lines, out);
    }
    return out;
}

void requireDataFilesInside(const fs::path& image, const fs::path& folder)
{
    for (const auto& ref : dataFileReferences(image)) {
        if (!ref.multiFile && insideFolder(folder, ref.value)) continue;
        throw InvalidArgument("The header of '" + image.filename().string() + "' refers to pixel data in another file (" +
                              ref.field + "). Only data stored in the image file itself or in a file beside it is read "
                              "here: absolute paths, '..', links out of its folder, LISTs and file patterns are refused.");
    }
}

} // namespace strata
