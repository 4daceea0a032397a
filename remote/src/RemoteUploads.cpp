// RemoteExecutor's uploads: content-addressed, chunked and resumed after a dropped connection.
#include "strata/remote/RemoteExecutor.h"

#include "RemoteTransfer.h"
#include "strata/Error.h"
#include "strata/Progress.h"
#include "strata/Sha256.h"

#include <algorithm>
#include <fstream>

namespace strata::remote {

using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::vector<pipeline::PipelineManifest> RemoteExecutor::pipelines() const
{
    ApiClient client(endpoint_);
    const auto r = ApiClient::expect(client.get("/pipelines"), {200}, "Listing the server's pipelines");
    std::vector<pipeline::PipelineManifest> out;
    for (const auto& m : r.body) out.push_back(pipeline::PipelineManifest::fromJson(m));
    return out;
}

std::string RemoteExecutor::upload(const fs::path& file, pipeline::ProgressSink& sink, std::stop_token stop)
{
    std::error_code ec;
    if (fs::is_directory(file, ec)) {
        throw InvalidArgument("'" + file.string() + "' is a folder: upload its files (uploadInput does).");
    }
    if (!fs::is_regular_file(file, ec)) throw IoError("Input file '" + file.string() + "' does not exist.");
    const auto t0 = Clock::now();
    const std::uint64_t size = fs::file_size(file);
    const std::string title = "Uploading " + file.filename().string();
    transferProgress(sink, "upload", title + " (hashing)", 0, size, 0.0, t0);
    const std::string sha = Sha256::ofPath(file);
    ApiClient client(endpoint_);
    json state = ApiClient::expect(client.post("/uploads", {{"sha256", sha}, {"size", size}, {"name", file.filename().string()}}),
                                   {200, 201}, "Starting the upload of '" + file.filename().string() + "'")
                     .body;
    std::ifstream in(file, std::ios::binary);
    bool first = true;
    int failures = 0;
    while (!state.value("complete", false)) {
        throwIfStopped(stop);
        const std::uint64_t offset = state.value("offset", 0ull);
        if (first) {
            stats_.resumedFrom = offset;
            first = false;
        }
        transferProgress(sink, "upload", title, offset, size, 0.0, t0);
        const std::uint64_t chunkMax = std::min<std::uint64_t>(state.value("chunk_bytes", 8ull << 20), 8ull << 20);
        const std::uint64_t n = std::min<std::uint64_t>(chunkMax, size - offset);
        std::string chunk(n, '\0');
        in.clear();
        in.seekg(static_cast<std::streamoff>(offset));
        in.read(chunk.data(), static_cast<std::streamsize>(n));
        if (static_cast<std::uint64_t>(in.gcount()) != n) throw IoError("Cannot read '" + file.string() + "'.");
        try {
            const auto r = client.put("/uploads/" + sha + "?offset=" + std::to_string(offset), chunk);
            if (r.status == 409 && r.body.is_object()) { // the server has another offset: continue from there
                state = client.get("/uploads/" + sha).body;
                continue;
            }
            state = ApiClient::expect(r, {200}, "Uploading '" + file.filename().string() + "'").body;
            stats_.bytesUploaded += n;
            failures = 0;
        } catch (const RemoteError& e) {
            if (e.kind() == RemoteError::Kind::Http || e.kind() == RemoteError::Kind::Unauthorized || ++failures > 6) {
                throw;
            }
            // A dropped connection: wait, ask how much arrived, go on from there.
            sink.log(std::string("Upload interrupted (") + e.what() + "); resuming.");
            sleepOrStop(stop, std::chrono::milliseconds(250 << std::min(failures, 5)));
            try {
                state = ApiClient::expect(client.get("/uploads/" + sha), {200}, "Resuming the upload").body;
            } catch (const RemoteError&) {
            }
        }
    }
    transferProgress(sink, "upload", title, size, size, 0.0, t0);
    return sha;
}

json RemoteExecutor::uploadInput(const fs::path& path, pipeline::ProgressSink& sink, std::stop_token stop)
{
    std::error_code ec;
    if (!fs::is_directory(path, ec)) return {{"sha256", upload(path, sink, stop)}, {"name", path.filename().string()}};
    // A folder (a DICOM series): its files, not its sub-folders (the series reader does not look there either);
    // the server puts them back together as one folder.
    const fs::path folder = withoutTrailingSlash(path);
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(folder)) {
        if (e.is_regular_file(ec)) files.push_back(e.path());
    }
    if (files.empty()) throw InvalidArgument("The folder '" + folder.string() + "' holds no files.");
    std::sort(files.begin(), files.end());
    json list = json::array();
    for (const fs::path& f : files) list.push_back({{"sha256", upload(f, sink, stop)}, {"name", f.filename().string()}});
    return {{"name", folder.filename().string()}, {"files", list}};
}

} // namespace strata::remote
