#pragma once

#include "AuthService.h"
#include "ServerContext.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace strata::remote {

/// Uploads and the blob store: resumable chunked uploads per token (uploads/<token id>/<sha256>.part and .json),
/// checked by their sha256 and moved into blobs/<sha256> (stored once, visible only to the tokens that uploaded
/// them), the disk quota, and the expiry of unused blobs and abandoned uploads.
class UploadService {
public:
    /// `makeRoom(extra)` removes old finished results until `extra` more bytes fit the disk quota.
    UploadService(ServerContext& ctx, AuthService& auth, std::function<void(std::uint64_t extra)> makeRoom)
        : ctx_(ctx), auth_(auth), makeRoom_(std::move(makeRoom))
    {
    }

    /// POST /uploads {sha256, size, name}: 200 when the caller has the blob already, else 201 and the upload's state.
    void start(const httplib::Request& req, httplib::Response& res);
    /// PUT /uploads/{sha256}[?offset=N]: appends one chunk; the last one checks the hash and stores the blob.
    void putChunk(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);
    /// GET /uploads/{sha256}.
    void state(const httplib::Request& req, httplib::Response& res);

    /// The caller's view of an upload: complete when it owns the blob, else its own partial upload; 404 when
    /// neither (even if another token stored the same bytes).
    [[nodiscard]] nlohmann::json uploadState(const Caller& c, const std::string& sha);
    /// Puts blob `sha` at `target` (a hard link; a copy where links fail).
    void linkBlob(const std::string& sha, const std::filesystem::path& target);
    /// Removes blobs no unfinished job needs and partial uploads, both older than the retention time
    /// (`cutoff`: unix seconds).
    void removeExpired(std::int64_t cutoff);

private:
    /// The owner's partial uploads: uploads/<token id>/<sha256>.part and .json (two tokens never share one).
    [[nodiscard]] std::filesystem::path uploadsDir(const std::string& owner) const;
    [[nodiscard]] std::shared_ptr<std::mutex> uploadLock(const std::string& owner, const std::string& sha);
    /// 507 when `extra` bytes do not fit the disk quota even after old results were removed.
    void checkQuota(std::uint64_t extra);

    ServerContext& ctx_;
    AuthService& auth_;
    std::function<void(std::uint64_t)> makeRoom_;
    std::mutex uploadLocksMutex_;
    std::map<std::string, std::shared_ptr<std::mutex>> uploadLocks_; ///< by "<owner>/<sha256>"
};

} // namespace strata::remote
