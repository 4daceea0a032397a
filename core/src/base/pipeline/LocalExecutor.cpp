#include "strata/pipeline/LocalExecutor.h"

#include "strata/Error.h"
#include "strata/Sha256.h"
#include "strata/SystemInfo.h"
#include "strata/Version.h"
#include "strata/pipeline/Workspace.h"

#include <chrono>
#include <fstream>
#include <numeric>
#include <thread>
#include <unistd.h>

namespace strata::pipeline {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

/// Removes the staging folder unless released.
class StagingDir {
public:
    explicit StagingDir(const std::filesystem::path& target)
        : path_(target.parent_path() / ("." + target.filename().string() + ".partial-" + std::to_string(::getpid())))
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
        std::filesystem::create_directories(path_);
    }
    ~StagingDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    StagingDir(const StagingDir&) = delete;
    StagingDir& operator=(const StagingDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

void checkOutputDir(const std::filesystem::path& out)
{
    if (out.empty()) {
        throw InvalidArgument("No output folder given.");
    }
    std::error_code ec;
    if (std::filesystem::exists(out, ec) &&
        (!std::filesystem::is_directory(out, ec) || !std::filesystem::is_empty(out, ec))) {
        throw InvalidArgument("Output folder '" + out.string() + "' exists and is not empty; choose a new folder.");
    }
    const auto parent = std::filesystem::absolute(out).parent_path();
    if (!std::filesystem::is_directory(parent, ec)) {
        std::filesystem::create_directories(parent, ec);
        if (ec) {
            throw IoError("Cannot create output folder '" + parent.string() + "': " + ec.message() + ".");
        }
    }
}

json describeInputs(const PipelineManifest& manifest, const RunRequest& request)
{
    json inputs = json::array();
    for (const auto& port : manifest.inputs) {
        auto it = request.inputs.find(port.name);
        if (it == request.inputs.end()) {
            if (port.optional) continue; // left out: nothing to check or record
            throw InvalidArgument("Pipeline '" + manifest.id + "' needs input '" + port.name + "' (" + port.help + ").");
        }
        std::error_code ec;
        if (!std::filesystem::exists(it->second, ec)) {
            throw IoError("Input '" + port.name + "' file '" + it->second.string() + "' does not exist.");
        }
        const auto label = request.inputLabels.find(port.name);
        inputs.push_back({{"name", port.name},
                          {"path", label != request.inputLabels.end() ? label->second
                                                                      : std::filesystem::absolute(it->second).string()},
                          {"sha256", Sha256::ofPath(it->second)}});
    }
    for (const auto& [name, path] : request.inputs) {
        bool known = false;
        for (const auto& port : manifest.inputs) {
            known = known || port.name == name;
        }
        if (!known) {
            throw InvalidArgument("Pipeline '" + manifest.id + "' has no input named '" + name + "'.");
        }
    }
    return inputs;
}

} // namespace

RunResult LocalExecutor::run(const RunRequest& request, ProgressSink& sink, std::stop_token stop)
{
    RunResult result;
    const auto t0 = Clock::now();
    json provenance{{"software", {{"name", "strata"}, {"version", kVersion}}},
                    {"pipeline", request.pipeline},
                    {"started_at", utcTimestamp()},
                    {"host", hostName()},
                    {"executor", "local"},
                    {"requested_device", request.device},
                    {"threads", request.threads > 0 ? request.threads
                                                    : static_cast<int>(std::thread::hardware_concurrency())}};
    try {
        const Pipeline& pipeline = registry_.get(request.pipeline);
        const PipelineManifest& manifest = pipeline.manifest();
        const json parameters = manifest.resolveParameters(request.parameters);
        checkOutputDir(request.outputDir);
        provenance["pipeline_version"] = manifest.version;
        provenance["parameters"] = parameters;
        provenance["inputs"] = describeInputs(manifest, request);

        auto stages = pipeline.createStages();
        if (stages.size() != manifest.stages.size()) {
            throw Error("Internal error: pipeline '" + manifest.id + "' has " + std::to_string(stages.size()) +
                        " stages but its manifest lists " + std::to_string(manifest.stages.size()) + ".");
        }
        const double totalWeight = std::accumulate(manifest.stages.begin(), manifest.stages.end(), 0.0,
                                                   [](double s, const StageSpec& st) { return s + st.weight; });
        StagingDir staging(request.outputDir);
        Workspace workspace;
        json notes = json::object();
        json timings = json::array();
        double doneWeight = 0.0;
        for (std::size_t i = 0; i < stages.size(); ++i) {
            const StageSpec& spec = manifest.stages[i];
            ProgressEvent event;
            event.stageId = spec.id;
            event.stageTitle = spec.title;
            event.stageIndex = static_cast<int>(i);
            event.stageCount = static_cast<int>(stages.size());
            auto report = [&](double f, const std::string& message) {
                event.stageFraction = f;
                event.overall = totalWeight > 0 ? (doneWeight + spec.weight * f) / totalWeight : 0.0;
                event.message = message;
                event.elapsedSeconds = secondsSince(t0);
                sink.progress(event);
            };
            StageContext ctx(request, parameters, workspace, staging.path(), stop, report, notes);
            const auto ts = Clock::now();
            ctx.progress(0.0, spec.title);
            stages[i]->run(ctx);
            ctx.progress(1.0, spec.title + " done");
            timings.push_back({{"stage", spec.id}, {"seconds", secondsSince(ts)}});
            doneWeight += spec.weight;
        }
        provenance["notes"] = notes;
        if (notes.contains("device")) {
            provenance["device"] = notes["device"];
        }
        provenance["stage_timings"] = timings;
        provenance["total_seconds"] = secondsSince(t0);
        provenance["peak_rss_mib"] = peakRssMiB();
        provenance["finished_at"] = utcTimestamp();
        provenance["status"] = runStatusName(RunStatus::Succeeded);
        {
            std::ofstream f(staging.path() / "provenance.json");
            f << provenance.dump(2) << '\n';
            f.flush(); // a full disk shows here or at close, not while the stream buffers
            f.close();
            if (!f) {
                throw IoError("Cannot write provenance.json in '" + staging.path().string() + "' (is the disk full?).");
            }
        }
        throwIfStopped(stop);
        std::error_code ec;
        std::filesystem::remove(request.outputDir, ec); // an empty folder given by the user
        std::filesystem::rename(staging.path(), request.outputDir, ec);
        if (ec) {
            throw IoError("Cannot move the result into '" + request.outputDir.string() + "': " + ec.message() + ".");
        }
        result.status = RunStatus::Succeeded;
        result.bundleDir = request.outputDir;
        result.message = "Finished in " + std::to_string(static_cast<int>(secondsSince(t0) + 0.5)) + " s.";
    } catch (const Cancelled&) {
        result.status = RunStatus::Cancelled;
        result.message = "Cancelled after " + formatSeconds(secondsSince(t0)) + "; nothing was written.";
    } catch (const std::exception& e) {
        result.status = RunStatus::Failed;
        result.message = e.what();
    }
    provenance["status"] = runStatusName(result.status);
    result.provenance = std::move(provenance);
    sink.log(result.message);
    return result;
}

} // namespace strata::pipeline
