#pragma once

#include "strata/pipeline/Executor.h"
#include "strata/remote/Client.h"

#include <cstdint>
#include <map>
#include <filesystem>
#include <string>

namespace strata::remote {

/// Runs pipelines on a strata-server: uploads the inputs (content-addressed: skipped when the server has them;
/// chunked, resumed after a dropped connection), submits, follows progress (Server-Sent Events, polling as a
/// fallback), forwards a stop as a cancel, then downloads and checks (sha256) the bundle into request.outputDir
/// exactly like LocalExecutor: staging folder, moved into place only on success. provenance.json is the
/// server's, with "executor": "remote", the server and job id added and the inputs' local paths.
///
/// @code
///   remote::RemoteExecutor executor(remote::Endpoint{"https://imaging.example.org:8443", token});
///   pipeline::RunRequest request;
///   request.pipeline = "knee";
///   request.inputs["image"] = "knee.nii.gz";
///   request.outputDir = "knee-result";
///   const pipeline::RunResult result = executor.run(request, sink, stopSource.get_token());
///   if (result.status != pipeline::RunStatus::Succeeded) report(result.message);
/// @endcode
class RemoteExecutor : public pipeline::Executor {
public:
    explicit RemoteExecutor(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

    /// The server's pipelines. Throws RemoteError when it cannot be asked.
    [[nodiscard]] std::vector<pipeline::PipelineManifest> pipelines() const override;
    [[nodiscard]] pipeline::RunResult run(const pipeline::RunRequest& request, pipeline::ProgressSink& sink,
                            std::stop_token stop) override;
    /// Two or more runs of one pipeline with the same parameters: uploads every input and submits them as one
    /// cohort (POST /cohorts), so the server's workers run them side by side; run() then follows and downloads
    /// each one's job instead of submitting it. A stop during run() cancels the whole group. When the server
    /// refuses the group (an old server, a case it will not take) the runs go one by one as before; the reason is
    /// logged to the sink.
    void announce(const std::vector<pipeline::PlannedRun>& runs, pipeline::ProgressSink& sink,
                  std::stop_token stop) override;

    /// Uploads one file (if the server lacks it) and returns its sha256. Throws RemoteError / Cancelled.
    std::string upload(const std::filesystem::path& file, pipeline::ProgressSink& sink, std::stop_token stop);
    /// Uploads an input and returns what a job request names it by: a file's {"sha256", "name"}, or for a folder
    /// (a DICOM series) {"name", "files": [{"sha256", "name"}, ...]} with each of its files (not sub-folders)
    /// uploaded. Throws InvalidArgument for an empty folder, RemoteError / Cancelled.
    nlohmann::json uploadInput(const std::filesystem::path& path, pipeline::ProgressSink& sink, std::stop_token stop);

    /// What the last run() did on the wire (for tests and the jobs panel).
    struct Stats {
        std::uint64_t bytesUploaded{0}; ///< bytes sent in chunks (0 when the server had every input)
        std::uint64_t resumedFrom{0};   ///< offset of the last upload's first chunk
        std::string jobId;
        int reconnects{0};              ///< progress streams re-opened after a drop
    };
    [[nodiscard]] const Stats& stats() const { return stats_; }

private:
    Endpoint endpoint_;
    Stats stats_;
    /// Announced runs submitted in a group: output folder -> job id; the group's id.
    std::map<std::string, std::string> planned_;
    std::string cohortId_;
};

} // namespace strata::remote
