#include "cli/Commands.h"
#include "cli/TerminalProgress.h"
#include "strata/core/Error.h"
#include "strata/core/StandardPipelines.h"
#include "strata/core/inference/SegmentationModel.h"
#include "strata/core/pipeline/LocalExecutor.h"
#include "strata/remote/RemoteExecutor.h"

#include <cstdlib>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

namespace strata::cli {

namespace {

std::stop_source* gInterrupt = nullptr;

extern "C" void onInterrupt(int)
{
    if (gInterrupt) {
        gInterrupt->request_stop();
    }
}

/// "knee" is short for "knee-mri".
std::string resolvePipelineId(const std::string& name)
{
    return name == "knee" ? "knee-mri" : name;
}

nlohmann::json parseParameters(const std::vector<std::string>& items)
{
    nlohmann::json params = nlohmann::json::object();
    for (const auto& item : items) {
        const auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw InvalidArgument("Parameter '" + item + "' must look like name=value.");
        }
        const std::string name = item.substr(0, eq), value = item.substr(eq + 1);
        try {
            params[name] = nlohmann::json::parse(value);
        } catch (const nlohmann::json::exception&) {
            params[name] = value; // plain strings need no quotes
        }
    }
    return params;
}

} // namespace

void registerRunCommand(CLI::App& app)
{
    struct Options {
        std::string pipeline;
        std::string input;
        std::string out;
        std::string device{"auto"};
        int threads{0};
        std::vector<std::string> params;
        bool quiet{false};
        std::string server;
        std::string token;
        std::string caCert;
        std::string pin;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("run", "Run an analysis pipeline on an input and write a result bundle "
                                          "(e.g. strata-cli run knee scan.nii.gz --out result/)");
    cmd->add_option("pipeline", o->pipeline, "Pipeline id (see 'strata-cli pipelines'); 'knee' = knee-mri")->required();
    cmd->add_option("input", o->input, "Input: image file, DICOM folder, or (ocr, classify) a folder of images")->required();
    cmd->add_option("--out,-o", o->out, "Output folder for the result bundle (must not exist or be empty)")->required();
    cmd->add_option("--device", o->device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    cmd->add_option("--threads", o->threads, "CPU threads (0 = all cores)")->check(CLI::Range(0, 1024));
    cmd->add_option("--param,-p", o->params, "Pipeline parameter name=value (repeatable)");
    cmd->add_flag("--quiet,-q", o->quiet, "No progress line");
    cmd->add_option("--server", o->server, "Run on a strata-server (https://host:port) instead of this machine");
    cmd->add_option("--token", o->token, "Bearer token for --server (default: $STRATA_TOKEN)");
    cmd->add_option("--ca-cert", o->caCert, "Trust this CA or self-signed certificate (PEM) for --server");
    cmd->add_option("--pin", o->pin, "Accept only the server certificate with this SHA-256 fingerprint");
    cmd->callback([o] {
        pipeline::RunRequest request;
        request.pipeline = resolvePipelineId(o->pipeline);
        std::unique_ptr<pipeline::Executor> executor;
        std::string inputPort;
        if (o->server.empty()) {
            inputPort = standardPipelines().get(request.pipeline).manifest().inputs.at(0).name;
            executor = std::make_unique<pipeline::LocalExecutor>(standardPipelines());
        } else {
            remote::Endpoint endpoint;
            endpoint.url = o->server;
            endpoint.token = o->token;
            if (endpoint.token.empty()) {
                const char* env = std::getenv("STRATA_TOKEN");
                endpoint.token = env ? env : "";
            }
            endpoint.caCertFile = o->caCert;
            endpoint.pinnedSha256 = o->pin;
            executor = std::make_unique<remote::RemoteExecutor>(endpoint);
            for (const auto& m : executor->pipelines()) {
                if (m.id == request.pipeline && !m.inputs.empty()) inputPort = m.inputs.front().name;
            }
            if (inputPort.empty()) {
                throw InvalidArgument("The server has no pipeline '" + request.pipeline + "'.");
            }
        }
        request.inputs[inputPort] = o->input;
        request.outputDir = o->out;
        while (!request.outputDir.has_filename() && request.outputDir.has_parent_path() &&
               request.outputDir != request.outputDir.root_path()) {
            request.outputDir = request.outputDir.parent_path(); // "result/" -> "result": staging goes beside it
        }
        request.device = o->device;
        request.threads = o->threads;
        request.parameters = parseParameters(o->params);

        std::stop_source stop;
        gInterrupt = &stop;
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
        TerminalProgress progress(!o->quiet);
        const auto result = executor->run(request, progress, stop.get_token());
        progress.finish();
        gInterrupt = nullptr;
        if (result.status == pipeline::RunStatus::Cancelled) {
            // A network pass abandoned by the cancel may still be running; do not wait for it, and do not let
            // it run into static destruction either.
            if (!inference::SegmentationModel::waitForAbandonedPasses(std::chrono::milliseconds(200))) {
                std::cerr << "strata-cli: error: Interrupted: " << result.message << std::endl;
                std::_Exit(1);
            }
            throw Error("Interrupted: " + result.message);
        }
        if (result.status != pipeline::RunStatus::Succeeded) {
            throw Error(result.message);
        }
        std::cout << "Result bundle: " << result.bundleDir.string() << " (" << result.message << ")\n";
    });
}

} // namespace strata::cli
