#include "UploadService.h"

#include "HttpSupport.h"
#include "strata/Sha256.h"
#include "strata/remote/Log.h"

#include <charconv>
#include <fstream>
#include <system_error>
#include <regex>

namespace strata::remote {

fs::path UploadService::uploadsDir(const std::string& owner) const
{
    // Token ids are random hex ("anonymous" without a token); anything else must never become a path.
    static const std::regex safe("[A-Za-z0-9_-]{1,64}");
    if (!std::regex_match(owner, safe)) throw std::logic_error("An upload owner is not a safe folder name.");
    return ctx_.uploadsDir() / owner;
}

std::shared_ptr<std::mutex> UploadService::uploadLock(const std::string& owner, const std::string& sha)
{
    std::lock_guard lock(uploadLocksMutex_);
    auto& m = uploadLocks_[owner + "/" + sha];
    if (!m) m = std::make_shared<std::mutex>();
    return m;
}

json UploadService::uploadState(const Caller& c, const std::string& sha)
{
    if (ctx_.db->ownsBlob(sha, c.tokenId) && fs::exists(ctx_.blobsDir() / sha)) {
        return {{"sha256", sha}, {"complete", true}, {"offset", fs::file_size(ctx_.blobsDir() / sha)},
                {"size", fs::file_size(ctx_.blobsDir() / sha)}};
    }
    const auto meta = uploadsDir(c.tokenId) / (sha + ".json");
    if (!fs::exists(meta)) {
        throw HttpError(404, "unknown_upload", "No upload of " + sha + "; start it with POST /api/v1/uploads.");
    }
    const json m = json::parse(std::ifstream(meta), nullptr, false);
    std::error_code ec;
    const auto part = uploadsDir(c.tokenId) / (sha + ".part");
    const std::uint64_t offset = fs::exists(part, ec) ? fs::file_size(part, ec) : 0;
    return {{"sha256", sha}, {"complete", false}, {"offset", offset}, {"size", m.value("size", 0ull)},
            {"chunk_bytes", ctx_.config.maxChunkBytes}};
}

void UploadService::checkQuota(std::uint64_t extra)
{
    if (ctx_.config.diskQuotaBytes == 0) return;
    const auto used = directorySize(ctx_.config.dataDir);
    if (used + extra > ctx_.config.diskQuotaBytes) {
        makeRoom_(extra);
        if (directorySize(ctx_.config.dataDir) + extra > ctx_.config.diskQuotaBytes) {
            throw HttpError(507, "limit_exceeded", "The server's disk quota is full.",
                            {{"limit", "disk_quota_bytes"}, {"max", ctx_.config.diskQuotaBytes}});
        }
    }
}

void UploadService::start(const httplib::Request& req, httplib::Response& res)
{
    const Caller c = auth_.caller(req);
    const json body = parseBody(req);
    const std::string sha = stringField(body, "sha256", "");
    if (!isHex64(sha)) {
        throw HttpError(400, "bad_request", "'sha256' must be 64 lower-case hex digits.", {{"field", "sha256"}});
    }
    if (!body.contains("size") || !body["size"].is_number_unsigned() || body["size"].get<std::uint64_t>() == 0) {
        throw HttpError(400, "bad_request", "'size' must be a positive integer (bytes).", {{"field", "size"}});
    }
    const auto size = body["size"].get<std::uint64_t>();
    if (size > ctx_.config.maxUploadBytes) {
        throw HttpError(413, "limit_exceeded",
                        "The file is " + std::to_string(size) + " bytes; this server accepts at most " +
                            std::to_string(ctx_.config.maxUploadBytes) + " bytes per upload.",
                        {{"limit", "max_upload_bytes"}, {"max", ctx_.config.maxUploadBytes}, {"value", size}});
    }
    auto lock = uploadLock(c.tokenId, sha);
    std::lock_guard guard(*lock);
    // Only the caller's own blobs count: bytes another token stored are sent again (and then shared on disk),
    // so the answer never tells whether someone else has this file.
    if (ctx_.db->ownsBlob(sha, c.tokenId) && fs::exists(ctx_.blobsDir() / sha)) {
        sendJson(res, 200, uploadState(c, sha));
        return;
    }
    checkQuota(size);
    const fs::path dir = uploadsDir(c.tokenId);
    fs::create_directories(dir);
    const auto meta = dir / (sha + ".json");
    if (fs::exists(meta)) {
        const json m = json::parse(std::ifstream(meta), nullptr, false);
        if (m.is_discarded() || m.value("size", 0ull) != size) {
            fs::remove(dir / (sha + ".part"));
        }
    }
    {
        std::ofstream out(meta);
        out << json{{"size", size}, {"name", safeFileName(stringField(body, "name", "input"))}}.dump();
        out.close();
        if (!out) { // a full disk: no half-written description left behind (the guard answers 507)
            std::error_code ec;
            fs::remove(meta, ec);
            throw std::system_error(std::make_error_code(std::errc::no_space_on_device), "cannot store the upload's description");
        }
    }
    sendJson(res, 201, uploadState(c, sha));
}

void UploadService::putChunk(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader)
{
    const Caller c = auth_.caller(req);
    const std::string sha = req.matches[1];
    if (!req.has_header("Content-Length")) {
        throw HttpError(411, "length_required", "Chunks need a Content-Length header.");
    }
    const auto length = req.get_header_value<std::uint64_t>("Content-Length");
    if (length > ctx_.config.maxChunkBytes) {
        res.set_header("Connection", "close");
        throw HttpError(413, "limit_exceeded",
                        "A chunk may hold at most " + std::to_string(ctx_.config.maxChunkBytes) + " bytes.",
                        {{"limit", "max_chunk_bytes"}, {"max", ctx_.config.maxChunkBytes}, {"value", length}});
    }
    std::optional<std::uint64_t> offset;
    if (req.has_param("offset")) {
        const std::string text = req.get_param_value("offset");
        std::uint64_t value = 0;
        const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || err != std::errc() || end != text.data() + text.size()) {
            res.set_header("Connection", "close");
            throw HttpError(400, "bad_request", "'offset' must be a whole number of bytes.", {{"field", "offset"}});
        }
        offset = value;
    }
    auto lock = uploadLock(c.tokenId, sha);
    std::lock_guard guard(*lock);
    json state = uploadState(c, sha);
    if (state["complete"].get<bool>()) {
        reader([](const char*, size_t) { return true; });
        sendJson(res, 200, state);
        return;
    }
    const std::uint64_t size = state["size"], current = state["offset"];
    if (offset.value_or(current) != current) {
        res.set_header("Connection", "close");
        throw HttpError(409, "offset_mismatch",
                        "The server has " + std::to_string(current) + " bytes of this upload; send from there.",
                        {{"offset", current}});
    }
    if (current + length > size) {
        res.set_header("Connection", "close");
        throw HttpError(400, "bad_request", "The chunk goes past the declared size of the upload.",
                        {{"field", "offset"}});
    }
    const fs::path dir = uploadsDir(c.tokenId);
    const auto part = dir / (sha + ".part");
    bool diskFull = false;
    {
        std::ofstream out(part, std::ios::binary | std::ios::app);
        std::uint64_t received = 0;
        reader([&](const char* data, size_t n) {
            received += n;
            if (received > length) return false;
            out.write(data, static_cast<std::streamsize>(n));
            return static_cast<bool>(out);
        });
        out.flush();
        diskFull = !out;
    } // a dropped connection keeps what arrived: the client resumes from the new offset
    std::error_code ec;
    if (diskFull) { // what reached the disk stays (the offset says how much); the client may resume later
        logEvent("error", "upload_disk_full", {{"sha256", sha}, {"owner", c.tokenId}});
        res.set_header("Connection", "close");
        throw HttpError(507, "insufficient_storage",
                        "The server could not store this chunk: its disk is full. What arrived before is kept; resume "
                        "the upload when there is room.",
                        {{"offset", fs::file_size(part, ec)}});
    }
    const std::uint64_t now = fs::file_size(part, ec);
    if (now == size) {
        const std::string actual = Sha256::ofPath(part);
        if (actual != sha) {
            fs::remove(part, ec);
            fs::remove(dir / (sha + ".json"), ec);
            throw HttpError(400, "sha256_mismatch",
                            "The uploaded bytes hash to " + actual + ", not " + sha + "; upload again.");
        }
        fs::create_directories(ctx_.blobsDir());
        if (ctx_.db->hasBlob(sha) && fs::exists(ctx_.blobsDir() / sha)) {
            fs::remove(part, ec); // another token stored these bytes: share them (jobs may link to that file)
        } else {
            fs::rename(part, ctx_.blobsDir() / sha);
        }
        fs::remove(dir / (sha + ".json"), ec);
        ctx_.db->addBlob(sha, size, c.tokenId);
        logEvent("info", "upload_complete", {{"sha256", sha}, {"size", size}, {"owner", c.tokenId}});
    }
    sendJson(res, 200, uploadState(c, sha));
}

