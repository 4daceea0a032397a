#include "strata/remote/SharedStore.h"

#include "strata/Error.h"
#include "strata/Sha256.h"

#include <algorithm>
#include <cstdio>

namespace strata::remote {

namespace fs = std::filesystem;
using nlohmann::json;

DirectoryStore::DirectoryStore(fs::path dataDir) : dataDir_(std::move(dataDir))
{
    if (!fs::is_directory(dataDir_)) {
        throw IoError("The data directory '" + dataDir_.string() + "' does not exist: give workers the server's "
                      "--data-dir (a shared directory both reach).");
    }
    fs::create_directories(dataDir_ / "blobs"); // a worker may start before the server on a fresh volume
    fs::create_directories(dataDir_ / "jobs");
}

void DirectoryStore::fetchInput(const std::string& sha256, const fs::path& target)
{
    if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
        throw InvalidArgument("'" + sha256 + "' is not a SHA-256 (64 lower-case hex digits).");
    }
    const fs::path blob = dataDir_ / "blobs" / sha256;
    if (!fs::exists(blob)) throw IoError("Input " + sha256 + " is not in the shared store '" + dataDir_.string() + "'.");
    std::error_code ec;
    fs::create_directories(target.parent_path());
    fs::remove(target, ec);
    fs::create_hard_link(blob, target, ec);
    if (ec) fs::copy_file(blob, target, fs::copy_options::overwrite_existing);
}

bool DirectoryStore::hasBundle(const std::string& jobId)
{
    std::error_code ec;
    return fs::is_directory(bundleDir(jobId), ec);
}

bool DirectoryStore::publishBundle(const std::string& jobId, const fs::path& staged)
{
    // rename(2) of a directory onto a missing name is atomic; onto a non-empty directory it fails: first wins.
    std::error_code ec;
    fs::rename(staged, bundleDir(jobId), ec);
    if (!ec) {
        // Scratch of earlier runs of this job (a worker killed mid-run) is of no use any more.
        for (const auto& e : fs::directory_iterator(bundleDir(jobId).parent_path(), ec)) {
            if (e.path().filename().string().rfind(".run-", 0) == 0 && e.path() != staged.parent_path()) {
                std::error_code ignored;
                fs::remove_all(e.path(), ignored);
            }
        }
        return true;
    }
    if (hasBundle(jobId)) {
        fs::remove_all(staged, ec);
        return false;
    }
    throw IoError("Cannot move the result of job " + jobId + " into '" + bundleDir(jobId).string() + "': " + ec.message() + ".");
}

json DirectoryStore::listBundle(const std::string& jobId)
{
    const fs::path dir = bundleDir(jobId);
    std::vector<fs::path> paths;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    json files = json::array();
    for (const auto& p : paths) {
        files.push_back({{"path", fs::relative(p, dir).generic_string()}, {"size", fs::file_size(p)}, {"sha256", Sha256::ofPath(p)}});
    }
    return files;
}

fs::path DirectoryStore::scratchDir(const std::string& jobId, const std::string& runId)
{
    const fs::path dir = dataDir_ / "jobs" / jobId / (".run-" + runId);
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    return dir;
}

} // namespace strata::remote
