#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace strata::remote {

/// One API token as the store lists it (never its secret).
struct TokenInfo {
    std::string id;
    std::string name;
    bool admin{false};
    bool revoked{false};
    std::int64_t created{0};
    std::int64_t lastUsed{0};
};

/// One job as the store keeps it. request: {"pipeline", "parameters", "inputs": {port: {"sha256", "name"}},
/// "device", "threads"}. files: [{"path", "size", "sha256"}] of the finished bundle.
struct JobRecord {
    std::string id;
    std::string owner; ///< token id
    std::string pipeline;
    std::string state; ///< queued | running | succeeded | failed | cancelled
    std::string message;
    nlohmann::json request = nlohmann::json::object();
    nlohmann::json progress = nlohmann::json::object();
    nlohmann::json files = nlohmann::json::array();
    int attempts{0};
    bool cancelRequested{false};
    std::int64_t created{0};
    std::int64_t started{0};
    std::int64_t finished{0};

    [[nodiscard]] bool terminal() const { return state == "succeeded" || state == "failed" || state == "cancelled"; }
    /// The job as the API shows it (GET jobs/{id}).
    [[nodiscard]] nlohmann::json toJson() const;
};

/// A cohort submitted as one job group: one job per case. cases: [{"subject", "timepoint", "job"}].
struct CohortRecord {
    std::string id;
    std::string owner; ///< token id
    std::string pipeline;
    nlohmann::json cases = nlohmann::json::array();
    std::int64_t created{0};
};

/// The server's embedded SQLite store (WAL): tokens (hashes only), content-addressed blobs and jobs.
/// Thread-safe (one connection behind a mutex); `strata-server token ...` may open it while a server runs.
class Database {
public:
    explicit Database(const std::filesystem::path& file);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Tokens: only SHA-256 hashes of the secrets are stored.
    /// Returns the new token's info and its secret (shown once).
    [[nodiscard]] std::pair<TokenInfo, std::string> createToken(const std::string& name, bool admin);
    [[nodiscard]] std::vector<TokenInfo> tokens();
    /// By id or name; false if none matched.
    bool revokeToken(const std::string& idOrName);
    /// The live (not revoked) token with this secret.
    [[nodiscard]] std::optional<TokenInfo> findToken(const std::string& secret);
    [[nodiscard]] int liveTokenCount();

    // Blobs (files under data/blobs/<sha256>): stored once, visible per owner. A token sees, uses and is told
    // about only the blobs it uploaded itself (blob_owners rows), even when another token stored the same bytes.
    /// Whether the bytes are stored (whoever uploaded them): an upload that completes reuses them.
    [[nodiscard]] bool hasBlob(const std::string& sha256);
    /// Whether `owner` (a token id) uploaded this blob.
    [[nodiscard]] bool ownsBlob(const std::string& sha256, const std::string& owner);
    /// Records the blob and `owner` as one of its owners (refreshes its retention time).
    void addBlob(const std::string& sha256, std::uint64_t size, const std::string& owner);
    /// Forgets the blob and every owner of it.
    void removeBlob(const std::string& sha256);
    /// Blobs no unfinished job needs, created (or last uploaded) before `before` (unix seconds).
    [[nodiscard]] std::vector<std::string> unreferencedBlobs(std::int64_t before);

    // Jobs.
    void insertJob(const JobRecord& job);
    [[nodiscard]] std::optional<JobRecord> job(const std::string& id);
    /// Newest first; owner empty = every owner.
    [[nodiscard]] std::vector<JobRecord> jobs(const std::string& owner, int limit);
    /// Atomically marks the next queued job running and returns it. Fair: the owner with the fewest running
    /// jobs first, then submission order.
    [[nodiscard]] std::optional<JobRecord> claimNextQueued();
    void setProgress(const std::string& id, const nlohmann::json& progress);
    void finishJob(const std::string& id, const std::string& state, const std::string& message,
                   const nlohmann::json& files);
    /// Marks a cancel; a queued job becomes cancelled at once. Returns the job's state afterwards.
    std::string requestCancel(const std::string& id);
    /// Jobs left "running" by a dead process: back to queued (or failed after maxAttempts, or cancelled when a
    /// cancel was requested). Returns the ids put back in the queue.
    std::vector<std::string> requeueInterrupted(int maxAttempts);
    [[nodiscard]] int countByState(const std::string& state);

    // Jobs run by external workers (strata-worker), from their events.
    /// Queued and running jobs, oldest first.
    [[nodiscard]] std::vector<JobRecord> activeJobs();
    /// A worker started run `attempt` of a queued or running job; false if the job is finished or gone.
    bool markStarted(const std::string& id, int attempt);
    /// finishJob for a job that is not finished yet; false (nothing changes) for a second completion.
    bool finishActiveJob(const std::string& id, const std::string& state, const std::string& message,
                         const nlohmann::json& files, int attempts);
    void deleteJob(const std::string& id);

    // Cohorts (job groups): the group's cases and their jobs; the jobs themselves are ordinary jobs.
    /// The cohort and its cases' jobs in one transaction: all stored, or (an error, e.g. a full disk) none.
    void insertCohort(const CohortRecord& cohort, const std::vector<JobRecord>& jobs);
    [[nodiscard]] std::optional<CohortRecord> cohort(const std::string& id);
    /// Newest first; owner empty = every owner.
    [[nodiscard]] std::vector<CohortRecord> cohorts(const std::string& owner, int limit);
    /// Finished jobs, oldest first; finished before `before` when before > 0.
    [[nodiscard]] std::vector<std::string> finishedJobs(std::int64_t before);

private:
    void exec(const std::string& sql);
    bool hasTable(const std::string& name);

    sqlite3* db_{nullptr};
    std::recursive_mutex mutex_;
};

/// Random bytes as lower-case hex (OpenSSL RAND_bytes).
[[nodiscard]] std::string randomHex(std::size_t bytes);
/// Seconds since 1970 (UTC).
[[nodiscard]] std::int64_t unixNow();

} // namespace strata::remote