void UploadService::state(const httplib::Request& req, httplib::Response& res)
{
    sendJson(res, 200, uploadState(auth_.caller(req), req.matches[1]));
}

void UploadService::linkBlob(const std::string& sha, const fs::path& target)
{
    std::error_code ec;
    fs::create_directories(target.parent_path());
    fs::remove(target, ec);
    fs::create_hard_link(ctx_.blobsDir() / sha, target, ec);
    if (ec) {
        fs::copy_file(ctx_.blobsDir() / sha, target, fs::copy_options::overwrite_existing);
    }
}

void UploadService::removeExpired(std::int64_t cutoff)
{
    std::error_code ec;
    for (const auto& sha : ctx_.db->unreferencedBlobs(cutoff)) {
        fs::remove(ctx_.blobsDir() / sha, ec);
        ctx_.db->removeBlob(sha);
    }
    // Partial uploads: uploads/<owner>/<sha256>.part|.json (files left in uploads/ by older versions too).
    const auto expired = [this](const fs::path& p) {
        std::error_code timeError;
        const auto age = fs::file_time_type::clock::now() - fs::last_write_time(p, timeError);
        return !timeError && age > std::chrono::duration<double>(ctx_.config.retentionHours * 3600);
    };
    for (const auto& e : fs::directory_iterator(ctx_.uploadsDir(), ec)) {
        if (e.is_directory(ec)) {
            for (const auto& f : fs::directory_iterator(e.path(), ec)) {
                if (expired(f.path())) fs::remove(f.path(), ec);
            }
            if (fs::is_empty(e.path(), ec) && expired(e.path())) fs::remove(e.path(), ec);
        } else if (expired(e.path())) {
            fs::remove(e.path(), ec);
        }
    }
}

} // namespace strata::remote
