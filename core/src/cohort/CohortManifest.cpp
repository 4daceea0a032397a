#include "strata/cohort/CohortManifest.h"

#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace strata::cohort {

namespace fs = std::filesystem;

namespace {

std::string trimmed(std::string s)
{
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

/// "knee01.nii.gz" -> "knee01"
std::string stem(const fs::path& p)
{
    std::string name = p.filename().string();
    for (const char* ext : {".nii.gz", ".nii", ".nrrd", ".nhdr", ".mha", ".mhd"}) {
        const std::string e = ext;
        if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
            return name.substr(0, name.size() - e.size());
        }
    }
    return name;
}

std::vector<CohortCase> fromFolder(const fs::path& dir)
{
    std::vector<CohortCase> cases;
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(dir)) entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& p : entries) {
        const auto format = formatFromPath(p);
        const bool volume = format == ImageFormat::Nifti || format == ImageFormat::Nrrd || format == ImageFormat::MetaImage;
        if (!volume && !(fs::is_directory(p) && format == ImageFormat::DicomSeries)) continue;
        if (p.filename().string().find(".labels.") != std::string::npos) continue; // label tables beside label maps
        CohortCase c;
        c.subject = stem(p);
        c.timepoint = "1";
        c.image = p;
        if (!CohortManifest::isSafeName(c.subject)) {
            throw InvalidArgument("Cannot use '" + p.filename().string() +
                                  "' as a cohort case: its name must be letters, digits, '.', '_' or '-'.");
        }
        cases.push_back(std::move(c));
    }
    if (cases.empty()) {
        throw InvalidArgument("The folder '" + dir.string() + "' holds no scans (NIfTI, NRRD, MHA or DICOM folders).");
    }
    return cases;
}

} // namespace

std::vector<std::string> CohortManifest::splitCsvLine(const std::string& line)
{
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

std::vector<CohortCase> CohortManifest::read(const fs::path& manifestOrFolder)
{
    std::error_code ec;
    if (fs::is_directory(manifestOrFolder, ec)) return fromFolder(manifestOrFolder);
    std::ifstream in(manifestOrFolder);
    if (!in) throw IoError("Cannot read the cohort manifest '" + manifestOrFolder.string() + "': no such file.");
    const std::string where = "Cohort manifest '" + manifestOrFolder.string() + "'";
    std::string line;
    if (!std::getline(in, line)) throw InvalidArgument(where + " is empty.");
    std::map<std::string, std::size_t> column;
    const auto header = splitCsvLine(line);
    for (std::size_t i = 0; i < header.size(); ++i) {
        std::string name = trimmed(header[i]);
        if (i == 0 && name.rfind("\xEF\xBB\xBF", 0) == 0) name = name.substr(3); // a spreadsheet's BOM
        column[name] = i;
    }
    for (const char* required : {"subject", "timepoint", "image"}) {
        if (!column.count(required)) {
            throw InvalidArgument(where + " has no '" + required + "' column (its first line must name the columns "
                                  "subject,timepoint,image[,labels]).");
        }
    }
    const fs::path base = manifestOrFolder.parent_path();
    auto resolve = [&base](const std::string& p) { return p.empty() || fs::path(p).is_absolute() ? fs::path(p) : base / p; };
    std::vector<CohortCase> cases;
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t number = 2; std::getline(in, line); ++number) {
        if (trimmed(line).empty()) continue;
        const auto f = splitCsvLine(line);
        auto field = [&](const char* name) {
            const auto it = column.find(name);
            return it != column.end() && it->second < f.size() ? trimmed(f[it->second]) : std::string();
        };
        CohortCase c;
        c.subject = field("subject");
        c.timepoint = field("timepoint");
        c.image = resolve(field("image"));
        c.labels = resolve(field("labels"));
        c.line = number;
        const std::string at = where + " line " + std::to_string(number) + ": ";
        if (!CohortManifest::isSafeName(c.subject) || !CohortManifest::isSafeName(c.timepoint)) {
            throw InvalidArgument(at + "subject and timepoint must be letters, digits, '.', '_' or '-' (they name "
                                       "the case's result folder), got '" + c.subject + "', '" + c.timepoint + "'.");
        }
        if (c.image.empty()) throw InvalidArgument(at + "no image.");
        if (!seen.insert({c.subject, c.timepoint}).second) {
            throw InvalidArgument(at + "subject '" + c.subject + "' at timepoint '" + c.timepoint + "' is listed twice.");
        }
        cases.push_back(std::move(c));
    }
    if (cases.empty()) throw InvalidArgument(where + " lists no cases.");
    return cases;
}

bool CohortManifest::isSafeName(const std::string& s)
{
    if (s.empty() || s.size() > 128 || s == "." || s == "..") return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
}

} // namespace strata::cohort
