#include "JobInput.h"

#include "strata/Error.h"

#include <algorithm>
#include <set>

namespace strata::remote {

namespace fs = std::filesystem;
using nlohmann::json;

bool isSafeName(const std::string& s)
{
    if (s.empty() || s.size() > 128 || s.front() == '.') return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
}

namespace {

bool isSha256(const std::string& s)
{
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

JobInput::File fileOf(const std::string& port, const json& v)
{
    if (!v.is_object() || !v.contains("sha256") || !v["sha256"].is_string()) {
        throw InvalidArgument("Input '" + port + "' has a file without a sha256.");
    }
    JobInput::File f{v["sha256"].get<std::string>(), v.value("name", std::string("input"))};
    if (!isSha256(f.sha256) || !isSafeName(f.name)) {
        throw InvalidArgument("Input '" + port + "' names a file unsafely.");
    }
    return f;
}

} // namespace

JobInput JobInput::fromJson(const std::string& port, const json& v)
{
    JobInput in;
    if (!v.is_object()) throw InvalidArgument("Input '" + port + "' is not an object.");
    if (!v.contains("files")) {
        const File f = fileOf(port, v);
        in.name = f.name;
        in.files.push_back(f);
        return in;
    }
    in.folder = true;
    in.name = v.value("name", std::string("input"));
    if (!isSafeName(in.name)) throw InvalidArgument("Input '" + port + "' names its folder unsafely.");
    if (!v["files"].is_array() || v["files"].empty()) throw InvalidArgument("Input '" + port + "' is an empty folder.");
    std::set<std::string> names;
    for (const json& f : v["files"]) {
        in.files.push_back(fileOf(port, f));
        if (!names.insert(in.files.back().name).second) {
            throw InvalidArgument("Input '" + port + "' holds two files named '" + in.files.back().name + "'.");
        }
    }
    return in;
}

json JobInput::toJson() const
{
    if (!folder) return {{"sha256", files.front().sha256}, {"name", name}};
    json list = json::array();
    for (const File& f : files) list.push_back({{"sha256", f.sha256}, {"name", f.name}});
    return {{"name", name}, {"files", list}};
}

fs::path JobInput::materialise(const fs::path& portFolder,
                               const std::function<void(const std::string&, const fs::path&)>& place) const
{
    const fs::path target = portFolder / name;
    if (!folder) {
        place(files.front().sha256, target);
        return target;
    }
    std::error_code ec;
    fs::remove_all(target, ec); // what an earlier, interrupted attempt left
    fs::create_directories(target);
    for (const File& f : files) place(f.sha256, target / f.name);
    return target;
}

} // namespace strata::remote
