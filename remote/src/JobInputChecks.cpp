#include "JobService.h"

#include "HttpSupport.h"
#include "PathRedaction.h"
#include "strata/DataFileReferences.h"
#include "strata/ImageIO.h"

#include <set>

namespace strata::remote {

void JobService::checkInputDataFiles(const std::string& port, const fs::path& local)
{
    try {
        requireDataFilesInside(local, local.parent_path());
    } catch (const InvalidArgument& e) {
        throw HttpError(400, "bad_input", "Input '" + port + "': " + e.what(), {{"input", port}});
    }
}

void JobService::checkInputSize(const std::string& port, const fs::path& local, const fs::path& jobFolder,
                                  const pipeline::PipelineManifest& manifest)
{
    Size3 size{};
    try {
        size = readImageSize(local);
    } catch (const Error& e) {
        throw HttpError(400, "bad_input", "Input '" + port + "': " + withoutServerPath(e.what(), jobFolder, "the job folder"),
                        {{"input", port}});
    }
    const std::uint64_t voxels = static_cast<std::uint64_t>(size[0]) * size[1] * size[2];
    if (voxels > ctx_.config.maxVoxels) {
        throw HttpError(413, "limit_exceeded",
                        "Input '" + port + "' has " + std::to_string(voxels) + " voxels; this server accepts at most " +
                            std::to_string(ctx_.config.maxVoxels) + ".",
                        {{"limit", "max_voxels"}, {"max", ctx_.config.maxVoxels}, {"value", voxels}});
    }
    const auto need = static_cast<std::uint64_t>(static_cast<double>(voxels) * manifest.memoryBytesPerVoxel);
    if (need > ctx_.jobMemoryBudget) {
        throw HttpError(413, "limit_exceeded",
                        "Input '" + port + "' (" + std::to_string(voxels) + " voxels) needs about " +
                            std::to_string(need >> 20) + " MiB to analyse with '" + manifest.id +
                            "'; this server gives one job at most " + std::to_string(ctx_.jobMemoryBudget >> 20) + " MiB.",
                        {{"limit", "max_job_memory_bytes"}, {"max", ctx_.jobMemoryBudget}, {"value", need}});
    }
}

namespace {

/// The caller's own, complete upload `sha`; 400 unknown_upload otherwise (another token's bytes are unknown to it).
void requireOwnUpload(Database& db, const fs::path& blobs, const std::string& callerToken, const std::string& port,
                      const std::string& sha)
{
    if (!isHex64(sha) || !db.ownsBlob(sha, callerToken) || !fs::exists(blobs / sha)) {
        throw HttpError(400, "unknown_upload",
                        "Input '" + port + "' refers to " + (sha.empty() ? "nothing" : sha) +
                            ", which is not on the server; upload it first.",
                        {{"input", port}});
    }
}

} // namespace

JobInput JobService::fileInput(const Caller& c, const std::string& port, const json& v)
{
    const std::string sha = v.is_string() ? v.get<std::string>() : v.value("sha256", "");
    requireOwnUpload(*ctx_.db, ctx_.blobsDir(), c.tokenId, port, sha);
    JobInput in;
    in.name = safeFileName(v.is_object() ? v.value("name", "input") : "input");
    in.files.push_back({sha, in.name});
    return in;
}

JobInput JobService::folderInput(const Caller& c, const std::string& port, const json& v)
{
    const json& list = v["files"];
    if (list.empty()) {
        throw HttpError(400, "bad_request", "Input '" + port + "' is a folder without files.",
                        {{"field", "inputs." + port + ".files"}});
    }
    if (list.size() > ctx_.config.maxInputFiles) {
        throw HttpError(413, "limit_exceeded",
                        "Input '" + port + "' is a folder of " + std::to_string(list.size()) +
                            " files; this server accepts at most " + std::to_string(ctx_.config.maxInputFiles) + ".",
                        {{"limit", "max_input_files"}, {"max", ctx_.config.maxInputFiles}, {"value", list.size()}});
    }
    JobInput in;
    in.folder = true;
    in.name = safeFileName(v.value("name", port));
    std::set<std::string> names;
    std::uint64_t total = 0;
    for (const json& f : list) {
        if (!f.is_object() || !f.contains("sha256") || !f["sha256"].is_string() ||
            (f.contains("name") && !f["name"].is_string())) {
            throw HttpError(400, "bad_request",
                            "Each file of input '" + port + "' must be {\"sha256\": ..., \"name\": ...}, got " +
                                jsonPreview(f) + ".",
                            {{"field", "inputs." + port + ".files"}});
        }
        const std::string sha = f["sha256"];
        requireOwnUpload(*ctx_.db, ctx_.blobsDir(), c.tokenId, port, sha);
        // Names become one safe file name each ([A-Za-z0-9._-], no leading dot, no folders): "../x" is "x".
        const std::string name = safeFileName(f.value("name", "file"));
        if (!names.insert(name).second) {
            throw HttpError(400, "bad_input",
                            "Input '" + port + "' holds two files named '" + name + "' (names are reduced to letters, "
                            "digits, '.', '_' and '-'); rename one.",
                            {{"input", port}});
        }
        std::error_code ec;
        total += fs::file_size(ctx_.blobsDir() / sha, ec);
        if (total > ctx_.config.maxUploadBytes) {
            throw HttpError(413, "limit_exceeded",
                            "Input '" + port + "' holds more than " + std::to_string(ctx_.config.maxUploadBytes) +
                                " bytes, this server's limit for one input.",
                            {{"limit", "max_upload_bytes"}, {"max", ctx_.config.maxUploadBytes}});
        }
        in.files.push_back({sha, name});
    }
    return in;
}

} // namespace strata::remote
