#include "strata/remote/RemoteExecutor.h"

#include "RemoteTransfer.h"
#include "strata/Error.h"
#include "strata/JsonLimits.h"
#include "strata/Progress.h"
#include "strata/Sha256.h"
#include "strata/SystemInfo.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

namespace strata::remote {

using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using pipeline::ProgressEvent;
using pipeline::RunResult;
using pipeline::RunStatus;

namespace {

/// How an announced run is found again when run() is asked for it: its output folder.
std::string plannedKey(const fs::path& outputDir)
{
    return withoutTrailingSlash(outputDir).lexically_normal().string();
}

ProgressEvent fromJson(const json& p)
{
    ProgressEvent e;
    e.stageId = p.value("stage_id", "");
    e.stageTitle = p.value("stage_title", "");
    e.stageIndex = p.value("stage_index", 0);
    e.stageCount = p.value("stage_count", 0);
    e.stageFraction = p.value("stage_fraction", 0.0);
    e.overall = p.value("overall", 0.0);
    e.message = p.value("message", "");
    e.elapsedSeconds = p.value("elapsed_seconds", 0.0);
    return e;
}

/// Removes the staging folder unless released (as LocalExecutor does).
class Staging {
public:
    explicit Staging(const fs::path& target)
        : path_(target.parent_path() / ("." + target.filename().string() + ".partial-" + std::to_string(::getpid())))
    {
        std::error_code ec;
        fs::remove_all(path_, ec);
        fs::create_directories(path_);
    }
    ~Staging()
    {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

void checkOutputDir(const fs::path& out)
{
    if (out.empty()) throw InvalidArgument("No output folder given.");
    std::error_code ec;
    if (fs::exists(out, ec) && (!fs::is_directory(out, ec) || !fs::is_empty(out, ec))) {
        throw InvalidArgument("Output folder '" + out.string() + "' exists and is not empty; choose a new folder.");
    }
    fs::create_directories(fs::absolute(out).parent_path(), ec);
}

bool isTerminal(const std::string& state)
{
    return state == "succeeded" || state == "failed" || state == "cancelled";
}

} // namespace

RunResult RemoteExecutor::run(const pipeline::RunRequest& originalRequest, pipeline::ProgressSink& sink,
                              std::stop_token stop)
{
    pipeline::RunRequest request = originalRequest;
    request.outputDir = withoutTrailingSlash(request.outputDir); // "result/": the staging folder goes beside it
    RunResult result;
    const auto t0 = Clock::now();
    stats_ = {};
    std::string jobId;
    try {
        checkOutputDir(request.outputDir);
        ApiClient client(endpoint_);
        json submitted;
        if (const auto it = planned_.find(plannedKey(request.outputDir)); it != planned_.end()) {
            jobId = it->second; // submitted with its group by announce()
            planned_.erase(it);
            submitted = ApiClient::expect(client.get("/jobs/" + jobId), {200}, "Asking for the job's state").body;
        } else {
            json inputs = json::object();
            for (const auto& [port, path] : request.inputs) inputs[port] = uploadInput(path, sink, stop);
            throwIfStopped(stop);
            submitted = ApiClient::expect(client.post("/jobs", {{"pipeline", request.pipeline},
                                                                {"parameters", request.parameters},
                                                                {"inputs", inputs},
                                                                {"device", request.device},
                                                                {"threads", request.threads}}),
                                          {202}, "Submitting the job")
                            .body;
            jobId = submitted.value("id", "");
            sink.log("Submitted job " + jobId + " to " + endpoint_.url);
        }
        stats_.jobId = jobId;

        // Follow the job: SSE while it works, polling after a drop; a stop becomes a cancel on the server.
        json job = submitted;
        bool cancelSent = false;
        int failures = 0;
        ApiClient events(endpoint_);
        while (!isTerminal(job.value("state", ""))) {
            if (stop.stop_requested() && !cancelSent) {
                ApiClient::expect(client.post("/jobs/" + jobId + "/cancel", json::object()), {202}, "Cancelling");
                cancelSent = true;
                if (!cohortId_.empty()) { // the rest of its group will not be asked for: stop it too
                    client.post("/cohorts/" + cohortId_ + "/cancel", json::object());
                    cohortId_.clear();
                    planned_.clear();
                }
            }
            std::string buffer;
            try {
                events.stream("/jobs/" + jobId + "/events", [&](const char* data, std::size_t n) {
                    buffer.append(data, n);
                    for (auto end = buffer.find("\n\n"); end != std::string::npos; end = buffer.find("\n\n")) {
                        const std::string message = buffer.substr(0, end);
                        buffer.erase(0, end + 2);
                        std::string event, payload;
                        std::size_t pos = 0;
                        while (pos < message.size()) {
                            auto nl = message.find('\n', pos);
                            if (nl == std::string::npos) nl = message.size();
                            const std::string line = message.substr(pos, nl - pos);
                            if (line.rfind("event: ", 0) == 0) event = line.substr(7);
                            if (line.rfind("data: ", 0) == 0) payload += line.substr(6);
                            pos = nl + 1;
                        }
                        const json body = parseJson(payload, false);
                        if (!body.is_object()) continue;
                        if (event == "progress") sink.progress(fromJson(body));
                        if (event == "status") {
                            job = body;
                            if (job.contains("progress") && job["progress"].contains("stage_id")) {
                                sink.progress(fromJson(job["progress"]));
                            }
                        }
                    }
                    failures = 0;
                    return !(stop.stop_requested() && !cancelSent) && !isTerminal(job.value("state", ""));
                });
            } catch (const RemoteError& e) {
                if (e.kind() == RemoteError::Kind::Unauthorized || ++failures > 60) throw;
                ++stats_.reconnects;
                sleepOrStop(stop, std::chrono::milliseconds(std::min(250 * failures, 5000)));
            }
            if (!isTerminal(job.value("state", ""))) {
                try {
                    job = ApiClient::expect(client.get("/jobs/" + jobId), {200}, "Asking for the job's state").body;
                } catch (const RemoteError& e) {
                    if (e.kind() != RemoteError::Kind::Network && e.kind() != RemoteError::Kind::Refused &&
                        e.kind() != RemoteError::Kind::Timeout) {
                        throw;
                    }
                }
            }
        }
        const std::string state = job.value("state", "");
        if (state == "cancelled") {
            result.status = RunStatus::Cancelled;
            result.message = "Cancelled on the server after " + std::to_string(secondsSince(t0)) + " s; nothing was written.";
        } else if (state == "failed") {
            result.status = RunStatus::Failed;
            result.message = job.value("message", "The job failed on the server.");
        } else {
            // Download into a staging folder, check every file, move into place.
            const json files = job.value("files", json::array());
            std::uint64_t total = 0, done = 0;
            for (const auto& f : files) total += f.value("size", 0ull);
            Staging staging(request.outputDir);
            for (const auto& f : files) {
                const std::string rel = f.value("path", "");
                const fs::path relPath = fs::path(rel).lexically_normal();
                if (rel.empty() || relPath.is_absolute() || *relPath.begin() == "..") {
                    throw Error("The server listed a result file with an unsafe name: '" + rel + "'.");
                }
                const fs::path target = staging.path() / relPath;
                fs::create_directories(target.parent_path());
                for (int attempt = 1;; ++attempt) {
                    throwIfStopped(stop);
                    std::ofstream out(target, std::ios::binary | std::ios::trunc);
                    Sha256 hash;
                    std::uint64_t got = 0;
                    try {
                        const int status = client.stream("/jobs/" + jobId + "/files/" + rel, [&](const char* d, std::size_t n) {
                            out.write(d, static_cast<std::streamsize>(n));
                            hash.update(std::as_bytes(std::span(d, n)));
                            got += n;
                            transferProgress(sink, "download", "Downloading results", done + got, total, 1.0, t0);
                            return !stop.stop_requested();
                        });
                        out.close();
                        throwIfStopped(stop);
                        if (!out) { // this machine's disk is full: the bytes arrived but are not all on disk
                            throw Error("Cannot write the downloaded result file '" + rel + "' into '" +
                                        request.outputDir.string() + "' (is the disk full?).");
                        }
                        if (status != 200) {
                            throw RemoteError(RemoteError::Kind::Http,
                                              "Downloading '" + rel + "' failed: HTTP " + std::to_string(status), status);
                        }
                        if (hash.hexDigest() != f.value("sha256", "") || got != f.value("size", 0ull)) {
                            throw RemoteError(RemoteError::Kind::Network, "'" + rel + "' arrived damaged (checksum).");
                        }
                        break;
                    } catch (const RemoteError& e) {
                        if (e.kind() == RemoteError::Kind::Http || attempt >= 4) throw;
                        sleepOrStop(stop, std::chrono::milliseconds(500 * attempt));
                    }
                }
                done += f.value("size", 0ull);
            }
            // provenance.json: the server's record plus where it ran and the inputs' paths on this machine.
            json provenance;
            const fs::path provPath = staging.path() / "provenance.json";
            if (fs::exists(provPath)) {
                std::ifstream provIn(provPath);
                provenance = parseJson(provIn, false);
                if (provenance.is_discarded()) provenance = json::object();
                provenance["executor"] = "remote";
                provenance["remote"] = {{"server", endpoint_.url}, {"job_id", jobId}};
                if (provenance.contains("inputs") && provenance["inputs"].is_array()) {
                    for (auto& in : provenance["inputs"]) {
                        auto it = request.inputs.find(in.value("name", ""));
                        if (it == request.inputs.end()) continue;
                        in["server_path"] = in.value("path", "");
                        in["path"] = fs::absolute(it->second).string();
                    }
                }
                std::ofstream(provPath) << provenance.dump(2) << '\n';
            }
            throwIfStopped(stop);
            std::error_code ec;
            fs::remove(request.outputDir, ec);
            fs::rename(staging.path(), request.outputDir, ec);
            if (ec) {
                throw IoError("Cannot move the result into '" + request.outputDir.string() + "': " + ec.message() + ".");
            }
            result.status = RunStatus::Succeeded;
            result.bundleDir = request.outputDir;
            result.provenance = provenance;
            result.message = "Finished on " + endpoint_.url + " in " +
                             std::to_string(static_cast<int>(secondsSince(t0) + 0.5)) + " s (job " + jobId + ").";
        }
    } catch (const Cancelled&) {
        if (!jobId.empty()) {
            try {
                ApiClient(endpoint_).post("/jobs/" + jobId + "/cancel", json::object());
            } catch (const std::exception&) {
            }
        }
        result.status = RunStatus::Cancelled;
        result.message = "Cancelled after " + pipeline::formatSeconds(secondsSince(t0)) + "; nothing was written.";
    } catch (const std::exception& e) {
        result.status = RunStatus::Failed;
        result.message = e.what();
    }
    if (result.provenance.is_null()) {
        result.provenance = {{"executor", "remote"}, {"pipeline", request.pipeline},
                             {"remote", {{"server", endpoint_.url}, {"job_id", jobId}}},
                             {"status", pipeline::runStatusName(result.status)}};
    }
    sink.log(result.message);
    return result;
}

void RemoteExecutor::announce(const std::vector<pipeline::PlannedRun>& runs, pipeline::ProgressSink& sink,
                              std::stop_token stop)
{
    planned_.clear();
    cohortId_.clear();
    if (runs.size() < 2) return;
    const auto& first = runs.front().request;
    for (const auto& r : runs) {
        if (r.request.pipeline != first.pipeline || r.request.parameters != first.parameters ||
            r.request.device != first.device || r.request.threads != first.threads) {
            return; // not one group: each run goes on its own
        }
    }
    try {
        json cases = json::array();
        for (const auto& r : runs) {
            json inputs = json::object();
            for (const auto& [port, path] : r.request.inputs) inputs[port] = uploadInput(path, sink, stop);
            cases.push_back({{"subject", r.subject}, {"timepoint", r.timepoint}, {"inputs", inputs}});
        }
        ApiClient client(endpoint_);
        const auto response = client.post("/cohorts", {{"pipeline", first.pipeline},
                                                       {"parameters", first.parameters},
                                                       {"device", first.device},
                                                       {"threads", first.threads},
                                                       {"cases", cases}});
        if (response.status != 202 || !response.body.contains("cases") || response.body["cases"].size() != runs.size()) {
            sink.log("The server did not take the " + std::to_string(runs.size()) + " runs as one group (" +
                     response.errorMessage() + "); they run one by one.");
            return;
        }
        cohortId_ = response.body.value("id", "");
        for (std::size_t i = 0; i < runs.size(); ++i) {
            planned_[plannedKey(runs[i].request.outputDir)] = response.body["cases"][i].value("job", "");
        }
        sink.log("Submitted " + std::to_string(runs.size()) + " runs to " + endpoint_.url + " as cohort " + cohortId_ +
                 "; the server runs them side by side.");
    } catch (const std::exception& e) { // uploads or the request failed, or a stop: each run goes on its own
        planned_.clear();
        cohortId_.clear();
        sink.log(std::string("Could not submit the runs as one group (") + e.what() + "); they run one by one.");
    }
}

} // namespace strata::remote
