#include "cli/ExecutorOptions.h"
#include "cli/TerminalProgress.h"
#include "cli/InterruptScope.h"

#include "strata/Error.h"
#include "strata/StandardPipelines.h"
#include "strata/pipeline/LocalExecutor.h"
#include "strata/remote/RemoteExecutor.h"

#include <cstdlib>

namespace strata::cli {

void ExecutorOptions::addTo(CLI::App* cmd)
{
    cmd->add_option("--device", device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    cmd->add_option("--threads", threads, "CPU threads (0 = all cores)")->check(CLI::Range(0, 1024));
    cmd->add_option("--param,-p", params, "Pipeline parameter name=value (repeatable)");
    cmd->add_option("--server", server, "Run on a strata-server (https://host:port) instead of this machine");
    cmd->add_option("--token", token, "Bearer token for --server (default: $STRATA_TOKEN)");
    cmd->add_option("--ca-cert", caCert, "Trust this CA or self-signed certificate (PEM) for --server");
    cmd->add_option("--pin", pin, "Accept only the server certificate with this SHA-256 fingerprint");
}

std::unique_ptr<pipeline::Executor> ExecutorOptions::makeExecutor() const
{
    if (server.empty()) return std::make_unique<pipeline::LocalExecutor>(standardPipelines());
    remote::Endpoint endpoint;
    endpoint.url = server;
    endpoint.token = token;
    if (endpoint.token.empty()) {
        const char* env = std::getenv("STRATA_TOKEN");
        endpoint.token = env ? env : "";
    }
    endpoint.caCertFile = caCert;
    endpoint.pinnedSha256 = pin;
    return std::make_unique<remote::RemoteExecutor>(endpoint);
}

nlohmann::json ExecutorOptions::parameters() const
{
    nlohmann::json out = nlohmann::json::object();
    for (const auto& item : params) {
        const auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw InvalidArgument("Parameter '" + item + "' must look like name=value.");
        }
        const std::string name = item.substr(0, eq), value = item.substr(eq + 1);
        try {
            out[name] = nlohmann::json::parse(value);
        } catch (const nlohmann::json::exception&) {
            out[name] = value; // plain strings need no quotes
        }
    }
    return out;
}

std::string resolvePipelineId(const std::string& name)
{
    return name == "knee" ? "knee-mri" : name;
}

pipeline::PipelineManifest findPipeline(const pipeline::Executor& executor, const std::string& pipelineId)
{
    std::string known;
    for (const auto& m : executor.pipelines()) {
        if (m.id == pipelineId && !m.inputs.empty()) return m;
        known += (known.empty() ? "" : ", ") + m.id;
    }
    throw InvalidArgument("Unknown pipeline '" + pipelineId + "' (available: " + (known.empty() ? "none" : known) + ").");
}

pipeline::RunResult runInTerminal(pipeline::Executor& executor, const pipeline::RunRequest& request, bool quiet)
{
    InterruptScope interrupt;
    TerminalProgress progress(!quiet);
    auto result = executor.run(request, progress, interrupt.token());
    progress.finish();
    if (result.status == pipeline::RunStatus::Cancelled) InterruptScope::exitInterrupted(result.message);
    return result;
}

} // namespace strata::cli
