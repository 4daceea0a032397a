#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace strata::remote {

/// Where inputs (content-addressed blobs) and result bundles live, reachable by the server and every worker.
/// DirectoryStore (a shared directory: the server's data directory on NFS, a ReadWriteMany volume, ...) is the
/// only one so far; an S3-compatible store would implement the same four calls (download the blob, upload the
/// bundle under a temporary key and copy it into place, list it).
class SharedStore {
public:
    virtual ~SharedStore() = default;
    /// Puts the bytes of blob `sha256` at `target` (a local path the pipeline reads).
    virtual void fetchInput(const std::string& sha256, const std::filesystem::path& target) = 0;
    /// Whether the job's bundle is in place (complete: bundles appear atomically).
    [[nodiscard]] virtual bool hasBundle(const std::string& jobId) = 0;
    /// Moves a finished local bundle into place atomically. If the job has a bundle already (another run got
    /// there first) that one stays and `staged` is discarded: a job id always maps to one complete bundle.
    /// Returns true if `staged` became the bundle.
    virtual bool publishBundle(const std::string& jobId, const std::filesystem::path& staged) = 0;
    /// [{"path", "size", "sha256"}] of the job's bundle, sorted by path.
    [[nodiscard]] virtual nlohmann::json listBundle(const std::string& jobId) = 0;
    /// A local scratch folder for one run of the job (inputs, staging); the caller removes it.
    [[nodiscard]] virtual std::filesystem::path scratchDir(const std::string& jobId, const std::string& runId) = 0;
};

/// The server's data-directory layout: DIR/blobs/<sha256>, DIR/jobs/<id>/bundle/ (what strata-server serves).
/// Runs stage in DIR/jobs/<id>/.run-<runId>/ on the same file system, so publishing is one rename(2).
class DirectoryStore : public SharedStore {
public:
    explicit DirectoryStore(std::filesystem::path dataDir);
    void fetchInput(const std::string& sha256, const std::filesystem::path& target) override;
    [[nodiscard]] bool hasBundle(const std::string& jobId) override;
    bool publishBundle(const std::string& jobId, const std::filesystem::path& staged) override;
    [[nodiscard]] nlohmann::json listBundle(const std::string& jobId) override;
    [[nodiscard]] std::filesystem::path scratchDir(const std::string& jobId, const std::string& runId) override;

    [[nodiscard]] std::filesystem::path bundleDir(const std::string& jobId) const { return dataDir_ / "jobs" / jobId / "bundle"; }

private:
    std::filesystem::path dataDir_;
};

} // namespace strata::remote
